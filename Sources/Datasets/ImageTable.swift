import FileSupport
import Foundation
import Imaging

/// A user's image set as a table: one row per image with its path and attribute values, and the
/// attribute columns typed as factors. Read from a CSV or TSV file (`read`) or made by scanning a
/// folder (`ImageFolder.scan`).
///
/// Table files: the first line is the header; a column named `path` holds each image's path,
/// relative to the table's folder (absolute paths and `..` are allowed; the file must exist);
/// every other column is an attribute. Integers and text are categorical, decimals continuous;
/// a header such as `hue[circular:360]` declares a circular column with its period,
/// `digit[categorical:10]` a column of class codes 0...9 (all ten classes, whichever occur), and
/// `[categorical]` / `[continuous]` override the typing (`DeclaredColumnKind`). Empty cells are
/// missing values. Quoting follows RFC 4180 (`DelimitedText`); spaces around cells are ignored.
public struct ImageTable: Equatable, Sendable {
    /// The table file, or the folder that was scanned.
    public let source: String
    public let columns: [AttributeColumn]
    public let rows: [ImageTableRow]

    public init(source: String, columns: [AttributeColumn], rows: [ImageTableRow]) {
        self.source = source
        self.columns = columns
        self.rows = rows
    }

    /// The most paths a "files do not exist" error lists.
    static let listedMissingPaths = 10

    /// The image set at `path`: a folder is scanned (`ImageFolder.scan`), anything else read as a
    /// table; the form `--images PATH` takes.
    public static func open(_ path: String) throws -> ImageTable {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return try ImageFolder.scan(path)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError.imageFolder(path: path, problem: "does not exist",
                                           fix: "Pass an existing folder of images, or a .csv/.tsv table with a path column")
        }
        return try read(path)
    }

    /// Reads a `.csv` (comma-separated) or `.tsv` (tab-separated) table and checks that every
    /// image it names exists.
    public static func read(_ path: String) throws -> ImageTable {
        _ = try delimiter(of: path)  // a wrong name is refused before the file is read
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch let error as FileError {
            throw DatasetError.unreadable(path: path, reason: error.reason)
        }
        return try decode(bytes, path: path)
    }

    /// A table file's bytes as `read` takes them once read: `path`'s extension says CSV or TSV,
    /// its folder is where relative image paths start. Split from `read` so that the fuzzer
    /// (docs/fuzzing.md) parses bytes without files; `checkFiles` false skips the check that the
    /// images exist.
    public static func decode(_ bytes: [UInt8], path: String, checkFiles: Bool = true) throws -> ImageTable {
        let delimiter = try delimiter(of: path)
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw DatasetError.table(path: path, line: nil, column: nil, problem: "the file is not UTF-8 text",
                                     fix: "Save the table as UTF-8 (\"CSV UTF-8\" in spreadsheet programs)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return try parse(text, source: path, delimiter: delimiter, folder: folder.isEmpty ? "." : folder, checkFiles: checkFiles)
    }

    /// The delimiter a table's name says: comma for `.csv`, tab for `.tsv`.
    static func delimiter(of path: String) throws -> UInt8 {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return UInt8(ascii: ",")
        case "tsv": return UInt8(ascii: "\t")
        default:
            throw DatasetError.table(path: path, line: nil, column: nil,
                                     problem: "the table's name must end in .csv (comma-separated) or .tsv (tab-separated)",
                                     fix: "Rename it to say which it is")
        }
    }

    /// Parses table text whose relative paths are relative to `folder`; `checkFiles` false skips
    /// the existence check (for tests of the parsing alone).
    static func parse(_ text: String, source: String, delimiter: UInt8, folder: String, checkFiles: Bool = true) throws -> ImageTable {
        let records = try DelimitedText.records(text, delimiter: delimiter, source: source)
        guard let header = records.first else {
            throw DatasetError.table(path: source, line: nil, column: nil, problem: "the table is empty",
                                     fix: "The first line must be a header naming the columns, one of them `path`")
        }
        let (names, declared) = try columnNames(header, source: source)
        let delimiterName = delimiter == UInt8(ascii: "\t") ? "tab" : "comma"
        guard let pathColumn = names.firstIndex(of: "path") else {
            throw DatasetError.table(path: source, line: header.line, column: nil,
                                     problem: "no column named `path` (the header has \(names.map { "'\($0)'" }.joined(separator: ", ")), split at each \(delimiterName))",
                                     fix: "Add a column named path with each image's path relative to the table's folder")
        }
        guard declared[pathColumn] == nil else {
            throw DatasetError.table(path: source, line: header.line, column: "path", problem: "the path column has a declared kind",
                                     fix: "Write the header as plain `path`; only attribute columns take a kind")
        }
        let body = records.dropFirst()
        guard !body.isEmpty else {
            throw DatasetError.table(path: source, line: nil, column: nil, problem: "the header has no rows under it",
                                     fix: "Add one row per image")
        }
        for record in body where record.fields.count != names.count {
            throw DatasetError.table(path: source, line: record.line, column: nil,
                                     problem: "\(record.fields.count) fields where the header has \(names.count)",
                                     fix: "Give every row one field per header column; put fields holding a \(delimiterName) in double quotes")
        }

        let paths = try resolvedPaths(body, column: pathColumn, folder: folder, source: source)

        // Attributes: typed column by column.
        var columns: [AttributeColumn] = []
        var valuesByColumn: [[Float?]] = []
        for (index, name) in names.enumerated() where index != pathColumn {
            let cells = body.map { (line: $0.line, text: $0.fields[index].trimmingSpaces) }
            let (column, values) = try AttributeColumn.typed(name: name, declared: declared[index], cells: cells, source: source)
            columns.append(column)
            valuesByColumn.append(values)
        }
        let rows = zip(body, paths).enumerated().map { index, entry in
            ImageTableRow(path: entry.1, line: entry.0.line, values: valuesByColumn.map { $0[index] })
        }

        if checkFiles { try checkFilesExist(rows, folder: folder, source: source) }
        return ImageTable(source: source, columns: columns, rows: rows)
    }

    /// The header's column names and declared kinds: every column named, each name once.
    static func columnNames(_ header: DelimitedText.Record, source: String) throws -> (names: [String], declared: [DeclaredColumnKind?]) {
        var names: [String] = []
        var declared: [DeclaredColumnKind?] = []
        for (index, cell) in header.fields.enumerated() {
            let (name, kind) = try DeclaredColumnKind.split(header: cell, source: source, line: header.line, column: index)
            guard !name.isEmpty else {
                throw DatasetError.table(path: source, line: header.line, column: nil,
                                         problem: "header cell \(index + 1) of \(header.fields.count) has no column name",
                                         fix: "Name every column, or delete the empty one (a delimiter at the end of the header makes one)")
            }
            if let earlier = names.firstIndex(of: name) {
                throw DatasetError.table(path: source, line: header.line, column: name,
                                         problem: "header cells \(earlier + 1) and \(index + 1) have the same name",
                                         fix: "Give every column its own name")
            }
            names.append(name)
            declared.append(kind)
        }
        return (names, declared)
    }

    /// Each row's path resolved against the table's folder; an empty or repeated path is an error.
    static func resolvedPaths(_ body: ArraySlice<DelimitedText.Record>, column pathColumn: Int, folder: String,
                              source: String) throws -> [String] {
        var paths: [String] = []
        var firstLine: [String: Int] = [:]
        for record in body {
            let written = record.fields[pathColumn].trimmingSpaces
            guard !written.isEmpty else {
                throw DatasetError.table(path: source, line: record.line, column: "path", problem: "the row has no path",
                                         fix: "Give every row the path of its image, or remove the row")
            }
            let joined = written.hasPrefix("/") ? written : folder + "/" + written
            let resolved = URL(fileURLWithPath: joined).standardized.path
            if let earlier = firstLine[resolved] {
                throw DatasetError.table(path: source, line: record.line, column: "path",
                                         problem: "'\(written)' is the same image as line \(earlier)'s",
                                         fix: "List each image once")
            }
            firstLine[resolved] = record.line
            paths.append(resolved)
        }
        return paths
    }

    /// Every row's image must be an existing file; the error lists the first missing ones.
    static func checkFilesExist(_ rows: [ImageTableRow], folder: String, source: String) throws {
        let missing = rows.filter { row in
            var isDirectory: ObjCBool = false
            return !FileManager.default.fileExists(atPath: row.path, isDirectory: &isDirectory) || isDirectory.boolValue
        }
        if let first = missing.first {
            let listed = missing.prefix(listedMissingPaths).map { "line \($0.line ?? 0): \($0.path)" }.joined(separator: "; ")
            let more = missing.count > listedMissingPaths ? "; and \(missing.count - listedMissingPaths) more" : ""
            throw DatasetError.table(path: source, line: first.line, column: "path",
                                     problem: "\(missing.count) of \(rows.count) images do not exist or are not files (\(listed)\(more))",
                                     fix: "Paths are relative to the table's folder \(folder); correct them or remove those rows")
        }
    }

    /// The index of the column with this name.
    public func column(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }
}
