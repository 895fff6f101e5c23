/// A table of images with optional column headers, labelled column groups above them and row
/// headers on the left. Columns take the width of their widest cell or header, rows the height
/// of their tallest cell, so cells of different sizes line up.
public struct ImageGrid {
    /// A title spanning consecutive columns (e.g. one layer's samples).
    public struct ColumnGroup {
        public var title: String
        public var columns: Range<Int>
        public init(title: String, columns: Range<Int>) {
            self.title = title
            self.columns = columns
        }
    }

    public let rows: Int
    public let columns: Int
    public private(set) var cells: [Image?]
    public var columnHeaders: [String]? = nil
    public var rowHeaders: [String]? = nil
    public var columnGroups: [ColumnGroup] = []
    /// Pixels between cells and around the edge.
    public var padding = 4
    /// Extra pixels before each of these columns (to separate groups).
    public var extraGapBefore: Set<Int> = []
    public var textScale = 1
    public var background = RGB8(24, 24, 24)
    public var textColor = RGB8.white
    public var groupLineColor = RGB8(140, 140, 140)

    public init(rows: Int, columns: Int) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        self.cells = [Image?](repeating: nil, count: self.rows * self.columns)
    }

    public subscript(row: Int, column: Int) -> Image? {
        get { cells[row * columns + column] }
        set { cells[row * columns + column] = newValue }
    }

    public func render() -> Image {
        let s = max(textScale, 1)
        let textHeight = BitmapFont.glyphHeight * s
        var colWidths = [Int](repeating: 0, count: columns)
        var rowHeights = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            for c in 0..<columns {
                if let cell = self[r, c] {
                    colWidths[c] = max(colWidths[c], cell.width)
                    rowHeights[r] = max(rowHeights[r], cell.height)
                }
            }
        }
        if let columnHeaders {
            for (c, h) in columnHeaders.prefix(columns).enumerated() {
                colWidths[c] = max(colWidths[c], BitmapFont.size(of: h, scale: s).width)
            }
        }
        let rowHeaderWidth = (rowHeaders ?? []).map { BitmapFont.size(of: $0, scale: s).width }.max() ?? 0
        let groupBandHeight = columnGroups.isEmpty ? 0 : textHeight + 3 * s + padding
        let headerBandHeight = columnHeaders == nil ? 0 : textHeight + padding

        var colX = [Int](repeating: 0, count: columns)
        var x = padding + (rowHeaderWidth > 0 ? rowHeaderWidth + padding : 0)
        for c in 0..<columns {
            if extraGapBefore.contains(c) { x += 2 * padding }
            colX[c] = x
            x += colWidths[c] + padding
        }
        let totalWidth = x
        var rowY = [Int](repeating: 0, count: rows)
        var y = padding + groupBandHeight + headerBandHeight
        for r in 0..<rows {
            rowY[r] = y
            y += rowHeights[r] + padding
        }
        var out = Image(width: totalWidth, height: y, fill: background)

        for group in columnGroups {
            let cols = group.columns.clamped(to: 0..<columns)
            guard let first = cols.first, let last = cols.last else { continue }
            let left = colX[first], right = colX[last] + colWidths[last]
            let w = BitmapFont.size(of: group.title, scale: s).width
            out.drawText(group.title, x: left + max(0, (right - left - w) / 2), y: padding, color: textColor, scale: s)
            out.fillRect(x: left, y: padding + textHeight + s, width: right - left, height: s, color: groupLineColor)
        }
        if let columnHeaders {
            for (c, h) in columnHeaders.prefix(columns).enumerated() {
                let w = BitmapFont.size(of: h, scale: s).width
                out.drawText(h, x: colX[c] + (colWidths[c] - w) / 2, y: padding + groupBandHeight, color: textColor, scale: s)
            }
        }
        if let rowHeaders {
            for (r, h) in rowHeaders.prefix(rows).enumerated() {
                out.drawText(h, x: padding, y: rowY[r] + (rowHeights[r] - textHeight) / 2, color: textColor, scale: s)
            }
        }
        for r in 0..<rows {
            for c in 0..<columns {
                guard let cell = self[r, c] else { continue }
                // Centre smaller cells in their slot.
                out.draw(cell, x: colX[c] + (colWidths[c] - cell.width) / 2, y: rowY[r] + (rowHeights[r] - cell.height) / 2)
            }
        }
        return out
    }
}
