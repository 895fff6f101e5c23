import ArgumentParser
import Benchmarks
import Foundation

/// `diagnose bench`: speed of the standard workloads as JSON, comparable with
/// ../shared/bench/torch_reference.py through compare.py (see docs/benchmark.md).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the standard workloads; prints JSON in torch_reference.py's shape.",
        discussion: "Progress goes to standard error, the JSON to standard output. Compare with:\n  python3 compare.py ours.json reference.json")

    @Flag(help: "Time each workload for 1 s instead of 4 s.")
    var quick = false

    @Option(help: "Seconds to time each workload (default 4, or 1 with --quick); longer runs average out a noisy machine.")
    var seconds: Double?

    @Option(help: "Comma-separated workload names or name prefixes (default: all).")
    var only: String = ""

    @Option(help: "Threads for the engine (its workers and oneDNN; OpenBLAS under DIAGNOSE_DNNL=0); use the same count as the reference run.")
    var threads: Int = 2

    @Option(name: .customLong("onnx-dir"),
            help: "Also time the imported networks in this folder (torch_reference.py --export-onnx DIR writes them).")
    var onnxDir: String?

    @Option(name: .customLong("images-dir"),
            help: "The JPEG set of images_decode_resize_64 (torch_reference.py --export-images DIR writes it); without it that workload is skipped, as in the reference.")
    var imagesDir: String?

    @Flag(help: "List the workloads and exit.")
    var list = false

    /// Seconds per workload: --seconds, else 1 with --quick, else 4.
    var budget: Double { seconds ?? (quick ? 1 : 4) }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads).") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive, got \(seconds).") }
    }

    func run() throws {
        if list {
            for workload in WorkloadCatalog.all { print("\(workload.name)\t\(workload.unit)") }
            print("\(Workload.imagesDecodeResizeName)\t\(Workload.imagesDecodeResizeUnit)")
            return
        }
        let filters = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let imported = try onnxDir.map { try Workload.importedInference(directory: URL(fileURLWithPath: $0)) } ?? []
        let images = try imagesDir.map { [try Workload.imagesDecodeResize(directory: URL(fileURLWithPath: $0))] } ?? []
        if imagesDir == nil {
            // As in the reference, the image workload runs only on a given folder; asked for by
            // name without one, it is an error rather than a silently shorter run.
            let name = Workload.imagesDecodeResizeName, others = WorkloadCatalog.all + imported
            if let filter = filters.first(where: { f in name.hasPrefix(f) && !others.contains { $0.name.hasPrefix(f) } }) {
                throw BenchmarkError.needsImages(filter: filter)
            }
            if filters.isEmpty {
                FileHandle.standardError.write(Data("bench: \(name) skipped: no --images-dir (torch_reference.py --export-images DIR writes the set)\n".utf8))
            }
        }
        let selected = try WorkloadCatalog.select(filters, from: WorkloadCatalog.all + imported + images)
        let seconds = budget
        FileHandle.standardError.write(Data("bench: \(selected.count) workloads, \(seconds) s each, \(threads) threads, OpenBLAS core \(OpenBLASRuntime.coreName)\n".utf8))
        let report = try BenchmarkRunner.run(selected, seconds: seconds, threads: threads) { line in
            FileHandle.standardError.write(Data("  \(line)\n".utf8))
        }
        print(try report.json())
    }
}
