import XCTest
import Foundation
@testable import Diagnosis

/// A real `diagnose` process cut short, out of room or out of rights (issue 16, docs/reliability.md):
/// a rerun after `kill -9` gives the report an uninterrupted run gives, and a run that cannot
/// write says why and leaves no partial report.
final class FaultTests: XCTestCase {
    /// The tool, built beside this test bundle by `swift test`.
    static let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("diagnose")
    static let fixture = DiagnosisRunTests.fixture

    /// A small oracle run: about 10 s on two cores.
    static func arguments(out: URL, cache: URL) -> [String] {
        ["--expert", "oracle", "--layers", "mask", "--quick", "--train-pairs", "1000", "--steps", "120", "--mlp-steps", "60",
         "--seed", "3", "--data-dir", fixture, "--out", out.path, "--cache-dir", cache.path, "--force"]
    }

    struct Outcome { let status: Int32; let signalled: Bool; let stderr: String }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], as user: String? = nil) throws -> Outcome {
        let p = Process()
        if let user {
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            p.arguments = ["-u", user, "--", tool.path] + arguments
        } else {
            p.executableURL = tool
            p.arguments = arguments
        }
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let errors = Pipe()
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                       stderr: String(decoding: data, as: UTF8.self))
    }

    /// report.json without its timings, which differ between any two runs.
    static func numbers(_ folder: URL) throws -> NSDictionary {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json")))
        let dict = try XCTUnwrap(json as? [String: Any])
        return dict.filter { $0.key != "timings_seconds" } as NSDictionary
    }

    private var root: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.tool.path) else {
            throw XCTSkip("no diagnose executable at \(Self.tool.path); `swift test` builds it")
        }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    func testRerunAfterKillAtEveryStageGivesTheUninterruptedReport() throws {
        let reference = root.appendingPathComponent("reference")
        let clean = try Self.run(Self.arguments(out: reference, cache: root.appendingPathComponent("cache-reference")))
        XCTAssertEqual(clean.status, 0, clean.stderr)
        let expected = try Self.numbers(reference)
        for point in KillPoint.allCases {
            let out = root.appendingPathComponent("report-\(point)"), cache = root.appendingPathComponent("cache-\(point)")
            let killed = try Self.run(Self.arguments(out: out, cache: cache), environment: [KillPoint.variable: point.rawValue])
            XCTAssertTrue(killed.signalled && killed.status == SIGKILL, "\(point): status \(killed.status)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(point): no report before the run completes")
            let rerun = try Self.run(Self.arguments(out: out, cache: cache))
            XCTAssertEqual(rerun.status, 0, "\(point): \(rerun.stderr)")
            XCTAssertEqual(try Self.numbers(out), expected, "\(point): the resumed report differs")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains(".partial-") }
            XCTAssertEqual(leftovers, [], "\(point): the killed run's staging folder is removed by the rerun")
        }
    }

    func testAFullDiskIsAClearErrorAndLeavesNoPartialReport() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root (CI runs as root)") }
        let disk = root.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mount = try Self.system("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.path])
        guard mount == 0 else { throw XCTSkip("this machine does not allow mounting a tmpfs") }
        defer { _ = try? Self.system("/bin/umount", [disk.path]) }
        let out = disk.appendingPathComponent("report")
        let full = try Self.run(Self.arguments(out: out, cache: root.appendingPathComponent("cache")))
        XCTAssertNotEqual(full.status, 0)
        XCTAssertFalse(full.signalled, "an error, not a crash: \(full.stderr)")
        XCTAssertTrue(full.stderr.contains("No space left on device"), full.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk.path), [], "nothing half-written is left")
    }

    func testAnUnwritableOutputFolderIsAClearErrorBeforeAnyWork() throws {
        guard getuid() == 0 else { throw XCTSkip("runs the tool as nobody, which needs root") }
        let locked = root.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.path)
        let outcome = try Self.run(Self.arguments(out: locked.appendingPathComponent("report"), cache: root.appendingPathComponent("cache")),
                                   as: "nobody")
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("cannot write in \(locked.path) (permission denied)"), outcome.stderr)
        XCTAssertFalse(outcome.stderr.contains("NSCocoaErrorDomain"), outcome.stderr)
    }

    func testATranslatorThatDivergesStopsWithAClearErrorAndNoReport() throws {
        let out = root.appendingPathComponent("report")
        let outcome = try Self.run(Self.arguments(out: out, cache: root.appendingPathComponent("cache")) + ["--learning-rate", "0.9"])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertFalse(outcome.signalled, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("diverged"), outcome.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains(".partial-") }, [])
    }

    static func system(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
