import FileSupport
import Datasets
import Foundation
import Imaging
import XCTest
@testable import DiagnoseCLI

/// `diagnose scenes`: --table selects the folder, a .png --out the contact sheet, and every
/// mix-up of the two is refused naming the fix.
final class ScenesCommandTests: XCTestCase {
    private var dir: String!
    private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fashion-mnist-subset").path

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("scenes-command-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func run(_ arguments: [String]) throws {
        var command = try Diagnose.parseAsRoot(["scenes", "--data-dir", fixture] + arguments)
        try command.run()
    }

    private func refuses(_ arguments: [String], mentioning words: [String], line: UInt = #line) {
        XCTAssertThrowsError(try run(arguments), line: line) { error in
            let message = Diagnose.message(for: error)
            for w in words { XCTAssertTrue(message.contains(w), "\(message) should mention \(w)", line: line) }
        }
    }

    func testTableWritesAFolderThatReadsBackAndRefusesToOverwriteItWithoutForce() throws {
        let out = "\(dir!)/scenes"
        try run(["--table", "--count", "12", "--start", "3", "--size", "64", "--split", "test", "--seed", "5", "--out", out])
        let table = try ImageTable.read("\(out)/factors.csv")
        XCTAssertEqual(table.rows.count, 12)
        XCTAssertEqual(table.rows.first?.path, "\(out)/scene-000003.png")
        let world = try FashionScenes(mnist: FashionMNIST(split: .test, directory: fixture), size: 64, seed: 5)
        XCTAssertEqual(table.rows[0].values.map { $0! }, world.factors(3).values)
        XCTAssertEqual(try ImageFile.read("\(out)/scene-000014.png").width, 64)

        refuses(["--table", "--count", "4", "--out", out], mentioning: ["already holds scenes", "--force"])
        try run(["--table", "--count", "4", "--out", out, "--force"])
        XCTAssertEqual(try ImageTable.read("\(out)/factors.csv").rows.count, 4)
    }

    func testTheSheetIsStillAPNG() throws {
        let out = "\(dir!)/sheet.png"
        try run(["--count", "3", "--out", out])
        let sheet = try ImageFile.read(out)
        XCTAssertGreaterThan(sheet.width, 3 * 64)
    }

    func testMixedUpModesAreRefusedWithTheFix() {
        refuses(["--table", "--out", "\(dir!)/x.png"], mentioning: ["x.png names a PNG file", "--out scenes"])
        refuses(["--table"], mentioning: ["--table writes a folder", "--out DIR"])
        refuses(["--out", "\(dir!)/folder"], mentioning: ["does not end in .png", "add --table"])
        refuses(["--force", "--out", "\(dir!)/s.png"], mentioning: ["--force only applies with --table"])
        refuses(["--table", "--scale", "2", "--out", "\(dir!)/f"], mentioning: ["--scale and --columns", "Leave them out"])
        refuses(["--table", "--count", "0", "--out", "\(dir!)/f"], mentioning: ["--count", "1...1000000"])
        refuses(["--table", "--count", "10", "--start", "999995", "--out", "\(dir!)/f"], mentioning: ["lower --start"])
        refuses(["--count", "20000", "--out", "\(dir!)/s.png"], mentioning: ["1...10000"])
        refuses(["--table", "--size", "48", "--out", "\(dir!)/f"], mentioning: ["--size must be 32 or 64"])
    }

    func testAFolderOfSomeoneElsesIsRefusedBeforeAnythingIsRead() throws {
        try AtomicFile.write(Array("mine".utf8), to: "\(dir!)/notes.txt")
        // No Fashion-MNIST needed to refuse: --data-dir points nowhere.
        XCTAssertThrowsError(try {
            var command = try Diagnose.parseAsRoot(["scenes", "--table", "--out", dir, "--force", "--data-dir", "/nonexistent"])
            try command.run()
        }()) { error in
            XCTAssertTrue("\(error)".contains("not a scene folder of ours"), "\(error)")
        }
        XCTAssertEqual(try AtomicFile.read("\(dir!)/notes.txt"), Array("mine".utf8))
    }
}
