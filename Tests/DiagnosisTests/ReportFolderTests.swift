import XCTest
import Foundation
@testable import Diagnosis
import FileSupport
import Experts

/// `--out` and `--force` never remove what the tool did not write (issue 16): every refusal names
/// the folder and the fix, and a run that dies leaves nothing that outlives the next run.
final class ReportFolderTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("report-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.appendingPathComponent("locked").path)
        try? FileManager.default.removeItem(at: root)
    }

    private func refuses(_ url: URL, force: Bool = true, mentioning words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ReportFolder(url, force: force), file: file, line: line) { error in
            for w in words { XCTAssertTrue("\(error)".contains(w), "\(error) should mention \(w)", file: file, line: line) }
        }
    }

    func testForceNeverReplacesTheWorkingHomeProjectOrRootFolder() {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        refuses(URL(fileURLWithPath: "."), mentioning: ["working, home or project", "--out report"])
        refuses(URL(fileURLWithPath: ""), mentioning: ["--out"])
        refuses(cwd.deletingLastPathComponent(), mentioning: ["is or holds"])
        refuses(URL(fileURLWithPath: NSHomeDirectory()), mentioning: ["is or holds"])
        refuses(ProjectFiles.root, mentioning: ["is or holds"])
        refuses(URL(fileURLWithPath: "/"), mentioning: ["--out"])
    }

    func testForceReplacesOnlyReportsOrEmptyFolders() throws {
        let fm = FileManager.default
        let foreign = root.appendingPathComponent("thesis")
        try fm.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("chapter 1".utf8).write(to: foreign.appendingPathComponent("chapter1.tex"))
        refuses(foreign, mentioning: ["no report.json", "not a report of ours"])
        refuses(foreign, force: false, mentioning: ["--force"])
        XCTAssertTrue(fm.fileExists(atPath: foreign.appendingPathComponent("chapter1.tex").path), "nothing was removed")

        let empty = root.appendingPathComponent("empty")
        try fm.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertNoThrow(try ReportFolder(empty, force: true))

        let report = root.appendingPathComponent("report")
        try fm.createDirectory(at: report, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: report.appendingPathComponent("report.json"))
        let folder = try ReportFolder(report, force: true)
        try folder.prepareStaging(subfolders: ["translators"])
        try Data("new".utf8).write(to: folder.staging.appendingPathComponent("report.json"))
        try folder.publish()
        XCTAssertEqual(try String(contentsOf: report.appendingPathComponent("report.json"), encoding: .utf8), "new")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: root.path).sorted(), ["empty", "report", "thesis"],
                       "no staging or old folder is left behind")
    }

    func testOutputUnderAFileOrAnUnwritableFolderIsAClearError() throws {
        let file = root.appendingPathComponent("notes.txt")
        try Data("x".utf8).write(to: file)
        refuses(file, mentioning: ["is a file"])
        refuses(file.appendingPathComponent("report"), mentioning: ["notes.txt is a file, not a folder"])
        guard getuid() != 0 else { return }  // root writes anywhere; the CLI test below covers it as nobody
        let locked = root.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
        refuses(locked.appendingPathComponent("report"), mentioning: ["permission denied"])
    }

    func testStagingFoldersOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let fm = FileManager.default
        // A process that has exited: its PID names a staging folder nobody owns any more.
        let done = Process()
        done.executableURL = URL(fileURLWithPath: "/bin/true")
        try done.run()
        done.waitUntilExit()
        let dead = root.appendingPathComponent(".report.partial-\(done.processIdentifier)")
        let live = root.appendingPathComponent(".report.partial-1")  // init: always alive
        let other = root.appendingPathComponent(".other.partial-\(done.processIdentifier)")
        for dir in [dead, live, other] { try fm.createDirectory(at: dir, withIntermediateDirectories: true) }
        let folder = try ReportFolder(root.appendingPathComponent("report"), force: false)
        try folder.prepareStaging(subfolders: [])
        XCTAssertFalse(fm.fileExists(atPath: dead.path), "a dead run's staging folder is removed")
        XCTAssertTrue(fm.fileExists(atPath: live.path), "a live process's staging folder is kept")
        XCTAssertTrue(fm.fileExists(atPath: other.path), "another report's folders are not ours to touch")
        XCTAssertTrue(fm.fileExists(atPath: folder.staging.path))
        folder.discardStaging()
    }

    func testOptionsOutOfRangeNameTheFlagAndTheRange() {
        func fails(_ change: (inout DiagnosisOptions) -> Void, _ words: [String], line: UInt = #line) {
            var o = DiagnosisOptions()
            change(&o)
            XCTAssertThrowsError(try o.validate(), line: line) { e in
                for w in words { XCTAssertTrue("\(e)".contains(w), "\(e) should mention \(w)", line: line) }
            }
        }
        fails({ $0.layers = [] }, ["--layers is empty"])
        fails({ $0.samples = 4_611_686_018_427_387_904 }, ["--samples", "2...64"])
        fails({ $0.samples = 100_000 }, ["--samples", "2...64"])
        fails({ $0.testScenes = 0 }, ["--test-scenes"])
        fails({ $0.trainPairs = -5 }, ["--train-pairs"])
        fails({ $0.learningRate = .nan }, ["--learning-rate"])
        XCTAssertNoThrow(try DiagnosisOptions().validate())
        XCTAssertNoThrow(try DiagnosisOptions.quick.validate())
    }

    func testAProbeShapeThatIsNotTheExpertsNamesBoth() throws {
        let json = #"{"name": "mask", "shape": [1, 16, 16], "description": "wrong size"}"#
        let layer = try JSONDecoder().decode(ProbeLayer.self, from: Data(json.utf8))
        XCTAssertThrowsError(try RunInputs.checkShapes([layer], of: OracleExpert())) { error in
            XCTAssertTrue("\(error)".contains("'mask' the shape [1, 16, 16], but the expert's is [1, 32, 32]"), "\(error)")
        }
        let right = try JSONDecoder().decode(ProbeLayer.self, from: Data(#"{"name": "mask", "shape": [1, 32, 32], "description": ""}"#.utf8))
        XCTAssertNoThrow(try RunInputs.checkShapes([right], of: OracleExpert()))
    }
}
