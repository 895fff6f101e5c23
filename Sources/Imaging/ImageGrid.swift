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

    /// The grid with its labels in the bitmap font.
    public func render() -> Image {
        let layout = layout()
        var out = Image(width: layout.width, height: layout.height, fill: layout.background)
        for rule in layout.rules {
            out.fillRect(x: rule.x, y: rule.y, width: rule.width, height: rule.height, color: layout.ruleColor)
        }
        for label in layout.labels {
            out.drawText(label.text, x: label.box.x, y: label.box.y, color: layout.textColor, scale: layout.textScale)
        }
        draw(layout.cells, on: &out, shiftedBy: (0, 0))
        return out
    }

    /// Only `layout().imageArea`: the cells on the background, no text and no rules, for a
    /// document that sets the labels itself.
    public func renderImages() -> Image {
        let layout = layout(), area = layout.imageArea
        var out = Image(width: area.width, height: area.height, fill: background)
        draw(layout.cells, on: &out, shiftedBy: (-area.x, -area.y))
        return out
    }

    private func draw(_ cells: [Layout.Cell], on out: inout Image, shiftedBy shift: (x: Int, y: Int)) {
        for cell in cells {
            guard let image = self[cell.row, cell.column] else { continue }
            out.draw(image, x: cell.rect.x + shift.x, y: cell.rect.y + shift.y)
        }
    }
}
