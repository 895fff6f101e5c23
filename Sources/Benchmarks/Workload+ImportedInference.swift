import Foundation
import ONNXImport
import Tensors

extension Workload {
    /// `onnx_<model>_inference`: an imported network's forward pass at batch 32, 224×224, on the
    /// files `torch_reference.py --export-onnx DIR` writes (the names ort_reference.py prints).
    public static func importedInference(directory: URL) throws -> [Workload] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".onnx") }.sorted()
        guard !files.isEmpty else { throw BenchmarkError.noModels(directory.path) }
        return files.map { file in
            Workload(name: "onnx_\(file.dropLast(5))_inference", unit: "images/s (batch 32, 224x224)", workPerStep: 32) {
                let network = try ONNXNetwork(contentsOf: directory.appendingPathComponent(file), inputSize: (224, 224))
                var rng = Xoshiro256(seed: 0)
                let x = Tensor.uniform([32] + network.inputShape, rng: &rng)
                let output = network.taps.last!.name
                _ = try network.activations(x, taps: [output])  // plans the batch size once, untimed
                return { _ = try? network.activations(x, taps: [output]) }
            }
        }
    }
}
