import Foundation
@testable import ONNXImport
import Tensors
import XCTest

/// Models damaged on purpose, as a user's broken export or a wrong file might be: attributes set
/// to odd values, weights of the wrong shape, nodes of another type, inputs dropped, another input
/// size. Each must load and run or fail with an error — never trap. Seeded, so a failure replays.
final class MutatedModelTests: XCTestCase {
    static let oddIntegers: [Int64] = [-3, -1, 0, 1, 2, 7, 1 << 20]
    static let oddFloats: [Float] = [-1, 0, .nan, .infinity, 1e30]

    func testDamagedModelsFailCleanly() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.folder.path)
            .filter { $0.hasSuffix(".onnx") && !$0.hasPrefix("bad_") }.sorted()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mutated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = Xoshiro256(seed: 7)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
        var loaded = 0, refused = 0
        for name in names {
            let original = try Onnx_ModelProto(serializedBytes: Data(contentsOf: Fixtures.folder.appendingPathComponent(name)))
            for _ in 0..<12 {
                var model = original
                mutate(&model, pick)
                let url = folder.appendingPathComponent("m.onnx")
                try model.serializedData().write(to: url)
                do {
                    let network: ONNXNetwork
                    do { network = try ONNXNetwork(contentsOf: url) } catch ONNXError.dynamicInputSize {
                        network = try ONNXNetwork(contentsOf: url, inputSize: (8, 8))
                    }
                    if let last = network.taps.last?.name {
                        _ = try network.activations(Tensor.zeros([3] + network.inputShape), taps: [last])
                    }
                    loaded += 1
                } catch {
                    XCTAssertFalse("\(error)".isEmpty)
                    refused += 1
                }
            }
        }
        // Both outcomes happen: the mutations neither all break nor all spare the models.
        XCTAssertGreaterThan(loaded, 100)
        XCTAssertGreaterThan(refused, 300)
        print("mutated models: \(loaded) ran, \(refused) refused with an error")
    }

    func mutate(_ model: inout Onnx_ModelProto, _ pick: (Int) -> Int) {
        var graph = model.graph
        switch pick(5) {
        case 0 where !graph.node.isEmpty:   // an attribute set to an odd value
            let n = pick(graph.node.count)
            guard !graph.node[n].attribute.isEmpty else { break }
            let a = pick(graph.node[n].attribute.count)
            var attribute = graph.node[n].attribute[a]
            if !attribute.ints.isEmpty {
                attribute.ints[pick(attribute.ints.count)] = Self.oddIntegers[pick(Self.oddIntegers.count)]
            } else if attribute.hasI {
                attribute.i = Self.oddIntegers[pick(Self.oddIntegers.count)]
            } else if attribute.hasF {
                attribute.f = Self.oddFloats[pick(Self.oddFloats.count)]
            } else {
                attribute.s = Data("nonsense".utf8)
            }
            graph.node[n].attribute[a] = attribute
        case 1 where !graph.initializer.isEmpty:   // a weight of another shape
            let i = pick(graph.initializer.count)
            if graph.initializer[i].dims.isEmpty { graph.initializer[i].dims = [2] } else {
                let d = pick(graph.initializer[i].dims.count)
                graph.initializer[i].dims[d] = [0, 1, 3, 64][pick(4)]
            }
        case 2 where !graph.node.isEmpty:   // a node of another type
            graph.node[pick(graph.node.count)].opType = OperatorSet.supported[pick(OperatorSet.supported.count)]
        case 3 where !graph.node.isEmpty:   // an input dropped, or an extra one
            let n = pick(graph.node.count)
            if !graph.node[n].input.isEmpty && pick(2) == 0 { graph.node[n].input.removeLast() } else {
                graph.node[n].input.append(graph.node[pick(graph.node.count)].output.first ?? "")
            }
        default:   // another image size or channel count
            var dims = graph.input[0].type.tensorType.shape.dim
            if dims.count == 4 { dims[1 + pick(3)].dimValue = Int64([1, 2, 5, 9][pick(4)]) }
            graph.input[0].type.tensorType.shape.dim = dims
        }
        model.graph = graph
    }
}
