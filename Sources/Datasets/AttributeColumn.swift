/// One attribute of an image set, read from a table column (or a folder's class subfolders): its
/// name, how its values are read as a factor (`FactorKind`), and for a categorical column the
/// labels in the order of their codes.
public struct AttributeColumn: Equatable, Sendable {
    public let name: String
    public let kind: FactorKind
    /// Labels by code (categorical only; empty otherwise): numbers in numeric order, other text in
    /// byte order, so adding rows never renumbers the others' labels unless a new label sorts before.
    public let categories: [String]

    public init(name: String, kind: FactorKind, categories: [String]) {
        self.name = name
        self.kind = kind
        self.categories = categories
    }

    /// The factor this column describes.
    public var descriptor: FactorDescriptor {
        let what: String
        switch kind {
        case .categorical(let classes): what = "\(classes) categories"
        case .continuous: what = "continuous"
        case .circular(let period): what = "circular, period \(period)"
        }
        return FactorDescriptor(name: name, kind: kind, summary: "column '\(name)' of the image table (\(what))")
    }

    /// Types a column from its cells and returns it with one value per cell: the code of a
    /// category, the number of a continuous column, the angle reduced into 0..<period of a
    /// circular one, nil for an empty cell (a missing value). Undeclared columns are categorical
    /// when every value is an integer or when any is not a number, continuous when every value is
    /// a number and some have decimals; a column of decimals with a few words in it is refused,
    /// since the words are most likely meant as missing values.
    static func typed(name: String, declared: DeclaredColumnKind?, cells: [(line: Int, text: String)],
                      source: String) throws -> (AttributeColumn, [Float?]) {
        let present = cells.filter { !$0.text.isEmpty }
        guard !present.isEmpty else {
            throw DatasetError.table(path: source, line: nil, column: name, problem: "every cell is empty",
                                     fix: "Fill the column in or remove it")
        }
        let numbers = present.map { DeclaredColumnKind.isPlainNumber($0.text) }
        func requireNumbers(_ why: String, _ fix: String) throws {
            if let bad = zip(present, numbers).first(where: { !$0.1 })?.0 {
                throw DatasetError.table(path: source, line: bad.line, column: name, problem: "'\(bad.text)' is not a number, \(why)", fix: fix)
            }
        }
        let numberFix = "Write a number with a decimal point (not a comma), leave the cell empty for a missing value, or declare the column \(name)[categorical]"
        switch declared {
        case .continuous?:
            try requireNumbers("but the column is declared continuous", numberFix)
            return try continuous(name: name, cells: cells, source: source)
        case .circular(let period)?:
            try requireNumbers("but the column is declared circular", numberFix)
            let values = cells.map { cell -> Float? in
                guard !cell.text.isEmpty, let value = Double(cell.text) else { return nil }
                // Already in range: read straight as Float, so a Float's shortest text reads back
                // as that Float (through Double it could be rounded twice).
                if let direct = Float(cell.text), direct >= 0, direct < period { return direct }
                let reduced = value.truncatingRemainder(dividingBy: Double(period))
                return Float(reduced < 0 ? reduced + Double(period) : reduced).truncatingRemainder(dividingBy: period)
            }
            return (AttributeColumn(name: name, kind: .circular(period: period), categories: []), values)
        case .categorical?:
            return categorical(name: name, cells: cells, numeric: numbers.allSatisfy { $0 })
        case .categoricalCodes(let count)?:
            if let bad = present.first(where: { cell in
                !DeclaredColumnKind.isInteger(cell.text) || !(Int(cell.text).map { (0..<count).contains($0) } ?? false)
            }) {
                throw DatasetError.table(path: source, line: bad.line, column: name,
                                         problem: "'\(bad.text)' is not a class code 0...\(count - 1), but the column is declared \(name)[categorical:\(count)]",
                                         fix: "Write each value as an integer from 0 to \(count - 1) (leave the cell empty for a missing value), or declare the column \(name)[categorical] to take its labels as they are")
            }
            let values = cells.map { $0.text.isEmpty ? nil : Int($0.text).map(Float.init) }
            return (AttributeColumn(name: name, kind: .categorical(classes: count), categories: (0..<count).map(String.init)), values)
        case nil:
            if present.allSatisfy({ DeclaredColumnKind.isInteger($0.text) }) {
                return categorical(name: name, cells: cells, numeric: true)
            }
            if numbers.allSatisfy({ $0 }) { return try continuous(name: name, cells: cells, source: source) }
            if zip(present, numbers).contains(where: { $0.1 && !DeclaredColumnKind.isInteger($0.0.text) }) {
                try requireNumbers("in a column of decimal numbers",
                                   "Leave missing values empty, or declare the column \(name)[categorical] if its values are labels")
            }
            return categorical(name: name, cells: cells, numeric: false)
        }
    }

    private static func continuous(name: String, cells: [(line: Int, text: String)], source: String) throws -> (AttributeColumn, [Float?]) {
        // Straight to Float (strtof rounds once), so a Float's shortest text reads back exactly.
        let values = cells.map { $0.text.isEmpty ? nil : Float($0.text) }
        // A number past Float's range reads as infinity, which no range, read-out or score can use.
        if let (cell, _) = zip(cells, values).first(where: { $0.1.map { !$0.isFinite } ?? false }) {
            throw DatasetError.table(path: source, line: cell.line, column: name,
                                     problem: "'\(cell.text)' is beyond the range of 32-bit floats (±3.4e38)",
                                     fix: "Scale the column's values into that range, or declare the column \(name)[categorical] if they are labels")
        }
        let present = values.compactMap { $0 }
        let range = present.min()!...present.max()!
        return (AttributeColumn(name: name, kind: .continuous(range), categories: []), values)
    }

    private static func categorical(name: String, cells: [(line: Int, text: String)], numeric: Bool) -> (AttributeColumn, [Float?]) {
        let labels = Set(cells.map(\.text).filter { !$0.isEmpty })
        let sorted = labels.sorted { a, b in
            if numeric, let x = Double(a), let y = Double(b), x != y { return x < y }
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        let code = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($0.element, Float($0.offset)) })
        let values = cells.map { $0.text.isEmpty ? nil : code[$0.text] }
        return (AttributeColumn(name: name, kind: .categorical(classes: sorted.count), categories: sorted), values)
    }
}
