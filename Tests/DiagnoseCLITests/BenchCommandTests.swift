import XCTest
@testable import DiagnoseCLI

/// `diagnose bench`'s options: a timing budget must be positive, and --seconds overrides --quick.
final class BenchCommandTests: XCTestCase {
    func testSecondsMustBePositive() {
        XCTAssertThrowsError(try BenchCommand.parse(["--seconds", "0"]))
        XCTAssertThrowsError(try BenchCommand.parse(["--seconds", "-1"]))
        XCTAssertThrowsError(try BenchCommand.parse(["--threads", "0"]))
    }

    func testBudget() throws {
        XCTAssertEqual(try BenchCommand.parse([]).budget, 4)
        XCTAssertEqual(try BenchCommand.parse(["--quick"]).budget, 1)
        XCTAssertEqual(try BenchCommand.parse(["--seconds", "15", "--quick"]).budget, 15)
    }
}
