import ArgumentParser
import Experts
import Foundation

/// `diagnose layers --expert E`: the tap points of an expert with shapes and aliases. For an
/// imported model, every node output in network order with its op, and `--write-probe`.
struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers", abstract: "List an expert's tap points with their shapes and aliases.",
        discussion: """
            For an .onnx model every node output is a tap; the aliases early, mid and last follow the rule in \
            docs/onnx.md. --write-probe saves MODEL.probe.json beside the model (aliases, input size, mean/std, \
            channel order, value range) for you to edit; later runs read it.
            """)

    @Option(help: "Expert: \(ExpertCatalog.names.joined(separator: ", ")), or the path of an .onnx model.") var expert = "deeplab"
    @Option(name: .customLong("input-size"), help: "H,W: the image size of an imported model whose size is dynamic.")
    var inputSize: String?
    @Flag(name: .customLong("write-probe"), help: "Write MODEL.probe.json beside an imported model (never over an existing one).")
    var writeProbe = false

    func run() throws {
        let (expert, probe) = try ExpertCatalog.open(self.expert, inputSize: try InputSize.pair(inputSize))
        print("\(probe.expert): \(probe.description)")
        print("input \(probe.input.map(String.init).joined(separator: "×"))")
        if let p = probe.preprocessing {
            print("preprocessing: \(p.channelOrder.rawValue), values \(p.valueRange[0])…\(p.valueRange[1]), mean \(p.mean), std \(p.std)")
        }
        print("")
        let ops = (expert as? ImportedExpert).map { Dictionary($0.network.taps.map { ($0.name, $0.op) }, uniquingKeysWith: { a, _ in a }) }
        let width = max(5, probe.layers.map(\.name.count).max() ?? 5)
        print("layer".padding(toLength: width, withPad: " ", startingAt: 0) + "  alias  shape        description")
        for layer in probe.layers {
            let shape = layer.shape.map(String.init).joined(separator: "×")
            print(layer.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                  + (probe.alias(of: layer.name) ?? "").padding(toLength: 5, withPad: " ", startingAt: 0) + "  "
                  + shape.padding(toLength: 11, withPad: " ", startingAt: 0) + "  " + (ops?[layer.name] ?? layer.description))
            if let keeps = layer.keeps, let ignores = layer.ignores {
                print(String(repeating: " ", count: width + 22) + "keeps: \(keeps.joined(separator: ", "))")
                print(String(repeating: " ", count: width + 22) + "ignores: \(ignores.isEmpty ? "-" : ignores.joined(separator: ", "))")
            }
        }
        guard writeProbe else { return }
        guard let imported = expert as? ImportedExpert else {
            throw ValidationError("--write-probe is for imported models; the built-in experts' probes are in probes/")
        }
        let url = ImportedProbe.probeURL(for: imported.network.url)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("\(url.path) exists; edit it, or delete it to write a fresh one")
        }
        print("\nwrote \(try ImportedProbe.write(probe, for: imported.network.url).path)")
    }
}
