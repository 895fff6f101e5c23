import Foundation
import Imaging

/// The layer × factor invariance heat map: one coloured cell per score with the score printed in
/// it, factor names (abbreviated, never rotated) as column headers, and a 0 = kept … 1 = ignored bar.
/// A comparison draws one panel per run side by side, on the same factors and the same colour scale.
///
/// This type is the figure's model and pixel layout; `render()` draws the PNG, `svg()` the same
/// layout as SVG, and `HeatmapTikZ` writes the same cells and numbers as TikZ source.
struct InvarianceHeatmap: CanvasFigure {
    /// One block of rows: a run's layers (and its ceiling) with their scores.
    struct Panel {
        /// The run's name above its block; nil for the single panel of one report.
        let title: String?
        let rowLabels: [String]
        /// Scores [row][column] in `factors` order (NaN = not measured).
        let scores: [[Double]]
        /// Their standard deviations over translator seeds, the same shape; nil for one seed.
        var sds: [[Double]]? = nil
    }

    let title: String
    /// Full factor names and their column headers, shared by every panel.
    let factors: [String]
    let headers: [String]
    let panels: [Panel]
    let colorMap = HeatColorMap.viridisLike

    // Layout in pixels, fixed by the labels so the tests can predict the size.
    let scale = FigureStyle.textScale
    let margin = FigureStyle.margin
    let cellWidth: Int
    /// One line of text per cell, two where a panel has standard deviations (the score, and
    /// under it "sd 0.04").
    let cellHeight: Int
    /// Whether any panel prints standard deviations over seeds.
    let hasSDs: Bool
    /// White gap between neighbouring cells.
    let cellGap = 2
    /// Space between one panel's grid and the next panel's row labels.
    let panelGap = 36
    /// Left edge of each panel's grid.
    let gridLefts: [Int]
    let gridTop: Int

    init(result: DiagnosisResult) {
        let facts = ReportFacts(result)
        self.init(title: "Invariance per layer and factor (expert \(result.expert))", factors: facts.factors,
                  headers: InvarianceHeatmap.headers(facts),
                  panels: [InvarianceHeatmap.panel(result, facts: facts, factors: facts.factors, title: nil)])
    }

    init(title: String, rowLabels: [String], factors: [String], headers: [String], scores: [[Double]]) {
        self.init(title: title, factors: factors, headers: headers, panels: [Panel(title: nil, rowLabels: rowLabels, scores: scores)])
    }

    init(title: String, factors: [String], headers: [String], panels: [Panel]) {
        self.title = FigureStyle.ascii(title)
        self.factors = factors.map(FigureStyle.ascii)
        self.headers = headers.map(FigureStyle.ascii)
        self.panels = panels.map {
            Panel(title: $0.title.map(FigureStyle.ascii), rowLabels: $0.rowLabels.map(FigureStyle.ascii), scores: $0.scores, sds: $0.sds)
        }
        hasSDs = panels.contains { $0.sds != nil }
        cellHeight = hasSDs ? 58 : 40
        let widest = max(self.headers.map { FigureStyle.textWidth($0) }.max() ?? 0,
                         FigureStyle.textWidth(hasSDs ? "sd 0.00" : "0.00"))
        let cellWidth = max(72, widest + 16)
        self.cellWidth = cellWidth
        var lefts: [Int] = []
        var x = margin
        for panel in self.panels {
            // Row labels, then the grid; a panel's title may be wider than its grid.
            let left = x + (panel.rowLabels.map { FigureStyle.textWidth($0) }.max() ?? 0) + 16
            lefts.append(left)
            x = max(left + self.factors.count * cellWidth, left + FigureStyle.textWidth(panel.title ?? "")) + panelGap
        }
        gridLefts = lefts
        // Title, a blank line, the panel titles (if any), then the column headers.
        let panelTitles = self.panels.contains { $0.title != nil } ? FigureStyle.lineHeight + 12 : 0
        gridTop = margin + FigureStyle.lineHeight + 16 + panelTitles + FigureStyle.lineHeight + 10
    }

    /// Column headers: abbreviations, with a trailing * on factors whose read-out is too weak to
    /// trust (the key explains it).
    static func headers(_ facts: ReportFacts) -> [String] {
        zip(facts.factors, facts.abbreviations).map { facts.isTrusted(factor: $0) ? $1 : $1 + "*" }
    }

    /// A result's layers (by alias) and its ceiling as one panel with `factors` as columns.
    static func panel(_ result: DiagnosisResult, facts: ReportFacts, factors: [String], title: String?) -> Panel {
        let ceiling = facts.ceilingScores(factors)
        var sds: [[Double]]? = nil
        if let k = result.seeds, k > 1 {
            sds = result.layers.map { l in factors.map { l.overSeeds?.sd.invariance[$0] ?? .nan } }
                + (ceiling == nil ? [] : [facts.ceilingSDs(factors) ?? factors.map { _ in .nan }])
        }
        return Panel(title: title,
                     rowLabels: result.layers.map(ReportFacts.label) + (result.invarianceCeiling == nil ? [] : ["ceiling"]),
                     scores: result.layers.map { l in factors.map { l.invariance[$0] ?? .nan } } + (ceiling.map { [$0] } ?? []),
                     sds: sds)
    }

    /// The standard deviation printed under a cell's score ("sd 0.04"), nil where there is none.
    static func sdText(_ panel: Panel, row r: Int, column c: Int) -> String? {
        guard let sds = panel.sds, r < sds.count, c < sds[r].count, sds[r][c].isFinite else { return nil }
        return "sd " + ReportFormat.score(sds[r][c])
    }

    // The single panel of a report, as the tests and the one-run figure read it.
    var rowLabels: [String] { panels.first?.rowLabels ?? [] }
    var scores: [[Double]] { panels.first?.scores ?? [] }
    var gridLeft: Int { gridLefts.first ?? margin }

    var gridWidth: Int { factors.count * cellWidth }
    var gridHeight: Int { (panels.map(\.rowLabels.count).max() ?? 0) * cellHeight }
    var barHeight: Int { 20 }
    /// The right edge of the last panel's grid.
    var gridsRight: Int { (gridLefts.last ?? margin) + gridWidth }
    var barWidth: Int { max(gridsRight - gridLeft, 360) }

    /// Lines of "abbreviation = full name" for headers that were shortened, wrapped to the figure.
    var keyLines: [String] {
        var pairs = keyEntries.map { "\($0.short) = \($0.full)" }
        if headers.contains(where: { $0.hasSuffix("*") }) { pairs.append("* = weak read-out") }
        if hasSDs { pairs.append("sd = standard deviation over translator seeds") }
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

    /// The abbreviated headers (without the weak-read-out star) and the names they stand for.
    var keyEntries: [(short: String, full: String)] {
        zip(headers, factors).filter { $0 != $1 && $0 != $1 + "*" }
            .map { ($0.hasSuffix("*") ? String($0.dropLast()) : $0, $1) }
    }

    var width: Int {
        let content = max(gridsRight, margin + FigureStyle.textWidth(title), gridLeft + 360,
                          zip(panels, gridLefts).map { $1 + FigureStyle.textWidth($0.title ?? "") }.max() ?? 0)
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
    func cellRect(row: Int, column: Int, panel: Int = 0) -> (x: Int, y: Int, width: Int, height: Int) {
        (gridLefts[panel] + column * cellWidth + cellGap / 2, gridTop + row * cellHeight + cellGap / 2,
         cellWidth - cellGap, cellHeight - cellGap)
    }

    /// A score's cell colour (light grey where it was not measured) and the ink readable on it.
    func colors(_ score: Double) -> (fill: RGB8, ink: RGB8) { InvarianceHeatmap.colors(score) }

    /// The same for every drawing of the scores: the PNG, SVG and TikZ figures and report.html's table.
    static func colors(_ score: Double) -> (fill: RGB8, ink: RGB8) {
        let fill = score.isFinite ? HeatColorMap.viridisLike.color(Float(score)) : FigureStyle.missingCell
        return (fill, Image.luminance(fill) < 140 ? RGB8.white : FigureStyle.text)
    }

    func draw<C: FigureCanvas>(on canvas: inout C) {
        canvas.text(title, x: margin, y: margin, color: FigureStyle.text)
        let headerY = gridTop - FigureStyle.lineHeight - 10
        for (p, panel) in panels.enumerated() {
            let left = gridLefts[p]
            if let t = panel.title {
                canvas.text(t, x: left, y: headerY - FigureStyle.lineHeight - 12, color: FigureStyle.text)
                canvas.fillRect(x: left, y: headerY - 8, width: gridWidth, height: 2, color: FigureStyle.gridLine)
            }
            for (c, h) in headers.enumerated() {
                canvas.text(h, x: left + c * cellWidth + cellWidth / 2, y: headerY, anchor: .middle, color: FigureStyle.text)
            }
            for (r, label) in panel.rowLabels.enumerated() {
                canvas.text(label, x: left - 16, y: gridTop + r * cellHeight + (cellHeight - FigureStyle.lineHeight) / 2,
                            anchor: .end, color: FigureStyle.text)
                for c in 0..<factors.count {
                    let v = c < panel.scores[r].count ? panel.scores[r][c] : .nan
                    let rect = cellRect(row: r, column: c, panel: p)
                    let (fill, ink) = colors(v)
                    canvas.fillRect(x: rect.x, y: rect.y, width: rect.width, height: rect.height, color: fill)
                    var data = [("row", label), ("factor", factors[c])]
                    if let t = panel.title { data.insert(("panel", t), at: 0) }
                    let sd = InvarianceHeatmap.sdText(panel, row: r, column: c)
                    // With a standard deviation the score moves up half a line and the sd goes under it.
                    let textY = rect.y + (rect.height - FigureStyle.lineHeight) / 2 - (panel.sds == nil ? 0 : FigureStyle.lineHeight / 2 + 2)
                    canvas.text(v.isFinite ? ReportFormat.score(v) : ReportFormat.missing,
                                x: rect.x + rect.width / 2, y: textY, anchor: .middle, color: ink, data: data)
                    if let sd {
                        canvas.text(sd, x: rect.x + rect.width / 2, y: textY + FigureStyle.lineHeight + 4, anchor: .middle, color: ink,
                                    data: data.map { ("sd-" + $0.0, $0.1) })
                    }
                }
            }
        }
        drawColorBar(on: &canvas)
        var y = barTop + barHeight + 6 + FigureStyle.lineHeight + 18
        for line in keyLines {
            canvas.text(line, x: margin, y: y, color: FigureStyle.mutedText)
            y += FigureStyle.lineHeight + 6
        }
    }

    private func drawColorBar<C: FigureCanvas>(on canvas: inout C) {
        let x0 = gridLeft, w = barWidth
        canvas.colorRamp(x: x0, y: barTop, width: w, height: barHeight, map: colorMap)
        canvas.strokeRect(x: x0 - 1, y: barTop - 1, width: w + 2, height: barHeight + 2, color: FigureStyle.axis)
        let labelY = barTop + barHeight + 6
        canvas.text("0 = kept", x: x0, y: labelY, color: FigureStyle.text)
        canvas.text("0.5", x: x0 + w / 2, y: labelY, anchor: .middle, color: FigureStyle.text)
        canvas.text("1 = ignored", x: x0 + w, y: labelY, anchor: .end, color: FigureStyle.text)
        canvas.text("score", x: x0 - 16, y: barTop + (barHeight - FigureStyle.lineHeight) / 2, anchor: .end, color: FigureStyle.mutedText)
    }
}
