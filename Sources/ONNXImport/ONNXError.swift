import Foundation

/// What can go wrong between an ONNX file and its activations. Every case names the problem and
/// what the user can do about it.
public enum ONNXError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case notONNX(path: String, reason: String)
    case unsupportedOpset(path: String, version: Int, supported: ClosedRange<Int>)
    case externalData(path: String, tensor: String)
    case inputCount(path: String, inputs: [String])
    case nonFloatInput(path: String, input: String, type: String)
    case inputRank(path: String, input: String, shape: String)
    case dynamicInputSize(path: String, input: String, shape: String)
    case inputSizeMismatch(path: String, declared: [Int], asked: [Int])
    case unsupportedOperator(op: String, node: String, supported: [String])
    case badNode(op: String, node: String, reason: String)
    case missingValue(name: String, node: String)
    case unknownTap(String, closest: [String])
    case badInputTensor(expected: [Int], got: [Int])

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason). Check the path and the file's permissions."
        case let .notONNX(path, reason):
            return "\(path) is not a readable ONNX model (\(reason)). Export it again, e.g. with "
                + "torch.onnx.export(model, x, \"model.onnx\"), and check that the copy is complete."
        case let .unsupportedOpset(path, version, supported):
            return "\(path) uses ONNX opset \(version); this importer reads opsets \(supported.lowerBound)–\(supported.upperBound). "
                + "Export again with opset_version=\(min(max(version, supported.lowerBound), supported.upperBound))."
        case let .externalData(path, tensor):
            return "\(path) keeps its weights in external data files (tensor '\(tensor)'); this importer reads single-file "
                + "models. Save them inside the model: onnx.save_model(onnx.load(path), out, save_as_external_data=False)."
        case let .inputCount(path, inputs):
            return "\(path) has \(inputs.count) inputs (\(inputs.joined(separator: ", "))); an expert takes one image batch. "
                + "Export a model whose only input is the image [N, C, H, W]."
        case let .nonFloatInput(path, input, type):
            return "\(path): input '\(input)' is \(type); an expert takes float32 images. Export with a float32 input."
        case let .inputRank(path, input, shape):
            return "\(path): input '\(input)' has shape \(shape); an expert takes images [N, C, H, W]."
        case let .dynamicInputSize(path, input, shape):
            return "\(path): input '\(input)' has a dynamic image size \(shape). Give one with --input-size H,W "
                + "(or write it into the probe file's \"input\")."
        case let .inputSizeMismatch(path, declared, asked):
            return "\(path) declares its input as \(declared.map(String.init).joined(separator: "×")); the input size asked for is "
                + "\(asked.map(String.init).joined(separator: "×")). Drop --input-size or export with a dynamic size."
        case let .unsupportedOperator(op, node, supported):
            return "node '\(node)' uses the operator \(op), which this importer does not support. Supported: "
                + supported.joined(separator: ", ") + ". Export without it (e.g. another opset or a simpler module) or open an issue."
        case let .badNode(op, node, reason):
            return "node '\(node)' (\(op)): \(reason)."
        case let .missingValue(name, node):
            return "node '\(node)' reads '\(name)', which no node, initializer or input produces: the graph is incomplete."
        case let .unknownTap(name, closest):
            return "no tap named '\(name)'" + (closest.isEmpty ? "" : "; closest: \(closest.joined(separator: ", "))")
                + ". `diagnose layers --expert MODEL.onnx` lists them all."
        case let .badInputTensor(expected, got):
            return "the input batch has shape \(got); the model takes [N] + \(Array(expected.dropFirst()))."
        }
    }
}
