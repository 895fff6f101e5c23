import FileSupport
import Foundation

/// One tap point of an expert, as listed in probes/<expert>.json. For the oracle, `keeps` and
/// `ignores` name the scene factors the layer determines or is invariant to by construction.
public struct ProbeLayer: Codable, Equatable {
    public let name: String
    public let shape: [Int]
    public let description: String
    public let keeps: [String]?
    public let ignores: [String]?
    public let partial: [String]?

    public init(name: String, shape: [Int], description: String, keeps: [String]? = nil, ignores: [String]? = nil, partial: [String]? = nil) {
        (self.name, self.shape, self.description) = (name, shape, description)
        (self.keeps, self.ignores, self.partial) = (keeps, ignores, partial)
    }
}

/// An expert's layer map: every tap with its shape, and the aliases `early`, `mid`, `last`.
public struct Probe: Codable {
    public let expert: String
    public let description: String
    public let weights: String?
    public let input: [Int]
    public let aliases: [String: String]
    public let layers: [ProbeLayer]
    /// How scenes become the input of an imported network (absent for the built-in experts).
    public let preprocessing: Preprocessing?
    /// Where a segmenter gives its per-pixel classes, for the object regions of images without
    /// label maps; absent for classifiers.
    public let segmentation: SegmentationOutput?

    public init(expert: String, description: String, weights: String?, input: [Int], aliases: [String: String],
                layers: [ProbeLayer], preprocessing: Preprocessing?, segmentation: SegmentationOutput? = nil) {
        (self.expert, self.description, self.weights, self.input) = (expert, description, weights, input)
        (self.aliases, self.layers, self.preprocessing, self.segmentation) = (aliases, layers, preprocessing, segmentation)
    }

    public static func load(expert: String, directory: URL = ProjectFiles.probes) throws -> Probe {
        let url = directory.appendingPathComponent("\(expert).json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if ExpertCatalog.names.contains(expert) { throw ExpertError.missingProbe(expert: expert, path: url.path) }
            throw ExpertError.unknownExpert(expert, valid: ExpertCatalog.names)
        }
        return try decode(data, path: url.path)
    }

    /// Decodes a probe file's JSON bytes and checks that every alias names a listed layer.
    /// `path` only labels errors; every failure is `ExpertError.corruptProbe`.
    public static func decode(_ data: Data, path: String) throws -> Probe {
        do {
            let probe = try JSONDecoder().decode(Probe.self, from: data)
            for (alias, target) in probe.aliases where !probe.layers.contains(where: { $0.name == target }) {
                throw ExpertError.corruptProbe(path: path, reason: "alias '\(alias)' points to unknown layer '\(target)'")
            }
            if let problem = probe.segmentation?.problem(layers: probe.layers) {
                throw ExpertError.corruptProbe(path: path, reason: problem)
            }
            return probe
        } catch let e as ExpertError {
            throw e
        } catch {
            throw ExpertError.corruptProbe(path: path, reason: "\(error)")
        }
    }

    /// Layers for names or aliases, in the order asked, without repeats.
    public func resolve(_ names: [String]) throws -> [ProbeLayer] {
        var out: [ProbeLayer] = []
        for raw in names {
            let name = aliases[raw] ?? raw
            guard let layer = layers.first(where: { $0.name == name }) else {
                throw ExpertError.unknownLayer(raw, expert: expert, layers: layers.map(\.name),
                                               aliases: aliases.keys.sorted().map { "\($0)=\(aliases[$0]!)" })
            }
            if !out.contains(layer) { out.append(layer) }
        }
        return out
    }

    /// The alias of a layer, if it has one ("early" for deeplab's stem).
    public func alias(of layer: String) -> String? {
        aliases.filter { $0.value == layer }.map(\.key).sorted().first
    }
}
