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

/// The image workload needs its folder, as in the reference.
final class BenchImagesOptionTests: XCTestCase {
    func testAskingForTheImageWorkloadWithoutAFolderIsAnError() throws {
        let command = try BenchCommand.parse(["--only", "images", "--seconds", "0.01"])
        XCTAssertThrowsError(try command.run()) { error in
            XCTAssertTrue("\(error)".contains("--images-dir"), "\(error)")
        }
        XCTAssertNil(try BenchCommand.parse([]).imagesDir)
        XCTAssertEqual(try BenchCommand.parse(["--images-dir", "/tmp/x"]).imagesDir, "/tmp/x")
    }
}
