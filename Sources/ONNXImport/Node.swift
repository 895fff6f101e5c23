import Foundation

/// One node of an imported graph with its attributes, read once from the protobuf. Absent
/// optional inputs are empty names, as in ONNX.
struct Node {
    let opType: String
    let name: String
    let inputs: [String]
    let outputs: [String]
    let attributes: [String: Onnx_AttributeProto]

    init(_ proto: Onnx_NodeProto, index: Int) {
        opType = proto.opType
        // Unnamed nodes (common in exports) are named by their first output, which is unique.
        name = proto.name.isEmpty ? (proto.output.first.map { "\(proto.opType):\($0)" } ?? "\(proto.opType)#\(index)") : proto.name
        inputs = proto.input
        outputs = proto.output
        attributes = Dictionary(proto.attribute.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func failure(_ reason: String) -> ONNXError { .badNode(op: opType, node: name, reason: reason) }

    func int(_ key: String, default value: Int) -> Int { attributes[key].map { Int($0.i) } ?? value }
    func float(_ key: String, default value: Float) -> Float { attributes[key]?.f ?? value }
    func ints(_ key: String) -> [Int]? { attributes[key].map { $0.ints.map { Int($0) } } }
    func floats(_ key: String) -> [Float]? { attributes[key]?.floats }
    func string(_ key: String, default value: String) -> String {
        attributes[key].map { String(decoding: $0.s, as: UTF8.self) } ?? value
    }

    /// A string attribute that must be one of `allowed`.
    func choice(_ key: String, default value: String, in allowed: [String]) throws -> String {
        let v = string(key, default: value)
        guard allowed.contains(v) else { throw failure("\(key) '\(v)' is not supported (\(allowed.joined(separator: ", ")))") }
        return v
    }
}
