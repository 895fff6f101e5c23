import Imaging

/// Draws a figure into an `Image` with the 5×8 bitmap font at `FigureStyle.textScale`.
struct RasterCanvas: FigureCanvas {
    var image: Image

    init(width: Int, height: Int) {
        image = Image(width: width, height: height, fill: FigureStyle.background)
    }

    mutating func fillRect(x: Int, y: Int, width: Int, height: Int, color: RGB8) {
        image.fillRect(x: x, y: y, width: width, height: height, color: color)
    }

    mutating func strokeRect(x: Int, y: Int, width: Int, height: Int, color: RGB8) {
        image.strokeRect(x: x, y: y, width: width, height: height, color: color)
    }

    mutating func text(_ text: String, x: Int, y: Int, anchor: TextAnchor, color: RGB8, data: [(String, String)]) {
        let scale = FigureStyle.textScale
        switch anchor {
        case .start: image.drawText(text, x: x, y: y, color: color, scale: scale)
        case .middle: image.drawCenteredText(text, centerX: x, y: y, color: color, scale: scale)
        case .end: image.drawRightAlignedText(text, rightX: x, y: y, color: color, scale: scale)
        }
    }

    mutating func dashedHorizontalLine(x0: Int, x1: Int, y: Int, dash: Int, gap: Int, thickness: Int, color: RGB8) {
        image.drawDashedHorizontalLine(x0: x0, x1: x1, y: y, dash: dash, gap: gap, thickness: thickness, color: color)
    }

    mutating func colorRamp(x: Int, y: Int, width: Int, height: Int, map: HeatColorMap) {
        for i in 0..<width {
            image.fillRect(x: x + i, y: y, width: 1, height: height, color: map.color(Float(i) / Float(max(width - 1, 1))))
        }
    }
}
