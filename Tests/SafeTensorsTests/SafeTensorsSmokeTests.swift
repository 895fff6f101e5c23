import XCTest
@testable import SafeTensors

final class SafeTensorsSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
