import Imaging

/// Drawing primitives the report's figures need beyond Imaging's rectangles and text.
extension Image {
    /// Text centred horizontally on `centerX`, top at `y`.
    mutating func drawCenteredText(_ text: String, centerX: Int, y: Int, color: RGB8, scale: Int) {
        let w = BitmapFont.size(of: text, scale: scale).width
        drawText(text, x: centerX - w / 2, y: y, color: color, scale: scale)
    }

    /// Text whose right edge is at `rightX`.
    mutating func drawRightAlignedText(_ text: String, rightX: Int, y: Int, color: RGB8, scale: Int) {
        let w = BitmapFont.size(of: text, scale: scale).width
        drawText(text, x: rightX - w, y: y, color: color, scale: scale)
    }

    /// A horizontal dashed line from x0 to x1 (exclusive), `thickness` rows from `y` down.
    mutating func drawDashedHorizontalLine(x0: Int, x1: Int, y: Int, dash: Int, gap: Int, thickness: Int, color: RGB8) {
        var x = x0
        while x < x1 {
            fillRect(x: x, y: y, width: min(dash, x1 - x), height: thickness, color: color)
            x += dash + gap
        }
    }

    /// Perceived brightness (ITU-R BT.601 weights), to pick dark or light text on a coloured cell.
    static func luminance(_ c: RGB8) -> Double {
        0.299 * Double(c.r) + 0.587 * Double(c.g) + 0.114 * Double(c.b)
    }
}
