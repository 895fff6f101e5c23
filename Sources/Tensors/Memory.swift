import Foundation

#if os(Linux)
/// glibc's mallopt(int, int) from <malloc.h>, which the Glibc module does not export.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_MMAP_THRESHOLD: Int32 = -3
#endif

/// Where tensor storage comes from. Buffers of 1 MB and more get pages of their own from the
/// system, and freed ones wait in a bounded pool for the next request of the same size.
///
/// Why: glibc's default raises its mmap threshold to 32 MB after the first large free, and its
/// heap then kept freed activations and column matrices: a default diagnosis peaked anywhere
/// between 1.6 and 3.9 GB from run to run, with the same numbers. A fixed threshold alone fixed
/// that (1.1 GB) but cost 18% in page faults, since every training step asks for the same large
/// buffers again; the pool hands those back without faults.
enum Memory {
    static let largeBytes = 1 << 20
    /// Bytes the pool may hold while nobody uses them. A training step of the 64×64 autoencoder
    /// at batch 64 frees some 700 MB of large buffers when it ends; a smaller pool lets part of
    /// them go every step and the next step takes them back as page faults (with 512 MB, a third
    /// of the step; docs/engine-speed.md).
    static let poolCapacity = 1_536 << 20

    private static let configured: Void = {
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, Int32(largeBytes))
        #endif
    }()
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pool: [Int: [UnsafeMutableRawPointer]] = [:]
    nonisolated(unsafe) private static var pooledBytes = 0
    /// When each size was last asked for or given back. The pool lets the least recently used
    /// sizes go first: buffers of a finished phase (inference at batch 500, say) make room for
    /// the sizes the current loop keeps asking for, instead of the loop's own buffers going.
    nonisolated(unsafe) private static var lastUse: [Int: Int] = [:]
    nonisolated(unsafe) private static var clock = 0

    /// 64-byte aligned, uninitialised memory.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        _ = configured
        if bytes >= largeBytes {
            lock.lock()
            defer { lock.unlock() }
            clock += 1
            lastUse[bytes] = clock
            if let p = pool[bytes]?.popLast() {
                pooledBytes -= bytes
                return p
            }
        }
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    /// Returns memory from `allocate(bytes:)`. When the pool would exceed its capacity, pooled
    /// buffers of the least recently used sizes go back to the system.
    static func free(_ p: UnsafeMutableRawPointer, bytes: Int) {
        guard bytes >= largeBytes, bytes <= poolCapacity else { p.deallocate(); return }
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        lastUse[bytes] = clock
        while pooledBytes + bytes > poolCapacity,
              let size = pool.filter({ !$0.value.isEmpty }).min(by: { lastUse[$0.key]! < lastUse[$1.key]! })?.key {
            pool[size]!.removeFirst().deallocate()
            pooledBytes -= size
        }
        pool[bytes, default: []].append(p)
        pooledBytes += bytes
    }

    /// Uninitialised scratch floats from the same pool: a convolution worker's column matrix is
    /// megabytes, and fresh pages on every call had cost page faults (6% of the autoencoder step).
    static func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
        allocate(bytes: max(count, 1) * 4).bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Returns `allocateFloats(count)`'s memory.
    static func free(_ p: UnsafeMutablePointer<Float>, count: Int) {
        free(UnsafeMutableRawPointer(p), bytes: max(count, 1) * 4)
    }
}

/// Uninitialised float buffers a worker borrows from the pool for a scope: a column matrix, a
/// group matrix, a scratch. `let b = PooledFloats(n1, n2); defer { b.release() }`, then `b[0]`, `b[1]`.
struct PooledFloats {
    private let buffers: [UnsafeMutablePointer<Float>]
    private let counts: [Int]

    init(_ counts: Int...) {
        self.counts = counts
        buffers = counts.map(Memory.allocateFloats)
    }

    subscript(_ i: Int) -> UnsafeMutablePointer<Float> { buffers[i] }

    /// Gives the buffers back to the pool.
    func release() {
        for (b, count) in zip(buffers, counts) { Memory.free(b, count: count) }
    }
}
