import ArgumentParser
import Experts

/// `diagnose layers --expert E`: the tap points of an expert with shapes and aliases.
struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers", abstract: "List an expert's tap points with their shapes and aliases.")

    @Option(help: "Expert: \(ExpertCatalog.names.joined(separator: ", ")).") var expert = "deeplab"

    func run() throws {
        let probe = try Probe.load(expert: expert)
        print("\(probe.expert): \(probe.description)")
        print("input \(probe.input.map(String.init).joined(separator: "×"))\n")
        let width = max(5, probe.layers.map(\.name.count).max() ?? 5)
        print("layer".padding(toLength: width, withPad: " ", startingAt: 0) + "  alias  shape        description")
        for layer in probe.layers {
            let shape = layer.shape.map(String.init).joined(separator: "×")
            print(layer.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                  + (probe.alias(of: layer.name) ?? "").padding(toLength: 5, withPad: " ", startingAt: 0) + "  "
                  + shape.padding(toLength: 11, withPad: " ", startingAt: 0) + "  " + layer.description)
            if let keeps = layer.keeps, let ignores = layer.ignores {
                print(String(repeating: " ", count: width + 22) + "keeps: \(keeps.joined(separator: ", "))")
                print(String(repeating: " ", count: width + 22) + "ignores: \(ignores.isEmpty ? "-" : ignores.joined(separator: ", "))")
            }
        }
    }
}
