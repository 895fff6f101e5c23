import ArgumentParser
import Experts
import Foundation
import SafeTensors
import Tensors

/// `diagnose features`: the activations of named taps for a batch the user gives, so that an
/// import can be checked against the user's own framework.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features", abstract: "Write the activations of an expert's taps for a given input batch.",
        discussion: """
            --inputs is a safetensors file with a float32 tensor 'input' [N, C, H, W], already preprocessed as the \
            network expects (no resizing or normalisation is applied). --out gets one float32 tensor per tap, \
            named as the tap. Works for the built-in trained experts and for imported .onnx models.
            """)

    @Option(help: "Expert: deeplab, resnet, or the path of an .onnx model.") var expert = "deeplab"
    @Option(help: "Comma-separated taps or aliases (see `diagnose layers`).") var layers = "early,mid,last"
    @Option(help: "safetensors file with the tensor 'input' [N, C, H, W].") var inputs: String
    @Option(help: "Output safetensors file.") var out: String
    @Option(name: .customLong("input-size"), help: "H,W: the image size of an imported model whose size is dynamic.")
    var inputSize: String?

    func run() throws {
        let (expert, probe) = try ExpertCatalog.open(self.expert, inputSize: try InputSize.pair(inputSize))
        let taps = try probe.resolve(layers.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }).map(\.name)
        let file = try SafeTensorsFile.read(contentsOf: URL(fileURLWithPath: inputs))
        let (shape, values) = try file.floats("input")
        guard shape.count == 4, Array(shape.dropFirst()) == probe.input, shape[0] >= 1 else {
            throw ValidationError("\(inputs): 'input' has shape \(shape); \(probe.expert) takes [N] + \(probe.input)")
        }
        guard values.allSatisfy(\.isFinite) else { throw ValidationError("\(inputs): 'input' holds NaN or infinite values") }
        let x = Tensor(shape: shape, scalars: values)
        let activations: [String: Tensor]
        switch expert {
        case let imported as ImportedExpert:
            activations = try imported.network.activations(x, taps: taps)
        case is OracleExpert:
            throw ValidationError("the oracle reads a scene's ground truth, not images; use deeplab, resnet or an .onnx model")
        default:
            let n = shape[0], plane = shape[2] * shape[3]
            let input = ExpertInput(images: x, labelMaps: Array(repeating: 0, count: n * plane), classes: Array(repeating: 0, count: n),
                                    backgroundKinds: Array(repeating: 0, count: n))
            activations = try expert.features(input, layers: taps)
        }
        var output = SafeTensorsFile(metadata: ["expert": probe.expert, "expert_identity": expert.identity.hex])
        for name in taps {
            let t = activations[name]!
            try t.withUnsafeBufferPointer { try output.setFloats(name, shape: t.shape, buffer: $0) }
        }
        try output.write(to: URL(fileURLWithPath: out))
        print("wrote \(taps.count) tap(s) for \(shape[0]) input(s) to \(out)")
    }
}
