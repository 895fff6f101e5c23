import Experts
import Foundation
import Imaging
import Report
import SafeTensors
import Tensors

/// One layer's evaluation as an evaluation task leaves it for `diagnose assemble`, in
/// RUN/evaluations/LAYER/: the layer's report.json entry and warnings (evaluation.json), the
/// decoded sheet rows the overview needs (sheet-rows.safetensors), and what the report folder
/// gets from the layer (contact sheet, translators), as `LayerReport.measure` wrote them.
/// Doubles go through JSON and floats through safetensors unchanged, so the assembled report
/// has the single-process run's bits.
struct EvaluatedLayer: Codable {
    static let resultFile = "evaluation.json"
    static let rowsFile = "sheet-rows.safetensors"
    static func folder(_ layer: String) -> String { "evaluations/\(FileNameComponent.safe(layer))" }

    var result: LayerResult
    var warnings: [String]
    /// `LayerSampling.fingerprint` of the generator before and after the layer.
    var samplerBefore: [UInt64]
    var samplerAfter: [UInt64]

    /// Writes the evaluation's own files into `staging` (beside what `measure` wrote there).
    static func write(_ report: LayerReport, samplerBefore: [UInt64], samplerAfter: [UInt64], to staging: URL) throws {
        let layer = EvaluatedLayer(result: report.result, warnings: report.warnings, samplerBefore: samplerBefore, samplerAfter: samplerAfter)
        try AtomicFile.write(Array(try encoder.encode(layer)), to: staging.appendingPathComponent(resultFile).path)
        var rows = SafeTensorsFile(metadata: ["content": "decoded cINN samples and MLP output per sheet input of one layer"])
        for (i, row) in report.sheetRows {
            for (j, sample) in row.samples.enumerated() {
                try sample.withUnsafeBufferPointer { try rows.setFloats("\(i).sample.\(j)", shape: sample.shape, buffer: $0) }
            }
            try row.mlp.withUnsafeBufferPointer { try rows.setFloats("\(i).mlp", shape: row.mlp.shape, buffer: $0) }
        }
        try rows.write(to: staging.appendingPathComponent(rowsFile))
    }

    /// The layer's report as `LayerReport.measure` returned it to the task.
    static func read(from folder: URL, sheetInputs: Int, samples: Int) throws -> (report: LayerReport, layer: EvaluatedLayer) {
        let layer: EvaluatedLayer
        do {
            layer = try decoder.decode(EvaluatedLayer.self, from: Data(contentsOf: folder.appendingPathComponent(resultFile)))
        } catch {
            throw DiagnosisError("\(folder.path)/\(resultFile) is unreadable (\(error)): delete \(folder.path) and run its evaluation task again")
        }
        let file = try SafeTensorsFile.read(contentsOf: folder.appendingPathComponent(rowsFile))
        func tensor(_ name: String) throws -> Tensor {
            let (shape, values) = try file.floats(name)
            return Tensor(shape: shape, scalars: values)
        }
        var rows: [Int: (samples: [Tensor], mlp: Tensor)] = [:]
        for i in 0..<sheetInputs {
            rows[i] = (try (0..<samples).map { try tensor("\(i).sample.\($0)") }, try tensor("\(i).mlp"))
        }
        return (LayerReport(result: layer.result, sheetRows: rows, warnings: layer.warnings), layer)
    }

    /// The files `LayerReport.measure` wrote for the report folder (relative paths).
    static func reportFiles(in folder: URL) throws -> [String] {
        let fm = FileManager.default
        var files: [String] = []
        for name in try fm.contentsOfDirectory(atPath: folder.path).sorted() where ![resultFile, rowsFile].contains(name) {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                files += try fm.contentsOfDirectory(atPath: folder.appendingPathComponent(name).path).sorted().map { "\(name)/\($0)" }
            } else {
                files.append(name)
            }
        }
        return files
    }

    private static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }

    private static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }
}
