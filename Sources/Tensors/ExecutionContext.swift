import Foundation

/// How the engine computes the work of the calling thread: which routes convolutions and
/// products take, the numbers that tune them, and how many cores they may use.
///
/// A context is bound to a thread for a scope (`run`), as Autograd's recording depth is, so a
/// test, a benchmark or a job chooses its routes without changing anyone else's; a thread that
/// binds none computes with `standard`. `Parallel.jobs` and `Parallel.chunks` bind the caller's
/// context on each worker with one worker, so that what runs inside a job is single-threaded.
/// The reference convolution's numbers are measured (docs/engine-speed.md, "The reference
/// convolution"); tests change them to reach every branch and compare oneDNN with the reference.
public struct ExecutionContext {
    /// Cores the work may use: all of them by default, 1 inside a job (the jobs already fill the
    /// cores), the benchmark's `--threads`.
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Whether convolutions (`conv2d`, `convTranspose2d`, `convolution2d`,
    /// `convolutionTranspose2d`) run on oneDNN or on the reference im2col kernels
    /// (ReferenceConvolution.swift). `DIAGNOSE_DNNL=0` in the environment turns both library
    /// choices off, for A/B runs.
    public var convolutionsOnDNNL = DNNL.enabledByEnvironment
    /// Whether products run on oneDNN's `dnnl_sgemm` or OpenBLAS's `cblas_sgemm`. oneDNN picks
    /// its AVX-512 kernels by itself, where OpenBLAS runs whatever core `OPENBLAS_CORETYPE` names:
    /// against Haswell, which some machines' environments set, oneDNN's single-threaded products
    /// of a flow's shapes are ~2× faster (docs/engine-speed.md, "Matrix-product peak").
    public var productsOnDNNL = DNNL.enabledByEnvironment

    /// The most values a tensor whose size comes from a model's data may hold (the ONNX
    /// importer's Resize, ConstantOfShape, Expand, Pad, and a batch of the declared input): 2³⁰,
    /// 4 GB of floats. The fuzzer lowers it so that one input stays within its time and memory.
    public var maximumValuesFromData = 1 << 30

    // The reference convolution (im2col).

    /// Columns per matrix product: small maps are taken several images at a time. Wider
    /// products lose more to cache misses than they gain.
    var groupColumns = 256
    /// Largest column matrix (floats, whole batch) a convolution keeps for its backward pass:
    /// 32 MB, which covers the flows' embedders and the experts' maps from 16×16 down.
    var keptColumnLimit = 8 << 20

    /// The context of a thread that binds none.
    public static let standard = ExecutionContext()

    /// A copy with one setting changed: `ExecutionContext.current.with(\.workers, 1).run { … }`.
    public func with<Value>(_ setting: WritableKeyPath<ExecutionContext, Value>, _ value: Value) -> ExecutionContext {
        var copy = self
        copy[keyPath: setting] = value
        return copy
    }

    /// The calling thread's context: the innermost `run` on it, else `standard`.
    public static var current: ExecutionContext { slot?.pointee ?? standard }

    /// Runs `body` with this context bound to the calling thread, and the one before it bound
    /// again when `body` returns or throws.
    public func run<R>(_ body: () throws -> R) rethrows -> R {
        let slot = Self.slot ?? Self.makeSlot()
        let outer = slot.pointee
        slot.pointee = self
        defer { slot.pointee = outer }
        return try body()
    }

    /// Each thread's context, allocated by its first `run` and freed when the thread ends.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { slot in
            guard let slot = slot?.assumingMemoryBound(to: ExecutionContext.self) else { return }
            slot.deinitialize(count: 1)
            slot.deallocate()
        }
        if status != 0 { fatalError("pthread_key_create failed: \(status)") }
        return key
    }()

    private static var slot: UnsafeMutablePointer<ExecutionContext>? {
        pthread_getspecific(key)?.assumingMemoryBound(to: ExecutionContext.self)
    }

    private static func makeSlot() -> UnsafeMutablePointer<ExecutionContext> {
        let slot = UnsafeMutablePointer<ExecutionContext>.allocate(capacity: 1)
        slot.initialize(to: standard)
        _ = pthread_setspecific(key, slot)
        return slot
    }
}
