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
}
