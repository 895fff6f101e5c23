/// Compact JSON text for the header, spelled exactly as the Python library's serde_json does,
/// so that equal contents give equal bytes on both sides.
enum HeaderJSON {
    /// A JSON string literal: `"` and `\` escaped, \b \f \n \r \t short, other control characters
    /// as \u00xx; everything else (including non-ASCII) as raw UTF-8.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `{"k":"v",...}` with keys in UTF-8 byte order.
    static func stringMap(_ map: [String: String]) -> String {
        let keys = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return "{" + keys.map { quoted($0) + ":" + quoted(map[$0] ?? "") }.joined(separator: ",") + "}"
    }

    /// One tensor record, fields in the Python library's order.
    static func tensorRecord(dtype: SafeTensorsDType, shape: [Int], begin: Int, end: Int) -> String {
        let dims = shape.map(String.init).joined(separator: ",")
        return "{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(dims)],\"data_offsets\":[\(begin),\(end)]}"
    }
}
