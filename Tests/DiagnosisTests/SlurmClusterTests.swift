import XCTest
import Foundation
@testable import Diagnosis

/// `diagnose submit` on a real Slurm cluster (issue 17): the plan as job arrays, one array task
/// killed with scancel while it runs, the run resubmitted, and the report compared with a
/// single-process run. CI starts a single-node cluster (`scripts/slurm-test-cluster start`) and
/// sets DIAGNOSE_REQUIRE_SLURM=1, so that there the test fails rather than skips without one.
final class SlurmClusterTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: PlanTests.tool.path) else {
            throw XCTSkip("no diagnose executable at \(PlanTests.tool.path); `swift test` builds it")
        }
        let required = ProcessInfo.processInfo.environment["DIAGNOSE_REQUIRE_SLURM"] == "1"
        let reachable = Shell.find("sbatch") != nil && Shell.find("sinfo").flatMap { try? Shell.run($0, ["-h", "-o", "%T"]) }
            .map { $0.status == 0 && $0.output.contains(where: \.isLetter) } == true
        if !reachable {
            let message = "no Slurm cluster is reachable (sbatch and a responding sinfo); start one with `scripts/slurm-test-cluster start`"
            if required { XCTFail(message + " (DIAGNOSE_REQUIRE_SLURM=1)"); throw XCTSkip(message) }
            throw XCTSkip(message)
        }
        // Slurm's jobs read the run folder by its path: a temporary folder on this single node is shared.
        root = URL(fileURLWithPath: "/tmp").appendingPathComponent("slurm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDown() { if let root { try? FileManager.default.removeItem(at: root) } }

    func squeue(_ job: String) throws -> String {
        try Shell.run(Shell.find("squeue")!, ["-h", "-j", job, "-o", "%i %T"]).output
    }

    func jobs(_ run: URL) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(contentsOf: run.appendingPathComponent(SlurmSubmission.submittedFile)))
    }

    /// Waits until none of `jobs` is queued or running.
    func waitForQueue(_ jobs: [String], timeout: TimeInterval = 600) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try jobs.allSatisfy({ try squeue($0).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { return }
            usleep(500_000)
        }
        XCTFail("jobs \(jobs) still queued after \(Int(timeout)) s")
    }

    func jobState(_ job: String) throws -> String {
        let out = try Shell.run(Shell.find("scontrol")!, ["show", "job", job]).output
        return out.components(separatedBy: .whitespacesAndNewlines).first { $0.hasPrefix("JobState=") } ?? "JobState=?"
    }

    func testSubmitKillOneArrayTaskResubmitGivesTheSingleProcessReport() throws {
        let expected = try PlanTests.singleProcessReport(in: root)
        let run = root.appendingPathComponent("run")
        XCTAssertEqual(try PlanTests.tool(["plan"] + PlanTests.runOptions + ["--run", run.path]).status, 0)
        let plan = try RunPlan.load(run)
        let victim = try XCTUnwrap(plan.tasks.first { $0.name == "cinn-gray" })

        let submitted = try PlanTests.tool(["submit", run.path, "--time", "20:00"])
        XCTAssertEqual(submitted.status, 0, submitted.stderr)
        let first = try jobs(run)
        XCTAssertEqual(first.count, 4, "features, translators, evaluation arrays and the report job")

        // Kill the cINN's array element while it runs.
        let element = "\(first[1])_\(victim.index)"
        let deadline = Date().addingTimeInterval(300)
        while try !squeue(element).contains("RUNNING"), Date() < deadline { usleep(100_000) }
        XCTAssertTrue(try squeue(element).contains("RUNNING"), "array task \(element) never ran")
        usleep(1_000_000)
        _ = try Shell.run(Shell.find("scancel")!, [element])
        try waitForQueue(first)
        XCTAssertEqual(try jobState(first[3]).contains("COMPLETED"), false, "the report job must not run after a failed task")
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.appendingPathComponent("report").path))
        let status = try PlanTests.tool(["status", run.path]).stdout
        XCTAssertTrue(status.contains("cinn-gray") && status.contains("failed   killed"), status)
        var doneBefore: [String: Data] = [:]
        for task in plan.tasks where task.stage != .evaluation && task.index != victim.index {
            doneBefore[task.name] = try Data(contentsOf: run.appendingPathComponent(TaskRecord.path(task.name, .done)))
        }

        // Resubmitted: only what is not done.
        let again = try PlanTests.tool(["submit", run.path, "--time", "20:00"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("translators array of 1 (tasks \(victim.index))"), again.stdout)
        XCTAssertFalse(again.stdout.contains("features array"), again.stdout)
        let second = try jobs(run)
        try waitForQueue(second)
        let reportState = try jobState(second.last!)
        XCTAssertTrue(reportState.contains("COMPLETED"), "report job: \(reportState)")
        XCTAssertEqual(try PlanTests.reportWithoutTimings(run.appendingPathComponent("report")), expected)
        for (name, record) in doneBefore {
            XCTAssertEqual(try Data(contentsOf: run.appendingPathComponent(TaskRecord.path(name, .done))), record, "\(name) was recomputed")
        }
    }
}
