import FileSupport
import Foundation
import Imaging
import ONNXImport

/// The probe of an imported model: `MODEL.probe.json` beside the file when the user wrote one
/// (`diagnose layers --expert MODEL.onnx --write-probe`), else made from the graph. The aliases
/// follow one rule (docs/onnx.md): the spatial resolutions of the taps (smaller than the input,
/// larger than 1×1, Pad outputs aside), largest first, are the network's stages; `early` is the
/// last tap at the first, `mid` the last tap at the middle one, `last` the network's output.
public enum ImportedProbe {
    public static func isModelPath(_ expert: String) -> Bool { expert.lowercased().hasSuffix(".onnx") }

    public static func probeURL(for model: URL) -> URL {
        model.deletingPathExtension().appendingPathExtension("probe.json")
    }

    /// The model and its probe: the probe file's input size is used when the model's is dynamic;
    /// `inputSize` (--input-size) must agree with a probe file that gives one.
    public static func open(_ path: String, inputSize: (height: Int, width: Int)? = nil) throws -> (ImportedExpert, Probe) {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ExpertError.unknownExpert(path, valid: ExpertCatalog.names + ["a path to an .onnx file (this one does not exist)"])
        }
        let probeFile = probeURL(for: url)
        var saved: Probe?
        if let data = FileManager.default.contents(atPath: probeFile.path) {
            let probe = try Probe.decode(data, path: probeFile.path)
            guard probe.input.count == 3, probe.input.allSatisfy({ $0 > 0 }) else {
                throw ExpertError.corruptProbe(path: probeFile.path, reason: "input must be [C, H, W], got \(probe.input)")
            }
            if let (h, w) = inputSize, [h, w] != Array(probe.input.suffix(2)) {
                throw ExpertError.corruptProbe(path: probeFile.path, reason: "its input size \(probe.input[1])×\(probe.input[2]) differs from "
                                               + "--input-size \(h)×\(w); edit the probe or drop the flag")
            }
            saved = probe
        }
        let size = inputSize ?? saved.map { (height: $0.input[1], width: $0.input[2]) }
        let network = try ONNXNetwork(contentsOf: url, inputSize: size)
        let probe = saved ?? make(for: network)
        for layer in probe.layers {
            guard let tap = network.taps.first(where: { $0.name == layer.name }) else {
                throw ExpertError.corruptProbe(path: probeFile.path, reason: "layer '\(layer.name)' is not a tap of the model; closest: "
                                               + network.closest(to: layer.name).joined(separator: ", "))
            }
            guard tap.shape == layer.shape else {
                throw ExpertError.corruptProbe(path: probeFile.path, reason: "layer '\(layer.name)' has shape \(tap.shape) in the model, \(layer.shape) in the probe")
            }
        }
        let preprocessing = probe.preprocessing ?? .imageNet(channels: network.inputShape[0])
        return (try ImportedExpert(network: network, preprocessing: preprocessing), probe)
    }

    /// A probe listing every tap, with aliases by the stage rule and torchvision's preprocessing.
    public static func make(for network: ONNXNetwork) -> Probe {
        let layers = network.taps.map { ProbeLayer(name: $0.name, shape: $0.shape, description: $0.op) }
        return Probe(expert: network.url.lastPathComponent,
                     description: "imported from \(network.url.lastPathComponent) (opset \(network.opset)\(network.producer.isEmpty ? "" : ", \(network.producer)"))",
                     weights: network.url.path, input: network.inputShape, aliases: aliases(network.taps, input: network.inputShape),
                     layers: layers, preprocessing: .imageNet(channels: network.inputShape[0]))
    }

    /// early, mid, last by the stage rule (see the type's comment).
    static func aliases(_ taps: [ONNXNetwork.Tap], input: [Int]) -> [String: String] {
        guard let last = taps.last else { return [:] }
        // Maps at the input's resolution or above (normalisation, a segmenter's upsampled output),
        // 1×1 maps (pooled vectors) and Pad outputs (one row more, before a strided convolution)
        // do not mark a stage.
        let spatial = taps.filter { $0.shape.count == 3 && $0.op != "Pad" && $0.shape[1] * $0.shape[2] > 1
                                    && $0.shape[1] * $0.shape[2] < input[1] * input[2] }
        var sizes: [[Int]] = []
        for tap in spatial where !sizes.contains(Array(tap.shape.suffix(2))) { sizes.append(Array(tap.shape.suffix(2))) }
        sizes.sort { $0[0] * $0[1] > $1[0] * $1[1] }
        func end(of size: [Int]) -> String? { spatial.last { Array($0.shape.suffix(2)) == size }?.name }
        var out = ["last": last.name]
        if let first = sizes.first { out["early"] = end(of: first) }
        if !sizes.isEmpty { out["mid"] = end(of: sizes[sizes.count / 2]) }
        return out
    }

    /// Writes the probe beside the model (atomically), for the user to edit.
    public static func write(_ probe: Probe, for model: URL) throws -> URL {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = probeURL(for: model)
        try AtomicFile.write(Array(try encoder.encode(probe)), to: url.path)
        return url
    }
}
