import Foundation
import Imaging

/// Draws a figure as SVG 1.1 source: rectangles as `<rect>`, text as `<text>` in a sans-serif
/// font (selectable, searchable and sharp at any size), the colour bar as a linear gradient.
/// Coordinates are the raster figure's pixels, so both files show the same layout.
struct SVGCanvas: FigureCanvas {
    let width: Int
    let height: Int
    private var body = ""
    private var gradients = 0
    /// The sans-serif size whose glyphs stay inside the bitmap font's 12-pixel advance, so text
    /// never overruns the space the layout measured for it.
    static let fontSize = 14

    init(width: Int, height: Int) {
        (self.width, self.height) = (width, height)
    }

    /// The whole document. `title` becomes the SVG's `<title>`, which screen readers announce.
    func document(title: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="\(SVGCanvas.fontSize)">
        <title>\(SVGCanvas.escape(title))</title>
        <rect x="0" y="0" width="\(width)" height="\(height)" fill="\(SVGCanvas.hex(FigureStyle.background))"/>
        \(body)</svg>

        """
    }

    mutating func fillRect(x: Int, y: Int, width: Int, height: Int, color: RGB8) {
        guard width > 0, height > 0 else { return }
        body += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"\(SVGCanvas.hex(color))\"/>\n"
    }

    mutating func strokeRect(x: Int, y: Int, width: Int, height: Int, color: RGB8) {
        // The raster outline covers whole pixels; the SVG stroke is centred on the pixel centres.
        body += "<rect x=\"\(Double(x) + 0.5)\" y=\"\(Double(y) + 0.5)\" width=\"\(width - 1)\" height=\"\(height - 1)\" "
            + "fill=\"none\" stroke=\"\(SVGCanvas.hex(color))\" stroke-width=\"1\"/>\n"
    }

    mutating func text(_ text: String, x: Int, y: Int, anchor: TextAnchor, color: RGB8, data: [(String, String)]) {
        // The raster text is a 16-pixel line from `y`; the sans-serif baseline sits 12 pixels down.
        let attributes = data.map { " data-\($0.0)=\"\(SVGCanvas.escape($0.1))\"" }.joined()
        body += "<text x=\"\(x)\" y=\"\(y + 12)\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(SVGCanvas.hex(color))\"\(attributes)>"
            + SVGCanvas.escape(text) + "</text>\n"
    }

    mutating func dashedHorizontalLine(x0: Int, x1: Int, y: Int, dash: Int, gap: Int, thickness: Int, color: RGB8) {
        let mid = Double(y) + Double(thickness) / 2
        body += "<line x1=\"\(x0)\" y1=\"\(mid)\" x2=\"\(x1)\" y2=\"\(mid)\" stroke=\"\(SVGCanvas.hex(color))\" "
            + "stroke-width=\"\(thickness)\" stroke-dasharray=\"\(dash) \(gap)\"/>\n"
    }

    mutating func colorRamp(x: Int, y: Int, width: Int, height: Int, map: HeatColorMap) {
        gradients += 1
        let id = "ramp\(gradients)"
        body += "<defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">"
        for stop in map.stops {
            body += "<stop offset=\"\(stop.position)\" stop-color=\"\(SVGCanvas.hex(stop.color))\"/>"
        }
        body += "</linearGradient></defs>\n"
        body += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"url(#\(id))\"/>\n"
    }

    static func hex(_ c: RGB8) -> String {
        String(format: "#%02x%02x%02x", c.r, c.g, c.b)
    }

    /// Escapes text for element content and double-quoted attributes.
    static func escape(_ text: String) -> String {
        HTMLRenderer.escape(text)
    }
}
