import Foundation
import Imaging

/// Bar plot of each layer's mean variation (ΔE, `VariationResult.meanDeltaE`) with its standard
/// error over inputs as a whisker, and under each layer its object-to-background ratio: the
/// variation numbers as the bits plot shows bits kept. Drawn as PNG and SVG from one layout.
struct VariationPlot: CanvasFigure {
    static let file = "variation.png"

    let title: String
    let labels: [String]
    let means: [Double]
    let standardErrors: [Double]
    /// Printed under each label: "obj/bg R ± s.e." or "obj/bg n/a".
    let ratios: [String]

    let margin = FigureStyle.margin
    let plotHeight = 260
    let plotLeft: Int
    let plotTop: Int
    /// The narrowest slot a bar and its labels need; slots grow to fill the figure's width.
    let minSlotWidth: Int
    let yMax: Double
    let tickStep: Double

    init(result: DiagnosisResult) {
        let layers = result.layers.filter { $0.variation != nil }
        title = FigureStyle.ascii("Where the samples vary: mean dE per layer (expert \(result.expert))")
        labels = layers.map { FigureStyle.ascii(ReportFacts.label($0)) }
        means = layers.map { $0.variation!.meanDeltaE.mean }
        standardErrors = layers.map { $0.variation!.meanDeltaE.standardError }
        ratios = layers.map { "obj/bg " + FigureStyle.ascii(ReportFormat.withError($0.variation!.objectToBackground, ReportFormat.ratio, plusMinus: " +/- ")) }
        let top = zip(means, standardErrors).map { $0 + ($1.isFinite ? $1 : 0) }.filter(\.isFinite).max() ?? 1
        (yMax, tickStep) = BitsKeptPlot.niceAxis(upTo: max(top, 1) * 1.12)
        let ticks = BitsKeptPlot.tickLabels(yMax: yMax, step: tickStep).map { FigureStyle.textWidth($0) }.max() ?? 0
        plotLeft = margin + max(ticks, FigureStyle.textWidth("dE")) + 14
        plotTop = margin + 2 * FigureStyle.lineHeight + 30
        minSlotWidth = max(130, ((labels + ratios).map { FigureStyle.textWidth($0) }.max() ?? 0) + 24)
    }

    var note: String { "whisker: +/- 1 s.e. over test inputs; under each layer: object / background variation" }
    var plotWidth: Int {
        max(labels.count * minSlotWidth, FigureStyle.textWidth(title) - (plotLeft - margin), FigureStyle.textWidth(note) - (plotLeft - margin))
    }
    var slotWidth: Int { plotWidth / max(labels.count, 1) }
    var width: Int { plotLeft + plotWidth + margin }
    var height: Int { plotTop + plotHeight + 10 + 3 * (FigureStyle.lineHeight + 8) + margin }

    func y(_ value: Double) -> Int {
        plotTop + plotHeight - Int((min(max(value.isFinite ? value : 0, 0), yMax) / yMax * Double(plotHeight)).rounded())
    }

    func draw<C: FigureCanvas>(on canvas: inout C) {
        canvas.text(title, x: margin, y: margin, color: FigureStyle.text)
        canvas.text("dE", x: margin, y: plotTop - FigureStyle.lineHeight - 14, color: FigureStyle.mutedText)
        canvas.valueAxis(ticks: BitsKeptPlot.tickLabels(yMax: yMax, step: tickStep), step: tickStep, plotLeft: plotLeft,
                         plotWidth: plotWidth, y: y)
        let bottom = plotTop + plotHeight, slotWidth = slotWidth, barWidth = min(slotWidth * 11 / 20, 90)
        for (i, label) in labels.enumerated() {
            let cx = plotLeft + i * slotWidth + slotWidth / 2, v = means[i], top = y(v)
            canvas.fillRect(x: cx - barWidth / 2, y: top, width: barWidth, height: bottom - top, color: FigureStyle.bar)
            var labelTop = top
            if standardErrors[i].isFinite && standardErrors[i] > 0 && v.isFinite {
                let hi = y(v + standardErrors[i]), lo = y(v - standardErrors[i]), cap = min(barWidth / 2, 12)
                canvas.whisker(x: cx, hi: hi, lo: lo, cap: cap)
                labelTop = hi
            }
            canvas.text(ReportFormat.deltaE(v), x: cx, y: labelTop - FigureStyle.lineHeight - 6, anchor: .middle,
                        color: FigureStyle.text, data: [("layer", label)])
            canvas.text(label, x: cx, y: bottom + 10, anchor: .middle, color: FigureStyle.text)
            canvas.text(ratios[i], x: cx, y: bottom + 10 + FigureStyle.lineHeight + 8, anchor: .middle, color: FigureStyle.mutedText)
        }
        canvas.fillRect(x: plotLeft - 2, y: plotTop, width: 2, height: plotHeight + 2, color: FigureStyle.axis)
        canvas.fillRect(x: plotLeft - 2, y: bottom, width: plotWidth + 2, height: 2, color: FigureStyle.axis)
        canvas.text(note, x: margin, y: bottom + 10 + 2 * (FigureStyle.lineHeight + 8) + 4, color: FigureStyle.mutedText)
    }
}
