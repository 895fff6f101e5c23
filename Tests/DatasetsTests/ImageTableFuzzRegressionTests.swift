import Foundation
import XCTest
@testable import Datasets

/// Inputs found by fuzzing (`scripts/fuzz table`, docs/fuzzing.md); each is also a seed in
/// Fuzz/corpus/table/ so the fuzzer starts from it.
final class ImageTableFuzzRegressionTests: XCTestCase {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/table")

    /// A column of decimals with `22e41` in it: the value is a finite Double but overflows Float,
    /// so the column's range became inf...inf. Now the cell is refused by line and column.
    func testNumberBeyondFloatRangeIsRefused() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent("regression-float-overflow.csv")))
        XCTAssertThrowsError(try ImageTable.decode(bytes, path: "fuzz/table.csv", checkFiles: false)) { error in
            guard case let DatasetError.table(path, line, column, problem, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, "fuzz/table.csv")
            XCTAssertEqual(line, 2)
            XCTAssertEqual(column, "41")
            XCTAssertTrue(problem.contains("'22e41'") && problem.contains("32-bit floats"), problem)
        }
        // Declared continuous the same; the largest Float is still a value.
        XCTAssertThrowsError(try parse("path,x[continuous]\na.png,1\nb.png,-4e38\n"))
        let table = try parse("path,x\na.png,3.4028235e38\nb.png,-1.5\n")
        XCTAssertEqual(table.columns[0].kind, .continuous(-1.5...Float.greatestFiniteMagnitude))
    }

    /// A circular period that is positive as a Double but rounds to 0 or infinity as the Float it
    /// is kept as (which made every angle NaN) is refused in the header.
    func testCircularPeriodOutsideFloatRangeIsRefused() throws {
        for period in ["1e-50", "1e39"] {
            XCTAssertThrowsError(try parse("path,h[circular:\(period)]\na.png,1\n"), period) { error in
                guard case let DatasetError.table(_, _, column, problem, _) = error else { return XCTFail("unexpected \(error)") }
                XCTAssertEqual(column, "h")
                XCTAssertTrue(problem.contains("'\(period)'") && problem.contains("32-bit floats"), problem)
            }
        }
        let table = try parse("path,h[circular:1e-30]\na.png,0\n")
        XCTAssertEqual(table.columns[0].kind, .circular(period: 1e-30))
    }

    private func parse(_ text: String) throws -> ImageTable {
        try ImageTable.decode(Array(text.utf8), path: "t.csv", checkFiles: false)
    }
}
