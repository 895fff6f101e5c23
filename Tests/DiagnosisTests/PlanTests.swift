import XCTest
import Foundation
@testable import Diagnosis

/// The run as a plan of tasks (issue 17, docs/scale.md): tasks run as separate `diagnose task`
/// processes, in any order within a stage, give the single-process report.json bit for bit but
/// for `timings_seconds`; bad run folders are errors that say what to do.
final class PlanTests: XCTestCase {
    static let tool = FaultTests.tool

    /// A small oracle run over two layers: about 15 s in one process on two cores.
    static let runOptions = ["--expert", "oracle", "--layers", "gray,lowres", "--quick", "--train-pairs", "1000", "--steps", "120",
                             "--mlp-steps", "60", "--seed", "3", "--data-dir", FaultTests.fixture]

    struct Output { let status: Int32; let stdout: String; let stderr: String }

    @discardableResult
    static func tool(_ arguments: [String]) throws -> Output {
        let r = try Shell.run(tool, arguments)
        return Output(status: r.status, stdout: r.output, stderr: r.errors)
    }

    /// report.json's exact text with the `timings_seconds` object cut out: the one part that differs.
    static func reportWithoutTimings(_ folder: URL) throws -> String {
        let text = try String(contentsOf: folder.appendingPathComponent("report.json"), encoding: .utf8)
        guard let start = text.range(of: "\"timings_seconds\" : {"),
              let end = text.range(of: "}", range: start.upperBound..<text.endIndex) else {
            XCTFail("report.json has no timings_seconds object"); return text
        }
        return String(text[..<start.lowerBound]) + String(text[end.upperBound...])
    }

    /// The single-process report of `runOptions`, made once per test run.
    static func singleProcessReport(in root: URL) throws -> String {
        let out = root.appendingPathComponent("single")
        let r = try tool(runOptions + ["--out", out.path, "--cache-dir", root.appendingPathComponent("cache-single").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try reportWithoutTimings(out)
    }

    var root: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.tool.path) else {
            throw XCTSkip("no diagnose executable at \(Self.tool.path); `swift test` builds it")
        }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    func testTasksAsSeparateProcessesInShuffledOrderGiveTheSingleProcessReport() throws {
        let expected = try Self.singleProcessReport(in: root)
        let run = root.appendingPathComponent("run")
        // Shards of 500 scenes: the 1,000 training scenes are extracted by two tasks.
        let planOptions = Self.runOptions + ["--shard-scenes", "500", "--run", run.path]
        let planned = try Self.tool(["plan"] + planOptions)
        XCTAssertEqual(planned.status, 0, planned.stderr)
        let plan = try RunPlan.load(run)
        XCTAssertEqual(plan.tasks.map(\.stage), Array(repeating: .features, count: 4) + Array(repeating: .translators, count: 5)
                                                + [.evaluation, .evaluation])
        XCTAssertEqual(plan.tasks(of: .features).map(\.name), ["features-train-1", "features-train-2", "features-selection", "features-test"])
        XCTAssertEqual(plan.tasks(of: .features).map(\.scenes), [0..<500, 500..<1000, 1000..<1500, 0..<500])
        XCTAssertEqual(try Self.tool(["plan"] + planOptions).stdout.contains("already this plan"), true)

        // A task whose inputs are not done refuses; assemble names what is missing.
        let early = try Self.tool(["task", run.path, "--index", "9"])
        XCTAssertNotEqual(early.status, 0)
        XCTAssertTrue(early.stderr.contains("not done"), early.stderr)
        let tooSoon = try Self.tool(["assemble", run.path])
        XCTAssertNotEqual(tooSoon.status, 0)
        XCTAssertTrue(tooSoon.stderr.contains("11 of 11 tasks are not done") && tooSoon.stderr.contains("0 features-train-1"), tooSoon.stderr)

        // Each stage's tasks in a shuffled order (seeded), each in a process of its own.
        var rng = SystemRandomNumberGenerator()
        for stage in PlanTask.Stage.allCases {
            var order = plan.tasks(of: stage).map(\.index)
            order = stage == .translators ? order.shuffled(using: &rng) : order.reversed()
            for i in order {
                let r = try Self.tool(["task", run.path, "--index", "\(i)"])
                XCTAssertEqual(r.status, 0, "task \(i): \(r.stderr)")
            }
        }
        let again = try Self.tool(["task", run.path, "--index", "5"])
        XCTAssertTrue(again.stdout.contains("already done, skipped"), again.stdout)
        let status = try Self.tool(["status", run.path])
        XCTAssertTrue(status.stdout.contains("11 done, 0 running, 0 failed, 0 pending of 11 tasks"), status.stdout)

        let assembled = try Self.tool(["assemble", run.path])
        XCTAssertEqual(assembled.status, 0, assembled.stderr)
        XCTAssertEqual(try Self.reportWithoutTimings(run.appendingPathComponent("report")), expected)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.contains(".partial-") || $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], "nothing half-written is left behind")
    }

    /// `--seeds K` in a plan: each seed's translators and evaluations are tasks of their own, and
    /// the assembled report is the single process's, mean ± sd included.
    func testSeedsAsTasksGiveTheSingleProcessReport() throws {
        let options = ["--expert", "oracle", "--layers", "gray", "--quick", "--train-pairs", "500", "--steps", "60", "--mlp-steps", "40",
                       "--seed", "4", "--seeds", "2", "--data-dir", FaultTests.fixture]
        let single = root.appendingPathComponent("single")
        let r = try Self.tool(options + ["--out", single.path, "--cache-dir", root.appendingPathComponent("cache-single").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = root.appendingPathComponent("run")
        let planned = try Self.tool(["plan"] + options + ["--run", run.path])
        XCTAssertEqual(planned.status, 0, planned.stderr)
        let plan = try RunPlan.load(run)
        XCTAssertEqual(plan.tasks(of: .translators).map(\.name),
                       ["unconditional", "cinn-gray", "mlp-gray", "unconditional-seed5", "cinn-gray-seed5", "mlp-gray-seed5"])
        XCTAssertEqual(plan.tasks(of: .evaluation).map(\.name), ["evaluation-gray", "evaluation-gray-seed5"])
        for task in plan.tasks.reversed().sorted(by: { $0.stage.order < $1.stage.order }) {
            let t = try Self.tool(["task", run.path, "--index", "\(task.index)"])
            XCTAssertEqual(t.status, 0, "task \(task.name): \(t.stderr)")
        }
        let assembled = try Self.tool(["assemble", run.path])
        XCTAssertEqual(assembled.status, 0, assembled.stderr)
        let report = try Self.reportWithoutTimings(run.appendingPathComponent("report"))
        XCTAssertTrue(report.contains("\"translator_seeds\" : [\n    4,\n    5\n  ]"), report)
        XCTAssertEqual(report, try Self.reportWithoutTimings(single))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("report/translators/seed-5/gray-cinn.safetensors").path))
    }

    func testBadRunFoldersAreClearErrors() throws {
        let run = root.appendingPathComponent("run")
        XCTAssertThrowsError(try RunPlan.load(run)) { XCTAssertTrue("\($0)".contains("does not exist") && "\($0)".contains("diagnose plan"), "\($0)") }
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        XCTAssertThrowsError(try RunPlan.load(run)) { XCTAssertTrue("\($0)".contains("holds no plan.json"), "\($0)") }
        try Data("{\"tasks\": [".utf8).write(to: run.appendingPathComponent("plan.json"))
        XCTAssertThrowsError(try RunPlan.load(run)) { XCTAssertTrue("\($0)".contains("not a plan written by diagnose"), "\($0)") }
        try Data("{\"format\": \"diagnose-run-plan\", \"format_version\": 99, \"diagnose_version\": \"9.9\"}".utf8)
            .write(to: run.appendingPathComponent("plan.json"))
        XCTAssertThrowsError(try RunPlan.load(run)) {
            XCTAssertTrue("\($0)".contains("made by diagnose 9.9") && "\($0)".contains("plan it again"), "\($0)")
        }
        try Data("{\"format\": \"diagnose-run-plan\", \"format_version\": \(RunPlan.currentFormatVersion), \"diagnose_version\": \"\(DiagnosisPipeline.version)\"}".utf8)
            .write(to: run.appendingPathComponent("plan.json"))
        XCTAssertThrowsError(try RunPlan.load(run)) { XCTAssertTrue("\($0)".contains("is damaged"), "\($0)") }

        // A folder with files of someone else's is never made a run folder, with or without --force.
        let foreign = root.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        for force in [[], ["--force"]] {
            let r = try Self.tool(["plan"] + Self.runOptions + ["--run", foreign.path] + force)
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.stderr.contains("holds no plan.json, so it is not a run folder of ours"), r.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: foreign.path), ["notes.txt"])

        let good = root.appendingPathComponent("good")
        XCTAssertEqual(try Self.tool(["plan"] + Self.runOptions + ["--run", good.path]).status, 0)
        let outOfRange = try Self.tool(["task", good.path, "--index", "10"])
        XCTAssertTrue(outOfRange.stderr.contains("--index 10 is out of range") && outOfRange.stderr.contains("0...9"), outOfRange.stderr)
        let other = try Self.tool(["plan"] + Self.runOptions + ["--seed", "4", "--run", good.path])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.stderr.contains("holds a plan for other settings (seed: 3 there, 4 now)"), other.stderr)
        let otherShards = try Self.tool(["plan"] + Self.runOptions + ["--shard-scenes", "300", "--run", good.path])
        XCTAssertTrue(otherShards.stderr.contains("(shard_scenes: 2000 there, 300 now)"), otherShards.stderr)
        let badShards = try Self.tool(["plan"] + Self.runOptions + ["--shard-scenes", "0", "--run", root.appendingPathComponent("new").path])
        XCTAssertTrue(badShards.stderr.contains("--shard-scenes 0 is out of range"), badShards.stderr)
        XCTAssertEqual(try Self.tool(["plan"] + Self.runOptions + ["--seed", "4", "--run", good.path, "--force"]).status, 0)
        XCTAssertEqual(try RunPlan.load(good).options.seed, 4)
    }

    func testArraySpecsAndScripts() throws {
        XCTAssertEqual(SlurmSubmission.arraySpec([3, 4, 5, 7, 9, 10]), "3-5,7,9-10")
        XCTAssertEqual(SlurmSubmission.arraySpec([4]), "4")
        XCTAssertEqual(SlurmSubmission.quoted("it's"), "'it'\\''s'")
    }
}
