/// A 64-byte aligned, contiguous buffer of Floats. `Tensor` wraps it with copy-on-write
/// semantics; this class only owns the memory.

final class TensorStorage {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// Uninitialised storage: every caller writes all `count` elements before reading.

    init(uninitializedCount count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    func copy() -> TensorStorage {
        let s = TensorStorage(uninitializedCount: count)
        s.pointer.update(from: pointer, count: count)
        return s
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

#if os(Linux)
/// glibc's malloc_trim(size_t pad) from <malloc.h>, which the Glibc module does not export.
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

public enum Memory {
    /// Hands freed heap memory back to the system. glibc keeps freed blocks for reuse, and
    /// stages that allocate differently sized tensors (one layer's translators, then the next's)
    /// otherwise pile up resident memory that no tensor uses: a default diagnosis reached 4 GB
    /// instead of about 1 GB. Call it between stages, not in loops.
    public static func releaseFreed() {
        #if os(Linux)
        _ = mallocTrim(0)
        #endif
    }
}
