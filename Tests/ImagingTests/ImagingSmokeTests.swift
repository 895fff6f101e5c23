import XCTest
@testable import Imaging

final class ImagingSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
