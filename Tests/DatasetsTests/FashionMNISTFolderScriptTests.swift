import FileSupport
import Foundation
import XCTest
@testable import Datasets
@testable import Imaging

/// `scripts/fashion-mnist-folder` (Python) on the fixture subset: ImageFolder.scan and
/// ImageTable.read see the items it was asked for, with their classes and pixels, and an
/// existing folder is replaced only when the script wrote it and --force is given.
final class FashionMNISTFolderScriptTests: XCTestCase {
    private var dir: String!
    private let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/fashion-mnist-folder").path

    override func setUpWithError() throws {
        dir = try Fixture.makeTempDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Runs the script with python3; returns its exit status and standard error.
    private func run(_ arguments: [String], dataDir: String = Fixture.directory) throws -> (status: Int32, stderr: String) {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { throw XCTSkip("python3 is not installed; the script needs it") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments + ["--data-dir", dataDir]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// The folder name of a Fashion-MNIST label, as the script writes it.
    private func folderName(_ label: Int) -> String {
        FashionMNIST.classNames[label].replacingOccurrences(of: "/", with: "_")
    }

    func testTheFolderAndTheTableSeeTheSameItemsClassesAndPixels() throws {
        for (split, mnist, count) in [("train", Fixture.train, 300), ("test", Fixture.test, Fixture.test.count)] {
            let out = "\(dir!)/\(split)"
            let arguments = [out, "--split", split] + (split == "train" ? ["--count", "\(count)"] : [])
            let result = try run(arguments)
            XCTAssertEqual(result.status, 0, result.stderr)

            let scanned = try ImageFolder.scan(out)
            let table = try ImageTable.read("\(out)/classes.csv")
            XCTAssertEqual(scanned.rows.count, count)
            XCTAssertEqual(table.rows.count, count)
            let present = Set((0..<count).map { folderName(mnist.label($0)) })
            let classes = present.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            XCTAssertEqual(scanned.columns, [AttributeColumn(name: "class", kind: .categorical(classes: classes.count), categories: classes)])
            XCTAssertEqual(table.columns, scanned.columns, "the table types its class column as the folder does")

            // Table rows in index order; each path's class is the item's label, the same code both ways.
            let scannedCode = Dictionary(uniqueKeysWithValues: scanned.rows.map { ($0.path, $0.values[0]) })
            for (index, row) in table.rows.enumerated() {
                let name = folderName(mnist.label(index))
                let digits = String(index)
                XCTAssertEqual(row.path, "\(out)/\(name)/\(String(repeating: "0", count: 5 - digits.count))\(digits).png")
                XCTAssertEqual(row.values[0].map { classes[Int($0)] }, name)
                XCTAssertEqual(scannedCode[row.path], row.values[0], row.path)
            }
            for index in [0, 1, count / 2, count - 1] {
                let bitmap = try ImageFile.read(table.rows[index].path)
                XCTAssertEqual([bitmap.width, bitmap.height], [28, 28])
                XCTAssertEqual(bitmap.samples, mnist.image(index).flatMap { [$0, $0, $0] }, "\(split) item \(index)")
            }
        }
    }

    func testRefusalsNameTheFix() throws {
        let out = "\(dir!)/set"
        XCTAssertEqual(try run([out, "--count", "20"]).status, 0)
        let again = try run([out, "--count", "10"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already holds") && again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try run([out, "--count", "10", "--force"]).status, 0)
        XCTAssertEqual(try ImageTable.read("\(out)/classes.csv").rows.count, 10)

        try AtomicFile.write(Array("mine".utf8), to: "\(out)/notes.txt")
        let foreign = try run([out, "--force"])
        XCTAssertEqual(foreign.status, 1)
        XCTAssertTrue(foreign.stderr.contains("not a folder this script wrote") && foreign.stderr.contains("'notes.txt'"), foreign.stderr)
        XCTAssertEqual(try AtomicFile.read("\(out)/notes.txt"), Array("mine".utf8))

        let tooMany = try run(["\(dir!)/big", "--split", "test", "--count", "100000"])
        XCTAssertEqual(tooMany.status, 1)
        XCTAssertTrue(tooMany.stderr.contains("only \(Fixture.test.count) items") && tooMany.stderr.contains("--count \(Fixture.test.count) or less"),
                      tooMany.stderr)
        let missing = try run(["\(dir!)/none"], dataDir: dir)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("does not exist") && missing.stderr.contains("apt-get install dataset-fashion-mnist"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir!)/big"))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.contains(".partial-") })
    }
}
