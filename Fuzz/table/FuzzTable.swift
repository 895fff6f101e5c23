// libFuzzer target: bytes → ImageTable.decode as a CSV and as a TSV (UTF-8 check, RFC 4180
// records, header kinds such as hue[circular:360], typing of every column), without the check
// that the images exist. Built and run by scripts/fuzz (docs/fuzzing.md). Any trap, sanitizer
// report, leak or input slower than 1 s is a finding; DatasetError.table is expected and ignored.
import Datasets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for path in ["fuzz/table.csv", "fuzz/table.tsv"] {
        let table: ImageTable
        do {
            table = try ImageTable.decode(bytes, path: path, checkFiles: false)
        } catch DatasetError.table(let source, _, _, let problem, let fix) {
            guard source == path, !problem.isEmpty, !fix.isEmpty else { fatalError("table error without path, problem or fix") }
            continue
        } catch {
            fatalError("ImageTable.decode threw something other than DatasetError.table: \(error)")
        }
        check(table)
    }
    return 0
}

/// What every caller relies on: one value per column in every row, each a valid value of its
/// column's factor kind, and rows that name distinct images.
private func check(_ table: ImageTable) {
    guard !table.rows.isEmpty else { fatalError("a table without rows was accepted") }
    let names = table.columns.map(\.name)
    guard Set(names).count == names.count, !names.contains(""), !names.contains("path") else {
        fatalError("column names \(names) are empty, repeated or 'path'")
    }
    guard Set(table.rows.map(\.path)).count == table.rows.count else { fatalError("two rows name the same image") }
    for (index, column) in table.columns.enumerated() {
        let values = table.rows.map { row -> Float? in
            guard row.values.count == table.columns.count else {
                fatalError("a row has \(row.values.count) values for \(table.columns.count) columns")
            }
            return row.values[index]
        }
        guard values.contains(where: { $0 != nil }) else { fatalError("column '\(column.name)' has no value") }
        _ = column.descriptor
        switch column.kind {
        case .categorical(let classes):
            guard classes >= 1, column.categories.count == classes else {
                fatalError("column '\(column.name)': \(classes) classes, \(column.categories.count) categories")
            }
            for case let value? in values where !(value.rounded() == value && value >= 0 && value < Float(classes)) {
                fatalError("column '\(column.name)': code \(value) is not one of 0..<\(classes)")
            }
        case .continuous(let range):
            guard range.lowerBound.isFinite, range.upperBound.isFinite else {
                fatalError("column '\(column.name)': range \(range) is not finite")
            }
            for case let value? in values where !range.contains(value) {
                fatalError("column '\(column.name)': \(value) is outside its range \(range)")
            }
        case .circular(let period):
            guard period.isFinite, period > 0 else { fatalError("column '\(column.name)': period \(period)") }
            for case let value? in values where !(value >= 0 && value < period) {
                fatalError("column '\(column.name)': angle \(value) is outside 0..<\(period)")
            }
        }
    }
}
