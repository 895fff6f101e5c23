import CDNNL
import Foundation

/// oneDNN's CPU engine and streams, and the size of its OpenMP thread team.
///
/// oneDNN here is built on OpenMP (libgomp). Its team size is libgomp's per-thread
/// `nthreads-var`, which `omp_set_num_threads` sets for the calling thread only; so every call
/// into oneDNN first sets it from the bound `ExecutionContext` (`threads`): its workers, which are
/// 1 inside `Parallel.jobs` or `Parallel.chunks`, where several single-threaded jobs already run
/// side by side and a team per job would oversubscribe the cores.
///
/// libgomp's idle team threads spin for ~300,000 iterations after each parallel region unless
/// `OMP_WAIT_POLICY=PASSIVE` is set before libgomp loads (it reads its environment once, in its
/// library constructor, before `main`); on two shared cores the spinning costs up to 5×. The
/// command line sets it and re-executes itself (`DiagnoseCLI/EarlyEnvironment.swift`).
enum DNNL {
    /// The one CPU engine, created on first use.
    static let engine: dnnl_engine_t = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "creating the CPU engine")
        return engine!
    }()

    /// False when the environment sets `DIAGNOSE_DNNL=0`: the standard context then runs
    /// convolutions on the reference kernels and products on OpenBLAS, for A/B runs.
    static let enabledByEnvironment = ProcessInfo.processInfo.environment["DIAGNOSE_DNNL"] != "0"

    /// Threads oneDNN may use for a call made now from this thread.
    static var threads: Int { Parallel.workers }

    /// Sets libgomp's team size for the calling thread to `count` (cheap: a thread-local store).
    static func useThreads(_ count: Int) { omp_set_num_threads(Int32(count)) }

    /// One stream per thread: oneDNN streams are not meant to be shared between threads that
    /// execute at the same time, and `Parallel.jobs` runs primitives from several threads.
    private static let streamKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { stream in dnnl_stream_destroy(OpaquePointer(stream)) }
        if status != 0 { fatalError("pthread_key_create failed: \(status)") }
        return key
    }()

    /// The calling thread's stream.
    static var stream: dnnl_stream_t {
        if let existing = pthread_getspecific(streamKey) { return OpaquePointer(existing) }
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue)), "creating a stream")
        _ = pthread_setspecific(streamKey, UnsafeRawPointer(stream!))
        return stream!
    }

    /// Stops with oneDNN's status: every call here gets shapes that were checked beforehand, so a
    /// failure is a bug in this engine, not a user error.
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        guard status != dnnl_success else { return }
        fatalError("oneDNN: \(what()) failed (status \(status.rawValue))")
    }

    /// A plain f32 memory descriptor: `dims` in the order of `tag` (e.g. NCHW with `dnnl_abcd`).
    static func memoryDescriptor(_ dims: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let d = dims.map { Int64($0) }
        check(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, dnnl_f32, tag), "describing memory \(dims)")
        return md
    }

    /// The same dims with any layout: lets a primitive pick its preferred (blocked) format.
    static func anyDescriptor(_ dims: [Int]) -> dnnl_memory_desc_t { memoryDescriptor(dims, dnnl_format_tag_any) }

    /// Plain row-major tag for a rank.
    static func plainTag(rank: Int) -> dnnl_format_tag_t {
        switch rank {
        case 1: return dnnl_a
        case 2: return dnnl_ab
        case 3: return dnnl_abc
        case 4: return dnnl_abcd
        case 5: return dnnl_abcde
        default: fatalError("oneDNN: no plain tag for rank \(rank)")
        }
    }
}
