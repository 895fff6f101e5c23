import XCTest
@testable import Tensors

final class MemoryTests: XCTestCase {
    /// A freed large buffer is handed back for the next request of the same size (no fresh
    /// pages), a small one is not pooled, and tensors built on pooled memory hold their values.
    func testLargeBuffersAreReusedBySize() {
        let bytes = 3 << 20
        let a = Memory.allocate(bytes: bytes)
        Memory.free(a, bytes: bytes)
        let b = Memory.allocate(bytes: bytes)
        XCTAssertEqual(a, b)
        Memory.free(b, bytes: bytes)
        XCTAssertNotEqual(Memory.allocate(bytes: bytes + 64), b)

        let t = Tensor(shape: [bytes / 4], repeating: 2)
        XCTAssertEqual(t.sum().item, Float(bytes / 4) * 2)
    }

    /// When the pool is full, the sizes a loop keeps asking for stay and a finished phase's go:
    /// a loop of four buffers (40–52 MB) freed onto a pool filled with 64 MB buffers from before
    /// gets its own buffers back, round after round. (Eviction in the dictionary's order, which this replaced, failed
    /// it in one run of four.)
    func testLeastRecentlyUsedSizesLeaveFirst() {
        let stale = 64 << 20, sizes = [40 << 20, 44 << 20, 48 << 20, 52 << 20]
        let staleCount = Memory.poolCapacity / stale
        XCTAssertGreaterThan(staleCount * stale + sizes.reduce(0, +), Memory.poolCapacity)
        let old = (0..<staleCount).map { _ in Memory.allocate(bytes: stale) }
        for p in old { Memory.free(p, bytes: stale) }
        var previous: [UnsafeMutableRawPointer] = []
        for round in 0..<3 {
            let buffers = sizes.map { Memory.allocate(bytes: $0) }
            if round > 0 { XCTAssertEqual(buffers, previous, "round \(round): the loop's buffers left the pool before the stale ones") }
            for (p, bytes) in zip(buffers, sizes) { Memory.free(p, bytes: bytes) }
            previous = buffers
        }
    }
}
