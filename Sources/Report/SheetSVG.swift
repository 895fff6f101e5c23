import Foundation
import Imaging

/// A contact sheet as SVG: its pixels as one embedded PNG, its labels as `<text>` at the places
/// `ImageGrid.Layout` gives them (so they are selectable and searchable, and sharp at any zoom),
/// in the layout's pixel units. The PNG is a data URI because a browser shows an SVG in `<img>`
/// without loading anything it refers to.
enum SheetSVG {
    /// The bitmap font's line height. A sans-serif this size is narrower than the bitmap text
    /// (6 pixels a character) for the sheets' labels (lower case, digits, `/`, `_`), so it stays
    /// within the room the layout measured.
    static let fontSizePerTextScale = BitmapFont.glyphHeight

    /// `images` is the PNG of `ImageGrid.renderImages()` of the grid `layout` came from, at any
    /// integer scale: it is drawn over `layout.imageArea`.
    static func render(_ layout: ImageGrid.Layout, images: [UInt8], title: String) -> String {
        let area = layout.imageArea
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" \
        width="\(layout.width)" height="\(layout.height)" viewBox="0 0 \(layout.width) \(layout.height)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="\(fontSizePerTextScale * layout.textScale)">
        <title>\(SVGCanvas.escape(title))</title>
        <rect x="0" y="0" width="\(layout.width)" height="\(layout.height)" fill="\(SVGCanvas.hex(layout.background))"/>

        """
        // Pixelated: a viewer that enlarges the sheet repeats pixels instead of blurring them
        // (the attribute for SVG 1.1 renderers, the style for browsers).
        svg += "<image x=\"\(area.x)\" y=\"\(area.y)\" width=\"\(area.width)\" height=\"\(area.height)\" "
            + "preserveAspectRatio=\"none\" image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" "
            + "xlink:href=\"data:image/png;base64,\(Data(images).base64EncodedString())\"/>\n"
        for rule in layout.rules {
            svg += "<rect x=\"\(rule.x)\" y=\"\(rule.y)\" width=\"\(rule.width)\" height=\"\(rule.height)\" fill=\"\(SVGCanvas.hex(layout.ruleColor))\"/>\n"
        }
        for label in layout.labels {
            // Row headers start where the bitmap text starts; titles and headers are centred on its box,
            // which is their columns' centre unless the text is wider than the columns.
            let (x, anchor) = label.kind == .rowHeader
                ? (String(label.box.x), "start")
                : (HeatmapTikZ.fmt(Double(label.box.x) + Double(label.box.width) / 2), "middle")
            svg += "<text x=\"\(x)\" y=\"\(label.baseline)\" text-anchor=\"\(anchor)\" fill=\"\(SVGCanvas.hex(layout.textColor))\" "
                + "data-kind=\"\(kindName(label.kind))\">\(SVGCanvas.escape(label.text))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func kindName(_ kind: ImageGrid.Layout.Label.Kind) -> String {
        switch kind {
        case .groupTitle: "group-title"
        case .columnHeader: "column-header"
        case .rowHeader: "row-header"
        }
    }
}
