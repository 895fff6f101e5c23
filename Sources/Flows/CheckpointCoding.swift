import Foundation

/// Configurations travel as JSON strings in the checkpoint's string metadata.
enum CheckpointCoding {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ metadata: [String: String], key: String) throws -> T {
        guard let text = metadata[key] else { throw FlowError.checkpoint("metadata has no \(key)") }
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw FlowError.checkpoint("metadata \(key) is not a valid \(T.self): \(error)")
        }
    }
}
