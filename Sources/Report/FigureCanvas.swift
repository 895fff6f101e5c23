import Imaging

/// Where a text's x coordinate sits: its left end, its centre or its right end.
enum TextAnchor: String {
    case start, middle, end
}

/// The drawing operations the report's figures are made of, in pixel coordinates with y down.
/// A figure lays itself out once and draws through this protocol, so the PNG (`RasterCanvas`) and
/// the SVG (`SVGCanvas`) are the same picture: one layout, two renderers.
protocol FigureCanvas {
    mutating func fillRect(x: Int, y: Int, width: Int, height: Int, color: RGB8)
    mutating func strokeRect(x: Int, y: Int, width: Int, height: Int, color: RGB8)
    /// One line of text whose top is at `y` and which is `FigureStyle.lineHeight` tall. `data`
    /// names what the text shows (e.g. layer and factor of a score); the SVG keeps it as
    /// `data-` attributes so a reader or a test can find each number, the PNG ignores it.
    mutating func text(_ text: String, x: Int, y: Int, anchor: TextAnchor, color: RGB8, data: [(String, String)])
    mutating func dashedHorizontalLine(x0: Int, x1: Int, y: Int, dash: Int, gap: Int, thickness: Int, color: RGB8)
    /// A horizontal ramp of `map` from 0 at the left edge to 1 at the right edge.
    mutating func colorRamp(x: Int, y: Int, width: Int, height: Int, map: HeatColorMap)
}

extension FigureCanvas {
    mutating func text(_ text: String, x: Int, y: Int, anchor: TextAnchor = .start, color: RGB8) {
        self.text(text, x: x, y: y, anchor: anchor, color: color, data: [])
    }
}

/// A figure laid out once and drawn through `FigureCanvas`: the PNG and the SVG are the same drawing.
protocol CanvasFigure {
    var width: Int { get }
    var height: Int { get }
    var title: String { get }
    func draw<C: FigureCanvas>(on canvas: inout C)
}

extension CanvasFigure {
    func render() -> Image {
        var canvas = RasterCanvas(width: width, height: height)
        draw(on: &canvas)
        return canvas.image
    }

    func svg() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        draw(on: &canvas)
        return canvas.document(title: title)
    }
}

extension FigureCanvas {
    /// The value axis of a bar plot: a grid line per tick but the first, the tick marks and their
    /// labels right-aligned left of `plotLeft`; `y` maps a value to its pixel row. Drawn before
    /// the bars so they cover the grid.
    mutating func valueAxis(ticks: [String], step: Double, plotLeft: Int, plotWidth: Int, y: (Double) -> Int) {
        for (i, label) in ticks.enumerated() {
            let ty = y(Double(i) * step)
            if i > 0 { fillRect(x: plotLeft, y: ty, width: plotWidth, height: 1, color: FigureStyle.gridLine) }
            fillRect(x: plotLeft - 6, y: ty, width: 6, height: 2, color: FigureStyle.axis)
            text(label, x: plotLeft - 10, y: ty - FigureStyle.lineHeight / 2, anchor: .end, color: FigureStyle.text)
        }
    }

    /// A whisker from row `hi` to row `lo` at column `x`, 2 px wide with caps `cap` wide.
    mutating func whisker(x: Int, hi: Int, lo: Int, cap: Int) {
        fillRect(x: x - 1, y: hi, width: 2, height: max(lo - hi, 1), color: FigureStyle.axis)
        fillRect(x: x - cap / 2, y: hi, width: cap, height: 2, color: FigureStyle.axis)
        fillRect(x: x - cap / 2, y: lo - 1, width: cap, height: 2, color: FigureStyle.axis)
    }
}
