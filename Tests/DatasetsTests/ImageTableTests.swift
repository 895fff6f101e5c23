import FileSupport
import Foundation
import XCTest
@testable import Datasets
@testable import Imaging

/// Reading image tables: RFC 4180 quoting, column typing, paths, and every refusal with its
/// line, column and fix.
final class ImageTableTests: XCTestCase {
    private var dir: String!

    override func setUpWithError() throws {
        dir = try Fixture.makeTempDirectory()
        for name in ["a.png", "b.png", "c.jpg", "sub/d.png"] { try touch(name) }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func touch(_ relative: String) throws {
        let path = "\(dir!)/\(relative)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try PNG.write(Bitmap(width: 1, height: 1, format: .rgb), to: path)
    }

    /// Writes a table file into the folder and reads it.
    private func read(_ text: String, name: String = "table.csv") throws -> ImageTable {
        let path = "\(dir!)/\(name)"
        try AtomicFile.write(Array(text.utf8), to: path)
        return try ImageTable.read(path)
    }

    /// Asserts a table error at a line and column whose message holds each of `words`.
    private func assertTableError(_ text: String, name: String = "table.csv", line: Int?, column: String?, _ words: [String],
                                  file: StaticString = #filePath, lineNumber: UInt = #line) {
        XCTAssertThrowsError(try read(text, name: name), file: file, line: lineNumber) { error in
            guard case let DatasetError.table(path, errorLine, errorColumn, _, fix) = error else {
                return XCTFail("unexpected \(error)", file: file, line: lineNumber)
            }
            XCTAssertEqual(path, "\(dir!)/\(name)", file: file, line: lineNumber)
            XCTAssertEqual(errorLine, line, "line", file: file, line: lineNumber)
            XCTAssertEqual(errorColumn, column, "column", file: file, line: lineNumber)
            XCTAssertFalse(fix.isEmpty, file: file, line: lineNumber)
            for word in words {
                XCTAssertTrue("\(error)".contains(word), "'\(word)' missing from: \(error)", file: file, line: lineNumber)
            }
        }
    }

    func testQuotedFieldsBlankLinesAndTypingFromAnExcelStyleCSV() throws {
        // BOM, CRLF, a blank line, quoted commas, a doubled quote, a line break inside quotes.
        let text = "\u{FEFF}path,label,size,score,hue[circular:360],note\r\n"
            + "a.png,cat,10,0.5,-10,\"big, fluffy\"\r\n"
            + "\r\n"
            + "b.png,dog,2,1.25,370,\"says \"\"woof\"\"\"\r\n"
            + "sub/d.png,cat,,-3e-1,90,\"two\r\nlines\"\r\n"
            + "c.jpg,\"bird\",2,,,\n"
        let table = try read(text)
        XCTAssertEqual(table.columns.map(\.name), ["label", "size", "score", "hue", "note"])
        XCTAssertEqual(table.columns[0].kind, .categorical(classes: 3))
        XCTAssertEqual(table.columns[0].categories, ["bird", "cat", "dog"])
        XCTAssertEqual(table.columns[1].kind, .categorical(classes: 2), "integers are categorical")
        XCTAssertEqual(table.columns[1].categories, ["2", "10"], "numeric order, not text order")
        XCTAssertEqual(table.columns[2].kind, .continuous(-0.3...1.25))
        XCTAssertEqual(table.columns[3].kind, .circular(period: 360))
        XCTAssertEqual(table.columns[4].categories, ["big, fluffy", "says \"woof\"", "two\r\nlines"])
        XCTAssertEqual(table.rows.map(\.line), [2, 4, 5, 7], "a row's line is where it starts")
        XCTAssertEqual(table.rows.map(\.path), ["a.png", "b.png", "sub/d.png", "c.jpg"].map { "\(dir!)/\($0)" })
        XCTAssertEqual(table.rows[0].values, [1, 1, 0.5, 350, 0])
        XCTAssertEqual(table.rows[1].values, [2, 0, 1.25, 10, 1])
        XCTAssertEqual(table.rows[2].values, [1, nil, -0.3, 90, 2], "an empty cell is a missing value")
        XCTAssertEqual(table.rows[3].values, [0, 0, nil, nil, nil])
        XCTAssertEqual(table.column(named: "hue"), 3)
        XCTAssertEqual(table.columns[3].descriptor.kind, .circular(period: 360))
    }

    func testTSVAndDeclaredKindsOverrideTheTyping() throws {
        let text = "path\tage[continuous]\tsite[categorical]\tturn[circular:1]\tcode\n"
            + "a.png\t30\t1.5\t1.25\tx1\n"
            + "b.png\t41\t0.5\t-0.25\t7\n"
        let table = try read(text, name: "set.TSV")
        XCTAssertEqual(table.columns.map(\.kind), [.continuous(30...41), .categorical(classes: 2), .circular(period: 1), .categorical(classes: 2)])
        XCTAssertEqual(table.columns[1].categories, ["0.5", "1.5"])
        XCTAssertEqual(table.columns[3].categories, ["7", "x1"], "integers and words together are labels")
        XCTAssertEqual(table.rows.map(\.values), [[30, 1, 0.25, 1], [41, 0, 0.75, 0]])
    }

    /// `[categorical:N]`: the codes are the values, and classes no row has still count.
    func testDeclaredClassCountKeepsTheCodesAsWritten() throws {
        let text = "path,digit[categorical:10],kind[categorical:4]\n"
            + "a.png,7,+0\n"
            + "b.png,,3\n"
            + "c.jpg,2,03\n"
        let table = try read(text)
        XCTAssertEqual(table.columns.map(\.kind), [.categorical(classes: 10), .categorical(classes: 4)])
        XCTAssertEqual(table.columns[0].categories, (0..<10).map(String.init))
        XCTAssertEqual(table.rows.map(\.values), [[7, 0], [nil, 3], [2, 3]])
        // Undeclared, the same integers would be renumbered by rank.
        XCTAssertEqual(try read("path,digit\na.png,7\nc.jpg,2\n").rows.map(\.values), [[1], [0]])
    }

    func testDeclaredClassCountRefusesOtherValues() {
        assertTableError("path,digit[categorical:10]\na.png,3\nb.png,10\n", line: 3, column: "digit",
                         ["'10' is not a class code 0...9", "integer from 0 to 9", "digit[categorical]"])
        assertTableError("path,digit[categorical:10]\na.png,-1\n", line: 2, column: "digit", ["'-1' is not a class code"])
        assertTableError("path,digit[categorical:10]\na.png,2.0\n", line: 2, column: "digit", ["'2.0' is not a class code"])
        assertTableError("path,digit[categorical:10]\na.png,cat\n", line: 2, column: "digit", ["'cat' is not a class code"])
        assertTableError("path,digit[categorical:1]\na.png,0\n", line: 1, column: "digit", ["class count '1'", "2...65536", "digit[categorical:10]"])
        assertTableError("path,digit[categorical:ten]\na.png,0\n", line: 1, column: "digit", ["class count 'ten'"])
        assertTableError("path,digit[categorical:99999999999999999999]\na.png,0\n", line: 1, column: "digit", ["class count"])
    }

    /// A Float written as its shortest text (Swift's `description`) reads back as the same Float,
    /// in continuous and circular columns: what `diagnose scenes --table` relies on.
    func testShortestFloatTextReadsBackExactly() throws {
        var generator = SystemRandomNumberGenerator()
        var floats = (0..<300).map { _ in Float.random(in: 0..<1, using: &generator) }
        floats += [0, 0.45, 0.99999994, 1e-7, Float.leastNormalMagnitude, 0.1, 1 / 3]
        let text = "path,x[continuous],h[circular:1]\n" + floats.enumerated().map { "a\($0.offset).png,\($0.element),\($0.element)\n" }.joined()
        let table = try ImageTable.parse(text, source: "floats.csv", delimiter: UInt8(ascii: ","), folder: dir, checkFiles: false)
        for (row, x) in zip(table.rows, floats) {
            XCTAssertEqual(row.values[0].map { $0.bitPattern }, x.bitPattern, "continuous \(x)")
            XCTAssertEqual(row.values[1].map { $0.bitPattern }, x.bitPattern, "circular \(x)")
        }
    }

    /// Paths may leave the table's folder or be absolute; they must exist.
    func testPathsAreRelativeToTheTablesFolderAndMayLeaveIt() throws {
        let inner = "\(dir!)/tables"
        try FileManager.default.createDirectory(atPath: inner, withIntermediateDirectories: true)
        let text = "path\n../a.png\n\(dir!)/b.png\n./../sub/d.png\n"
        try AtomicFile.write(Array(text.utf8), to: "\(inner)/t.csv")
        let table = try ImageTable.read("\(inner)/t.csv")
        XCTAssertEqual(table.rows.map(\.path), ["a.png", "b.png", "sub/d.png"].map { "\(dir!)/\($0)" })
        XCTAssertEqual(table.columns, [])
    }

    func testMissingPathColumnDuplicateColumnsAndEmptyNames() {
        assertTableError("file,label\na.png,x\n", line: 1, column: nil, ["no column named `path`", "'file', 'label'", "Add a column named path"])
        assertTableError("path;label\na.png;x\n", line: 1, column: nil, ["'path;label'", "split at each comma"])
        assertTableError("path,label,label[continuous]\na.png,x,1\n", line: 1, column: "label", ["cells 2 and 3", "own name"])
        assertTableError("path,label,\na.png,x,\n", line: 1, column: nil, ["header cell 3 of 3 has no column name"])
        assertTableError("path[categorical],x\na.png,1\n", line: 1, column: "path", ["declared kind"])
    }

    func testDeclarationsMustBeWellFormed() {
        assertTableError("path,hue[circular]\na.png,1\n", line: 1, column: "hue", ["needs its period", "hue[circular:360]"])
        assertTableError("path,hue[circular:0]\na.png,1\n", line: 1, column: "hue", ["'0'", "not a positive number"])
        assertTableError("path,hue[circular:inf]\na.png,1\n", line: 1, column: "hue", ["'inf'"])
        assertTableError("path,hue[angle]\na.png,1\n", line: 1, column: "hue", ["unknown column kind '[angle]'", "name[circular:PERIOD]", "name[categorical:N]"])
        assertTableError("path,hue[circular:360\na.png,1\n", line: 1, column: "hue[circular:360", ["unmatched bracket"])
        // After a byte order mark and blank lines the header is not line 1: the error says where it is.
        assertTableError("\u{FEFF}\n\r\npath,hue[circular]\na.png,1\n", line: 3, column: "hue", ["needs its period"])
        assertTableError("\n\npath,digit[categorical:1]\na.png,0\n", line: 3, column: "digit", ["class count '1'"])
        assertTableError("\n\nfile,label\na.png,x\n", line: 3, column: nil, ["no column named `path`"])
    }

    func testRowsWithTheWrongNumberOfFieldsAndEmptyOrRepeatedPaths() {
        assertTableError("path,a,b\na.png,1,2\nb.png,1\n", line: 3, column: nil, ["2 fields where the header has 3", "double quotes"])
        assertTableError("path,a\na.png,1\nb.png,1.5,2\n", line: 3, column: nil, ["3 fields where the header has 2"])
        assertTableError("path,a\na.png,1\n  ,2\n", line: 3, column: "path", ["no path"])
        assertTableError("path,a\na.png,1\nb.png,2\n./a.png,3\n", line: 4, column: "path", ["'./a.png' is the same image as line 2's", "once"])
    }

    /// The bad input: a non-numeric value in a continuous column, declared or not.
    func testNonNumbersInNumericColumnsNameTheCell() {
        assertTableError("path,age[continuous]\na.png,30\nb.png,thirty\n", line: 3, column: "age",
                         ["'thirty' is not a number", "declared continuous", "age[categorical]"])
        assertTableError("path,hue[circular:360]\na.png,3,5\n", line: 2, column: nil, ["3 fields where the header has 2"])
        assertTableError("path,hue[circular:360]\na.png,\"3,5\"\n", line: 2, column: "hue", ["'3,5' is not a number", "decimal point"])
        assertTableError("path,score\na.png,0.5\nb.png,n/a\nc.jpg,2\n", line: 3, column: "score",
                         ["'n/a' is not a number, in a column of decimal numbers", "Leave missing values empty"])
        assertTableError("path,score\na.png,\nb.png, \n", line: nil, column: "score", ["every cell is empty"])
    }

    func testImagesThatDoNotExistAreListedWithTheirLines() throws {
        assertTableError("path\na.png\nmissing.png\nsub\n", line: 3, column: "path",
                         ["2 of 3 images do not exist or are not files", "line 3: \(dir!)/missing.png", "line 4: \(dir!)/sub", "relative to the table's folder"])
        let many = "path\n" + (0..<13).map { "gone\($0).png\n" }.joined()
        assertTableError(many, line: 2, column: "path", ["13 of 13 images", "line 11: \(dir!)/gone9.png", "and 3 more"])
    }

    func testBrokenQuotingEmptyTablesAndWrongFiles() throws {
        assertTableError("path,note\na.png,\"open\nb.png,x\n", line: 2, column: nil, ["never closed"])
        assertTableError("path,note\na.png,say \"hi\"\n", line: 2, column: nil, ["double quote inside an unquoted field", "\"a \"\"b\"\" c\""])
        assertTableError("path,note\na.png,\"hi\" there\n", line: 2, column: nil, ["text after the closing quote"])
        assertTableError("", line: nil, column: nil, ["the table is empty"])
        assertTableError("\n\n", line: nil, column: nil, ["the table is empty"])
        assertTableError("path,label\n", line: nil, column: nil, ["no rows"])
        assertTableError("path\na.png\n", name: "table.txt", line: nil, column: nil, [".csv", ".tsv"])
        let path = "\(dir!)/latin1.csv"
        try AtomicFile.write(Array("path,label\na.png,caf".utf8) + [0xE9] + [0x0A], to: path)
        XCTAssertThrowsError(try ImageTable.read(path)) { error in
            XCTAssertTrue("\(error)".contains("not UTF-8") && "\(error)".contains("Save the table as UTF-8"), "\(error)")
        }
        XCTAssertThrowsError(try ImageTable.read("\(dir!)/none.csv")) { error in
            guard case DatasetError.unreadable("\(dir!)/none.csv", _) = error else { return XCTFail("unexpected \(error)") }
        }
    }

    /// RFC 4180's own examples (section 2), as records.
    func testDelimitedTextFollowsRFC4180() throws {
        func records(_ text: String, _ delimiter: Character = ",") throws -> [[String]] {
            try DelimitedText.records(text, delimiter: delimiter.asciiValue!, source: "t").map(\.fields)
        }
        XCTAssertEqual(try records("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n"), [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
        XCTAssertEqual(try records("aaa,bbb,ccc\r\nzzz,yyy,xxx"), [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
        XCTAssertEqual(try records("\"aaa\",\"b\r\nbb\",\"ccc\""), [["aaa", "b\r\nbb", "ccc"]])
        XCTAssertEqual(try records("\"aaa\",\"b\"\"bb\",\"ccc\""), [["aaa", "b\"bb", "ccc"]])
        XCTAssertEqual(try records(",,\n\"\"\n"), [["", "", ""], [""]], "a quoted empty field is a record, a blank line is not")
        XCTAssertEqual(try records("a\tb,c\n\"x\ty\"\tz", "\t"), [["a", "b,c"], ["x\ty", "z"]])
        XCTAssertEqual(try DelimitedText.records("a\n\"b\nc\"\nd\r\re", delimiter: 44, source: "t").map(\.line), [1, 2, 4, 6])
    }
}
