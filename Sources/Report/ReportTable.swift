/// A table of already-formatted cells, shared by the Markdown and HTML renderers.
struct ReportTable {
    var header: [String]
    var rows: [[String]]
    /// Per column: numbers are right-aligned so their digits line up.
    var rightAligned: [Bool]
    /// Per row and column, where the table is a heat map (the invariance table): the score that
    /// colours the cell and what pointing at it tells. The HTML page draws these cells coloured
    /// and focusable; Markdown, which has no colour, prints the table as it is.
    var heat: [[HeatCell?]]?

    init(header: [String], rows: [[String]], rightAligned: [Bool]? = nil, heat: [[HeatCell?]]? = nil) {
        self.header = header
        // A short row would make a ragged table; pad it rather than drop data.
        self.rows = rows.map { $0.count < header.count ? $0 + Array(repeating: "", count: header.count - $0.count) : $0 }
        self.rightAligned = rightAligned ?? Array(repeating: false, count: header.count)
        self.heat = heat
    }

    /// The heat-map cell at `row`, `column`, if the table has one there.
    func heatCell(_ row: Int, _ column: Int) -> HeatCell? {
        guard let heat, row < heat.count, column < heat[row].count else { return nil }
        return heat[row][column]
    }
}

/// One score of a heat-map table: its value (NaN where not measured) and a sentence on how far it
/// can be trusted (the factor's read-out quality, floor and ceiling).
struct HeatCell {
    let score: Double
    let detail: String
}
