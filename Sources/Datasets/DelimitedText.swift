/// RFC 4180 records from CSV or TSV text: fields split at the delimiter, records at CRLF, LF or
/// CR; a field in double quotes may hold delimiters, line breaks and doubled quotes (""). TSV is
/// read with the same quoting, the way spreadsheet programs and pandas write it. A UTF-8 byte
/// order mark (Excel writes one) is skipped, and blank lines are skipped rather than read as
/// one-field records.
enum DelimitedText {
    /// One record and the line it starts on (1-based), so errors can point at it.
    struct Record: Equatable {
        let line: Int
        let fields: [String]
    }

    /// Parses all records; `source` names the file in errors.
    static func records(_ text: String, delimiter: UInt8, source: String) throws -> [Record] {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var fieldQuoted = false
        var line = 1, recordLine = 1

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldQuoted = false
        }
        func endRecord() {
            let blank = fields.isEmpty && field.isEmpty && !fieldQuoted
            endField()
            if !blank { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        func isLineBreak(at i: Int) -> Bool {
            // CRLF counts once, at its LF.
            bytes[i] == lf || (bytes[i] == cr && (i + 1 == bytes.count || bytes[i + 1] != lf))
        }

        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == quote {
                guard field.isEmpty, !fieldQuoted else {
                    throw DatasetError.table(path: source, line: line, column: nil,
                                             problem: "a double quote inside an unquoted field",
                                             fix: "Put the whole field in double quotes and double each quote inside it (\"a \"\"b\"\" c\")")
                }
                let opened = line
                i += 1
                var closed = false
                while i < bytes.count {
                    if bytes[i] == quote {
                        if i + 1 < bytes.count, bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    if isLineBreak(at: i) { line += 1 }
                    field.append(bytes[i])
                    i += 1
                }
                guard closed else {
                    throw DatasetError.table(path: source, line: opened, column: nil,
                                             problem: "a double quote opens a field that is never closed",
                                             fix: "Close the quoted field with a double quote, or double a quote meant literally (\"\")")
                }
                fieldQuoted = true
                // Only a delimiter or the end of the record may follow the closing quote.
                if i < bytes.count, bytes[i] != delimiter, bytes[i] != cr, bytes[i] != lf {
                    throw DatasetError.table(path: source, line: line, column: nil,
                                             problem: "text after the closing quote of a quoted field",
                                             fix: "Put the whole field inside the quotes, or end it with the delimiter")
                }
            } else if byte == delimiter {
                endField()
                i += 1
            } else if byte == cr || byte == lf {
                endRecord()
                i += (byte == cr && i + 1 < bytes.count && bytes[i + 1] == lf) ? 2 : 1
                line += 1
                recordLine = line
            } else {
                field.append(byte)
                i += 1
            }
        }
        // The last record needs no line break after it.
        if !(fields.isEmpty && field.isEmpty && !fieldQuoted) { endRecord() }
        return records
    }
}
