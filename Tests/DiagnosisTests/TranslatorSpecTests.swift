@testable import Diagnosis
import FileSupport
import Flows
import Foundation
import XCTest

/// A translator's cache key is the digest of its spec, the values that build, feed and train it:
/// every one of them must change the key, so that no setting can reuse a translator trained with
/// another.
final class TranslatorSpecTests: XCTestCase {
    /// A spec with every optional present and no two leaves alike.
    static let spec = TranslatorSpec(
        role: .cinn(layer: "stage2"),
        flow: FlowConfiguration(codeDimension: 64, blocks: 6, couplingWidth: 128, couplingHiddenLayers: 2, embeddingDimension: 128,
                                scaleClamp: 2, seed: 3),
        embedder: .automatic(featureShape: [32, 16, 16], outputDimension: 128, baseChannels: 16),
        training: TrainingConfiguration(),
        pairs: TranslatorSpec.Pairs(autoencoder: Digest(hex: "a1"), scenes: Digest(hex: "b2"), sceneSeed: 3, trainPairs: 4_000,
                                    selectionPairs: 500, expert: Digest(hex: "c3")))

    /// Every leaf of the spec's JSON changed in turn, decoded back into a spec: each gives another
    /// digest. The leaves are counted against the stored properties Mirror finds, so a property
    /// left out of the encoding (and so of the digest) fails here too.
    func testEveryFieldChangesTheDigest() throws {
        let spec = Self.spec
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(spec))
        let leaves = Self.leaves(json)
        XCTAssertEqual(leaves.count, Self.storedLeaves(spec), "every stored property is encoded: \(leaves.map(\.path))")
        XCTAssertGreaterThan(leaves.count, 30)
        var digests: Set<Digest> = [spec.digest]
        for leaf in leaves {
            // The first change of the leaf's value that still decodes as a spec (a Bool field
            // takes no number, a Float no string).
            let decoded = Self.perturbations(leaf.value).lazy.compactMap { value in
                try? JSONDecoder().decode(TranslatorSpec.self,
                                          from: JSONSerialization.data(withJSONObject: Self.replacing(json, at: leaf.path, with: value)))
            }.first
            guard let decoded else { XCTFail("no change of \(leaf.path) decodes as a spec"); continue }
            XCTAssertNotEqual(decoded, spec, "\(leaf.path) did not decode as a change")
            XCTAssertTrue(digests.insert(decoded.digest).inserted, "changing \(leaf.path) left the digest as it was")
        }
        XCTAssertTrue(leaves.contains { $0.path == ["recipe"] }, "the recipe version is part of the key")
        XCTAssertTrue(leaves.contains { $0.path == ["flow", "couplingHiddenLayers"] })
        XCTAssertTrue(leaves.contains { $0.path == ["training", "clipNorm"] })
        XCTAssertTrue(leaves.contains { $0.path.starts(with: ["embedder", "convolutions"]) })
    }

    func testTheRoleNamesTheFileAndChangesTheDigest() {
        var specs = [Self.spec]
        for role in [TranslatorSpec.Role.mlp(layer: "stage2"), .cinn(layer: "stage3"), .unconditional] {
            var s = Self.spec
            s.role = role
            specs.append(s)
        }
        XCTAssertEqual(Set(specs.map(\.digest)).count, specs.count)
        XCTAssertTrue(specs[0].fileName.hasPrefix("cinn-stage2-"), specs[0].fileName)
        XCTAssertTrue(specs[0].fileName.hasSuffix("\(specs[0].digest.hex).safetensors"))
        var odd = Self.spec
        odd.role = .cinn(layer: "/layer1/Relu_output_0")
        XCTAssertFalse(odd.fileName.contains("/"), odd.fileName)
    }

    /// The digest is of the values only: the same spec built twice digests alike, in any process.
    func testTheDigestIsStable() {
        XCTAssertEqual(Self.spec.digest, Self.spec.digest)
        XCTAssertEqual(Digest.of(["b": 1, "a": 2]), Digest.of(["a": 2, "b": 1]), "keys are sorted")
    }

    /// A spec makes the translator its role names, built from its own configuration.
    func testTheSpecBuildsItsTranslator() throws {
        var spec = Self.spec
        spec.flow = FlowConfiguration(codeDimension: 8, blocks: 2, couplingWidth: 16, seed: 1)
        spec.embedder = .automatic(featureShape: [4, 8, 8], outputDimension: spec.flow.embeddingDimension, baseChannels: 4)
        XCTAssertTrue(try spec.make() is ConditionalFlow)
        spec.role = .mlp(layer: "stage2")
        XCTAssertTrue(try spec.make() is MLPBaseline)
        spec.role = .unconditional
        XCTAssertTrue(try spec.make() is UnconditionalFlow)
        spec.role = .cinn(layer: "stage2"); spec.embedder = nil
        XCTAssertThrowsError(try spec.make())
    }

    // MARK: JSON leaves

    typealias Path = [AnyHashable]

    static func leaves(_ value: Any, at path: Path = []) -> [(path: Path, value: Any)] {
        if let dict = value as? [String: Any] {
            return dict.keys.sorted().flatMap { leaves(dict[$0]!, at: path + [$0]) }
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { leaves($0.element, at: path + [$0.offset]) }
        }
        return [(path, value)]
    }

    /// The stored leaves of a value by reflection: what a synthesised Codable conformance encodes.
    static func storedLeaves(_ value: Any) -> Int {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.map { storedLeaves($0.value) } ?? 0 }
        if value is Digest || mirror.children.isEmpty { return 1 }
        return mirror.children.reduce(0) { $0 + storedLeaves($1.value) }
    }

    static func replacing(_ value: Any, at path: Path, with new: Any) -> Any {
        guard let head = path.first else { return new }
        if var dict = value as? [String: Any], let key = head as? String {
            dict[key] = replacing(dict[key]!, at: Array(path.dropFirst()), with: new)
            return dict
        }
        if var array = value as? [Any], let index = head as? Int {
            array[index] = replacing(array[index], at: Array(path.dropFirst()), with: new)
            return array
        }
        return value
    }

    /// Other values for a leaf, to try in turn.
    static func perturbations(_ leaf: Any) -> [Any] {
        if let s = leaf as? String { return [s + "0"] }
        guard let n = leaf as? NSNumber else {
            if let b = leaf as? Bool { return [!b] }
            if let d = leaf as? Double { return [d + 1, d * 2 + 0.5] }
            return []
        }
        var values: [Any] = []
        if n.doubleValue == n.doubleValue.rounded() { values.append(NSNumber(value: n.int64Value + 1)) }
        values.append(NSNumber(value: n.doubleValue * 2 + 0.5))
        values.append(!n.boolValue)
        return values
    }
}
