/// A column kind written in a table header after the name, in brackets: `age[continuous]`,
/// `site[categorical]`, `digit[categorical:10]`, `hue[circular:360]`. It overrides the kind read
/// from the values (integers categorical, decimals continuous, anything else categorical) and is
/// the only way to make a column circular or to fix a categorical column's class count.
enum DeclaredColumnKind: Equatable {
    case categorical
    /// Integer codes 0..<count that are the codes themselves: a class that no row has still
    /// counts, so a table keeps a factor's codes whatever subset of images it lists.
    case categoricalCodes(count: Int)
    case continuous
    case circular(period: Float)

    /// The most classes `name[categorical:N]` may declare.
    static let maximumCodes = 65_536

    /// The accepted spellings, for error messages.
    static let syntax = "name[categorical], name[categorical:N], name[continuous] or name[circular:PERIOD] with PERIOD a positive number such as 360"

    /// Splits a header cell into the column's name and its declared kind (nil when undeclared);
    /// `line` is the header's line in the file (after a byte order mark or blank lines, not 1).
    static func split(header cell: String, source: String, line: Int, column index: Int) throws -> (name: String, kind: DeclaredColumnKind?) {
        let text = cell.trimmingSpaces
        guard let open = text.firstIndex(of: "["), text.hasSuffix("]") else {
            if text.contains("[") || text.contains("]") {
                throw DatasetError.table(path: source, line: line, column: text, problem: "the header '\(text)' has an unmatched bracket",
                                         fix: "Write the kind as \(syntax)")
            }
            return (text, nil)
        }
        let name = String(text[..<open]).trimmingSpaces
        let inside = String(text[text.index(after: open)..<text.index(before: text.endIndex)]).trimmingSpaces
        let parts = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        switch (parts[0].lowercased(), parts.count) {
        case ("categorical", 1): return (name, .categorical)
        case ("categorical", 2):
            guard isInteger(parts[1]), let count = Int(parts[1]), (2...maximumCodes).contains(count) else {
                throw DatasetError.table(path: source, line: line, column: name,
                                         problem: "the class count '\(parts[1])' of a categorical column is not an integer in 2...\(maximumCodes)",
                                         fix: "Write the number of classes after the colon, e.g. \(name)[categorical:10] for codes 0 to 9, or \(name)[categorical] to take the labels as they come")
            }
            return (name, .categoricalCodes(count: count))
        case ("continuous", 1): return (name, .continuous)
        case ("circular", 2):
            // The period is kept as a Float: one that rounds to 0 or infinity there is refused too.
            guard let period = Double(parts[1]), period > 0, DeclaredColumnKind.isPlainNumber(parts[1]),
                  Float(period).isFinite, Float(period) > 0 else {
                throw DatasetError.table(path: source, line: line, column: name, problem: "the period '\(parts[1])' of a circular column is not a positive number within the range of 32-bit floats",
                                         fix: "Write the period after the colon, e.g. \(name)[circular:360] for degrees or [circular:1] for turns")
            }
            return (name, .circular(period: Float(period)))
        case ("circular", _):
            throw DatasetError.table(path: source, line: line, column: name, problem: "a circular column needs its period",
                                     fix: "Write it after a colon, e.g. \(name)[circular:360] for degrees")
        default:
            throw DatasetError.table(path: source, line: line, column: name, problem: "unknown column kind '[\(inside)]' (header cell \(index + 1))",
                                     fix: "Write the kind as \(syntax)")
        }
    }

    /// A decimal number as people write them in tables: digits, sign, point, exponent. Swift's
    /// `Double("inf")`, `Double("nan")` and hexadecimal floats are not values a table means.
    static func isPlainNumber(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }),
              text.utf8.contains(where: { (0x30...0x39).contains($0) }), let value = Double(text) else { return false }
        return value.isFinite
    }

    /// An integer: an optional sign and digits.
    static func isInteger(_ text: String) -> Bool {
        let digits = text.utf8.drop { $0 == 0x2B || $0 == 0x2D }
        return text.utf8.count - digits.count <= 1 && !digits.isEmpty && digits.allSatisfy { (0x30...0x39).contains($0) }
    }
}

extension String {
    /// Without surrounding spaces and tabs: table cells are compared and typed without them.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
