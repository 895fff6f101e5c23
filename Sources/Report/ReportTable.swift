/// A table of already-formatted cells, shared by the Markdown and HTML renderers.
struct ReportTable {
    var header: [String]
    var rows: [[String]]
    /// Per column: numbers are right-aligned so their digits line up.
    var rightAligned: [Bool]

    init(header: [String], rows: [[String]], rightAligned: [Bool]? = nil) {
        self.header = header
        // A short row would make a ragged table; pad it rather than drop data.
        self.rows = rows.map { $0.count < header.count ? $0 + Array(repeating: "", count: header.count - $0.count) : $0 }
        self.rightAligned = rightAligned ?? Array(repeating: false, count: header.count)
    }
}
