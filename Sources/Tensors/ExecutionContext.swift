import Foundation

/// How the engine computes the work of the calling thread: which routes convolutions and
/// products take, the numbers that tune them, and how many cores they may use.
///
/// A context is bound to a thread for a scope (`run`), as Autograd's recording depth is, so a
/// test, a benchmark or a job chooses its routes without changing anyone else's; a thread that
/// binds none computes with `standard`. `Parallel.jobs` and `Parallel.chunks` bind the caller's
/// context on each worker with one worker, so that what runs inside a job is single-threaded.
/// The routes' numbers are measured (docs/engine-speed.md, "The OpenBLAS routes"); tests change
/// them to reach every branch and to compare the routes with each other.
public struct ExecutionContext {
    /// Cores the work may use: all of them by default, 1 inside a job (the jobs already fill the
    /// cores), the benchmark's `--threads`.
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Whether `conv2d` and `convTranspose2d` run on oneDNN or on the im2col / OpenBLAS routes.
    /// `DIAGNOSE_DNNL=0` in the environment turns both library choices off, for A/B runs.
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

    // The im2col route.

    /// Columns per matrix product: small maps are taken several images at a time. Wider
    /// products lose more to cache misses than they gain.
    var groupColumns = 256
    /// Largest column matrix (floats, whole batch) a convolution keeps for its backward pass:
    /// 32 MB, which covers the flows' embedders and the experts' maps from 16×16 down.
    var keptColumnLimit = 8 << 20

    // The channels-last route (ChannelsLastConvolution.swift); 16-wide outputs ran slower on it.

    /// Whether small maps may use channels-last columns.
    var channelsLastConvolutions = true
    /// Fewest input channels: a run is KW·C floats.
    var channelsLastMinimumChannels = 32
    /// Widest output map: im2col's runs are one output row.
    var channelsLastMaximumOutputWidth = 8

    // The shifted-product route (ShiftedConvolution.swift); on 8×8 maps (padded plane 1.27× the
    // image) and with 3 input or output channels it ran slower than im2col.

    /// Whether "same" stride-1 convolutions may use shifted products.
    var shiftedProducts = true
    /// Largest padded plane, relative to the image: 1.13 for 16×16 maps, 1.06 for 32×32.
    var shiftedMaximumPlaneRatio = 1.2
    /// Fewest input channels.
    var shiftedMinimumChannels = 16
    /// Fewest output channels.
    var shiftedMinimumOutChannels = 16
    /// Grid columns per group of images (a group is one padded buffer).
    var shiftedGroupColumns = 2048
    /// Grid columns per block: the k² products of a block accumulate into the same piece of the
    /// output grid, which stays in cache between them.
    var shiftedBlockColumns = 1024

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
