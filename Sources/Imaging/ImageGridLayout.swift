extension ImageGrid {
    /// Where everything of an `ImageGrid` goes, in pixels with y down. `ImageGrid.layout()` computes
    /// it once; `render()` draws it with the bitmap font, and the report's SVG and TikZ versions
    /// set the same labels as text over `renderImages()`, so all formats show one arrangement.
    public struct Layout {
        public struct Rect: Equatable {
            public var x: Int, y: Int, width: Int, height: Int
            public init(x: Int, y: Int, width: Int, height: Int) {
                (self.x, self.y, self.width, self.height) = (x, y, width, height)
            }
            public var maxX: Int { x + width }
            public var maxY: Int { y + height }
        }

        /// One text of the grid.
        public struct Label {
            public enum Kind: Equatable {
                case groupTitle, columnHeader, rowHeader
            }
            public var text: String
            public var kind: Kind
            /// Where the bitmap font draws it (top left, its measured size).
            public var box: Rect
            /// What it names: the columns under a title or header (x range), the row of a row header (y range).
            public var span: Range<Int>

            /// The bitmap font's baseline: under the seventh of its eight rows (the eighth holds descenders).
            public var baseline: Int { box.y + box.height * 7 / 8 }
        }

        /// One image, as drawn: centred in its slot.
        public struct Cell {
            public var row: Int, column: Int
            public var rect: Rect
        }

        public var width: Int
        public var height: Int
        public var cells: [Cell]
        /// In drawing order: group titles, column headers, row headers.
        public var labels: [Label]
        /// The line under each group title.
        public var rules: [Rect]
        /// The cells with the padding around them, without the label bands above and the row headers on
        /// the left: what `renderImages()` draws. Text set at another size than the bitmap font's
        /// (a document's) goes around this block instead of into bands measured for the bitmap font.
        public var imageArea: Rect
        /// The bitmap font's scale (its lines are `BitmapFont.glyphHeight` times this tall).
        public var textScale: Int
        public var background: RGB8
        public var textColor: RGB8
        public var ruleColor: RGB8
    }

    public func layout() -> Layout {
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
        let firstX = x
        for c in 0..<columns {
            if extraGapBefore.contains(c) { x += 2 * padding }
            colX[c] = x
            x += colWidths[c] + padding
        }
        var rowY = [Int](repeating: 0, count: rows)
        var y = padding + groupBandHeight + headerBandHeight
        let firstY = y
        for r in 0..<rows {
            rowY[r] = y
            y += rowHeights[r] + padding
        }
        var layout = Layout(width: x, height: y, cells: [], labels: [], rules: [],
                            imageArea: Layout.Rect(x: firstX - padding, y: firstY - padding, width: x - firstX + padding, height: y - firstY + padding),
                            textScale: s, background: background, textColor: textColor, ruleColor: groupLineColor)

        func label(_ text: String, _ kind: Layout.Label.Kind, x: Int, y: Int, span: Range<Int>) -> Layout.Label {
            let size = BitmapFont.size(of: text, scale: s)
            return Layout.Label(text: text, kind: kind, box: Layout.Rect(x: x, y: y, width: size.width, height: size.height), span: span)
        }
        for group in columnGroups {
            let cols = group.columns.clamped(to: 0..<columns)
            guard let first = cols.first, let last = cols.last else { continue }
            let left = colX[first], right = colX[last] + colWidths[last]
            let w = BitmapFont.size(of: group.title, scale: s).width
            // A title wider than its columns starts at their left edge and runs on to the right.
            layout.labels.append(label(group.title, .groupTitle, x: left + max(0, (right - left - w) / 2), y: padding, span: left..<right))
            layout.rules.append(Layout.Rect(x: left, y: padding + textHeight + s, width: right - left, height: s))
        }
        if let columnHeaders {
            for (c, h) in columnHeaders.prefix(columns).enumerated() {
                let w = BitmapFont.size(of: h, scale: s).width
                layout.labels.append(label(h, .columnHeader, x: colX[c] + (colWidths[c] - w) / 2, y: padding + groupBandHeight,
                                           span: colX[c]..<(colX[c] + colWidths[c])))
            }
        }
        if let rowHeaders {
            for (r, h) in rowHeaders.prefix(rows).enumerated() {
                layout.labels.append(label(h, .rowHeader, x: padding, y: rowY[r] + (rowHeights[r] - textHeight) / 2,
                                           span: rowY[r]..<(rowY[r] + rowHeights[r])))
            }
        }
        for r in 0..<rows {
            for c in 0..<columns {
                guard let cell = self[r, c] else { continue }
                // Centre smaller cells in their slot.
                layout.cells.append(Layout.Cell(row: r, column: c, rect: Layout.Rect(
                    x: colX[c] + (colWidths[c] - cell.width) / 2, y: rowY[r] + (rowHeights[r] - cell.height) / 2,
                    width: cell.width, height: cell.height)))
            }
        }
        return layout
    }
}
