import Experts
import FileSupport
import Foundation
import Imaging
import Report
import SafeTensors
import Tensors

/// One layer's evaluation with one translator seed as an evaluation task leaves it for
/// `diagnose assemble`, in RUN/evaluations/seed-S/LAYER/: the layer's report.json entry and warnings (evaluation.json), the
/// decoded sheet rows the overview needs (sheet-rows.safetensors), and what the report folder
/// gets from the layer (contact sheet, mean variation map, translators), as `LayerEvaluation.measure` wrote them.
/// Doubles go through JSON and floats through safetensors unchanged, so the assembled report
/// has the single-process run's bits.
struct StoredEvaluation: Codable {
    static let resultFile = "evaluation.json"
    static let rowsFile = "sheet-rows.safetensors"
    static func folder(_ layer: String, seed: UInt64) -> String { "evaluations/seed-\(seed)/\(FileNameComponent.safe(layer))" }

    var result: LayerResult
    var warnings: [String]

    /// Writes the evaluation's own files into `staging` (beside what `measure` wrote there).
    static func write(_ evaluation: LayerEvaluation, to staging: URL) throws {
        let layer = StoredEvaluation(result: evaluation.result, warnings: evaluation.warnings)
        try AtomicFile.write(Array(try encoder.encode(layer)), to: staging.appendingPathComponent(resultFile).path)
        var rows = SafeTensorsFile(metadata: ["content": "decoded cINN samples and MLP output per sheet input of one layer"])
        for (i, row) in evaluation.sheetRows.enumerated() {
            for (j, sample) in row.pool.enumerated() {
                try sample.withUnsafeBufferPointer { try rows.setFloats("\(i).sample.\(j)", shape: sample.shape, buffer: $0) }
            }
            try row.mlp.withUnsafeBufferPointer { try rows.setFloats("\(i).mlp", shape: row.mlp.shape, buffer: $0) }
        }
        try rows.write(to: staging.appendingPathComponent(rowsFile))
    }

    /// The layer's report as `LayerEvaluation.measure` returned it to the task.
    static func read(from folder: URL, sheetInputs: Int, pool: Int) throws -> LayerEvaluation {
        let layer: StoredEvaluation
        do {
            layer = try decoder.decode(StoredEvaluation.self, from: Data(contentsOf: folder.appendingPathComponent(resultFile)))
        } catch {
            throw DiagnosisError("\(folder.path)/\(resultFile) is unreadable (\(error)): delete \(folder.path) and run its evaluation task again")
        }
        let file = try SafeTensorsFile.read(contentsOf: folder.appendingPathComponent(rowsFile))
        func tensor(_ name: String) throws -> Tensor {
            let (shape, values) = try file.floats(name)
            return Tensor(shape: shape, scalars: values)
        }
        // The shown indices are the result's own (`LayerSprite.shown`).
        let shown = layer.result.sprite?.shown ?? []
        guard shown.count == sheetInputs else {
            throw DiagnosisError("\(folder.path)/\(resultFile) has \(shown.count) sheet rows, the plan \(sheetInputs): delete \(folder.path) and run its evaluation task again")
        }
        let rows = try (0..<sheetInputs).map { i in
            SheetRow(pool: try (0..<pool).map { try tensor("\(i).sample.\($0)") }, shown: shown[i], mlp: try tensor("\(i).mlp"))
        }
        return LayerEvaluation(result: layer.result, sheetRows: rows, warnings: layer.warnings)
    }

    /// The files `LayerEvaluation.measure` wrote for the report folder (relative paths, sorted).
    static func reportFiles(in folder: URL) throws -> [String] {
        let root = folder.standardizedFileURL.path + "/"
        guard let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw DiagnosisError("cannot list \(folder.path): delete it and run its evaluation task again")
        }
        var files: [String] = []
        for case let url as URL in walk where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root) else { continue }
            let relative = String(path.dropFirst(root.count))
            if ![resultFile, rowsFile].contains(relative) { files.append(relative) }
        }
        return files.sorted()
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
