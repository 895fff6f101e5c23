import XCTest
@testable import Tensors

final class TensorsSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
