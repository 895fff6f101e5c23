/// A 64-byte aligned, contiguous buffer of Floats. `Tensor` wraps it with copy-on-write
/// semantics; this class only owns the memory.

final class TensorStorage {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// Uninitialised storage: every caller writes all `count` elements before reading.

    init(uninitializedCount count: Int) {
        self.count = count
        pointer = Memory.allocate(bytes: max(count, 1) * 4).bindMemory(to: Float.self, capacity: max(count, 1))
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

    deinit { Memory.free(UnsafeMutableRawPointer(pointer), bytes: max(count, 1) * 4) }
}
