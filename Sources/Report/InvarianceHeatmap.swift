import Foundation
import Imaging

/// The layer × factor invariance heat map: one coloured cell per score with the score printed in
/// it, factor names (abbreviated, never rotated) as column headers, and a 0 = kept … 1 = ignored bar.
struct InvarianceHeatmap {
    let title: String
    let rowLabels: [String]
    /// Full factor names, their column headers, and the scores [row][column] (NaN = not measured).
    let factors: [String]
    let headers: [String]
    let scores: [[Double]]
    let colorMap = HeatColorMap.viridisLike

    // Layout in pixels, fixed by the labels so the tests can predict the size.
    let scale = FigureStyle.textScale
    let margin = FigureStyle.margin
    let cellWidth: Int
    let cellHeight = 40
    /// White gap between neighbouring cells.
    let cellGap = 2
    let gridLeft: Int
    let gridTop: Int

    init(result: DiagnosisResult) {
        let facts = ReportFacts(result)
        // A trailing * marks factors whose read-out is too weak to trust; the key explains it.
        self.init(title: "Invariance per layer and factor (expert \(result.expert))",
                  rowLabels: result.layers.map(ReportFacts.label) + (result.invarianceCeiling == nil ? [] : ["ceiling"]),
                  factors: facts.factors,
                  headers: zip(facts.factors, facts.abbreviations).map { facts.isTrusted(factor: $0) ? $1 : $1 + "*" },
                  scores: result.layers.map { l in facts.factors.map { l.invariance[$0] ?? .nan } }
                      + (facts.ceilingScores(facts.factors).map { [$0] } ?? []))
    }

    init(title: String, rowLabels: [String], factors: [String], headers: [String], scores: [[Double]]) {
        self.title = FigureStyle.ascii(title)
        self.rowLabels = rowLabels.map(FigureStyle.ascii)
        self.factors = factors.map(FigureStyle.ascii)
        self.headers = headers.map(FigureStyle.ascii)
        self.scores = scores
        let widest = max(self.headers.map { FigureStyle.textWidth($0) }.max() ?? 0, FigureStyle.textWidth("0.00"))
        cellWidth = max(72, widest + 16)
        gridLeft = margin + (self.rowLabels.map { FigureStyle.textWidth($0) }.max() ?? 0) + 16
        // Title, a blank line, then the column headers.
        gridTop = margin + FigureStyle.lineHeight + 16 + FigureStyle.lineHeight + 10
    }

    var gridWidth: Int { factors.count * cellWidth }
    var gridHeight: Int { rowLabels.count * cellHeight }
    var barHeight: Int { 20 }

    /// Lines of "abbreviation = full name" for headers that were shortened, wrapped to the figure.
    var keyLines: [String] {
        var pairs = zip(headers, factors).filter { $0 != $1 && $0 != $1 + "*" }
            .map { "\($0.hasSuffix("*") ? String($0.dropLast()) : $0) = \($1)" }
        if headers.contains(where: { $0.hasSuffix("*") }) { pairs.append("* = weak read-out") }
        guard !pairs.isEmpty else { return [] }
        let maxChars = max((width - 2 * margin) / (BitmapFont.advance * scale), 20)
        var lines: [String] = []
        var line = ""
        for p in pairs {
            let candidate = line.isEmpty ? p : line + ", " + p
            if candidate.count > maxChars && !line.isEmpty {
                lines.append(line + ",")
                line = p
            } else {
                line = candidate
            }
        }
        lines.append(line)
        return lines
    }

    var width: Int {
        let content = max(gridLeft + gridWidth, margin + FigureStyle.textWidth(title), gridLeft + 360)
        return content + margin
    }

    /// Top of the colour bar, below the grid.
    var barTop: Int { gridTop + gridHeight + 28 }

    var height: Int {
        // Bar, its tick labels, then the abbreviation key.
        var h = barTop + barHeight + 6 + FigureStyle.lineHeight
        let key = keyLines.count
        if key > 0 { h += 18 + key * FigureStyle.lineHeight + (key - 1) * 6 }
        return h + margin
    }

    /// The rectangle a cell's colour fills (inside the white gaps).
    func cellRect(row: Int, column: Int) -> (x: Int, y: Int, width: Int, height: Int) {
        (gridLeft + column * cellWidth + cellGap / 2, gridTop + row * cellHeight + cellGap / 2,
         cellWidth - cellGap, cellHeight - cellGap)
    }

    func render() -> Image {
        var img = Image(width: width, height: height, fill: FigureStyle.background)
        img.drawText(title, x: margin, y: margin, color: FigureStyle.text, scale: scale)
        for (c, h) in headers.enumerated() {
            img.drawCenteredText(h, centerX: gridLeft + c * cellWidth + cellWidth / 2,
                                 y: gridTop - FigureStyle.lineHeight - 10, color: FigureStyle.text, scale: scale)
        }
        for (r, label) in rowLabels.enumerated() {
            img.drawRightAlignedText(label, rightX: gridLeft - 16,
                                     y: gridTop + r * cellHeight + (cellHeight - FigureStyle.lineHeight) / 2,
                                     color: FigureStyle.text, scale: scale)
            for c in 0..<factors.count {
                let v = c < scores[r].count ? scores[r][c] : .nan
                let rect = cellRect(row: r, column: c)
                let fill = v.isFinite ? colorMap.color(Float(v)) : FigureStyle.missingCell
                img.fillRect(x: rect.x, y: rect.y, width: rect.width, height: rect.height, color: fill)
                let ink = Image.luminance(fill) < 140 ? RGB8.white : FigureStyle.text
                img.drawCenteredText(v.isFinite ? ReportFormat.score(v) : ReportFormat.missing,
                                     centerX: rect.x + rect.width / 2, y: rect.y + (rect.height - FigureStyle.lineHeight) / 2,
                                     color: ink, scale: scale)
            }
        }
        drawColorBar(into: &img)
        var y = barTop + barHeight + 6 + FigureStyle.lineHeight + 18
        for line in keyLines {
            img.drawText(line, x: margin, y: y, color: FigureStyle.mutedText, scale: scale)
            y += FigureStyle.lineHeight + 6
        }
        return img
    }

    private func drawColorBar(into img: inout Image) {
        let x0 = gridLeft
        let w = max(gridWidth, 360)
        for x in 0..<w {
            img.fillRect(x: x0 + x, y: barTop, width: 1, height: barHeight, color: colorMap.color(Float(x) / Float(max(w - 1, 1))))
        }
        img.strokeRect(x: x0 - 1, y: barTop - 1, width: w + 2, height: barHeight + 2, color: FigureStyle.axis)
        let labelY = barTop + barHeight + 6
        img.drawText("0 = kept", x: x0, y: labelY, color: FigureStyle.text, scale: scale)
        img.drawCenteredText("0.5", centerX: x0 + w / 2, y: labelY, color: FigureStyle.text, scale: scale)
        img.drawRightAlignedText("1 = ignored", rightX: x0 + w, y: labelY, color: FigureStyle.text, scale: scale)
        img.drawRightAlignedText("score", rightX: x0 - 16, y: barTop + (barHeight - FigureStyle.lineHeight) / 2,
                                 color: FigureStyle.mutedText, scale: scale)
    }
}
