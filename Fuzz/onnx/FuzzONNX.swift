// libFuzzer target: ONNX model bytes → the importer: ModelFile (protobuf, opset, initializers,
// the input, a runnable node order), then ONNXNetwork (operator check, planning with constant
// folding on a probe batch, the tap list) and a run of the first and last tap for three images.
// Built and run by scripts/fuzz (docs/fuzzing.md). Any trap, sanitizer report, leak or input slower
// than 1 s is a finding; ONNXError is expected and ignored.
import Foundation
@testable import ONNXImport
import Tensors

/// One thread, so a finding replays the same way; and a size limit of 2¹⁶ values (instead of
/// 2³⁰) for every tensor whose size comes from the model, so that inputs and the shapes computed
/// from them stay small enough to plan and run within the time limit. The limit's checks run
/// just the same.
private let context = ExecutionContext.standard.with(\.workers, 1).with(\.maximumValuesFromData, 1 << 16)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    context.run { importModel(Data(bytes: data, count: size)) }
    return 0
}

/// Reads, plans and runs one model.
private func importModel(_ bytes: Data) {
    let url = URL(fileURLWithPath: "/fuzz/model.onnx")
    let file: ModelFile
    do {
        file = try ModelFile(data: bytes, path: url.path)
    } catch {
        expectImportError(error)
        return
    }
    check(file)
    // A dynamic image size needs one given, as `--input-size` gives it.
    let inputSize: (height: Int, width: Int)? = file.declaredInput[2] == nil || file.declaredInput[3] == nil ? (5, 7) : nil
    do {
        let network = try ONNXNetwork(data: bytes, url: url, inputSize: inputSize)
        check(network)
        let names = Array(Set([network.taps.first?.name, network.taps.last?.name].compactMap { $0 }))
        let images = Tensor(shape: [3] + network.inputShape) { buffer in
            for i in buffer.indices { buffer[i] = Float(i % 17) / 8 - 1 }
        }
        let activations = try network.activations(images, taps: names)
        for name in names {
            guard let tap = network.taps.first(where: { $0.name == name }), activations[name]?.shape == [3] + tap.shape else {
                fatalError("tap '\(name)': activations of shape \(activations[name]?.shape ?? []) for 3 images")
            }
        }
    } catch {
        expectImportError(error)
    }
}

/// Bad models are refused with an ONNXError whose message says what is wrong.
private func expectImportError(_ error: Error) {
    guard let error = error as? ONNXError else { fatalError("the importer threw something other than ONNXError: \(error)") }
    guard !error.description.isEmpty else { fatalError("ONNXError without a message") }
}

/// A model that was read: one image input of rank 4, every node after what it reads.
private func check(_ file: ModelFile) {
    guard file.declaredInput.count == 4, file.declaredInput.allSatisfy({ ($0 ?? 1) > 0 }) else {
        fatalError("declared input \(file.declaredInput)")
    }
    var known = Set(file.initializers.keys).union([file.inputName, ""])
    for node in file.nodes {
        guard node.inputs.allSatisfy(known.contains) else { fatalError("node '\(node.name)' runs before its inputs exist") }
        known.formUnion(node.outputs)
    }
}

/// A network that was planned: taps named once, each with the batch split off its shape.
private func check(_ network: ONNXNetwork) {
    guard Set(network.taps.map(\.name)).count == network.taps.count else { fatalError("a tap is listed twice") }
    guard network.inputShape.count == 3, network.inputShape.allSatisfy({ $0 > 0 }),
          network.taps.allSatisfy({ $0.shape.allSatisfy { $0 >= 0 } }) else {
        fatalError("input shape \(network.inputShape) or tap shapes \(network.taps.map(\.shape))")
    }
}
