import Foundation
import Metrics
import Imaging

/// Bar plot of the bits of the image code each layer keeps, with a labelled y axis, the value on
/// each bar, its standard error as a whisker, the conditional NLL under each layer's name, and a
/// dashed line at log2(10) bits: the most a layer that only knows the class can keep. A comparison
/// plots one series (colour) per run in each layer's slot.
///
/// This type is the figure's model and pixel layout; `render()` draws the PNG, `svg()` the same
/// layout as SVG, and `BitsPlotTikZ` writes the same bars as pgfplots source.
struct BitsKeptPlot: CanvasFigure {
    /// One run's bars, parallel to `labels` (NaN where the run has no such layer).
    struct Series {
        let name: String
        let bits: [Double]
        /// Standard errors of `bits` (NaN or missing: no whisker).
        let standardErrors: [Double]
        /// Standard deviations of `bits` over translator seeds (empty for one seed): a thicker bar.
        var sds: [Double] = []
    }

    let title: String
    let labels: [String]
    let series: [Series]
    /// Held-out NLL per label, printed under it (single series only; empty hides the line).
    let nll: [Double]
    /// The unconditional flow's NLL, for the note under the axis (NaN hides it).
    let unconditionalNll: Double
    let reference = LayerJudgement.classOnlyBits

    let scale = FigureStyle.textScale
    let margin = FigureStyle.margin
    let plotHeight = 320
    /// The narrowest slot a bar group and its labels need; slots grow to fill the figure's width.
    let minSlotWidth: Int
    let plotLeft: Int
    let plotTop: Int
    let yMax: Double
    let tickStep: Double

    init(result: DiagnosisResult) {
        self.init(title: "Bits of the image code kept per layer (expert \(result.expert))",
                  labels: result.layers.map(ReportFacts.label),
                  series: [Series(name: result.expert, bits: result.layers.map(\.bitsKept),
                                  standardErrors: result.layers.map { $0.bitsKeptStandardError ?? .nan },
                                  sds: BitsKeptPlot.sds(result.layers))],
                  nll: result.layers.map(\.nllConditionalNatsPerDim), unconditionalNll: result.unconditionalNllNatsPerDim)
    }

    init(title: String, labels: [String], bits: [Double], nll: [Double], unconditionalNll: Double = .nan) {
        self.init(title: title, labels: labels, series: [Series(name: "", bits: bits, standardErrors: [])], nll: nll,
                  unconditionalNll: unconditionalNll)
    }

    init(title: String, labels: [String], series: [Series], nll: [Double], unconditionalNll: Double = .nan) {
        self.unconditionalNll = unconditionalNll
        self.title = FigureStyle.ascii(title)
        self.labels = labels.map(FigureStyle.ascii)
        self.series = series.map { Series(name: FigureStyle.ascii($0.name), bits: $0.bits, standardErrors: $0.standardErrors, sds: $0.sds) }
        self.nll = series.count == 1 ? nll : []
        let tops = series.flatMap { s in s.bits.indices.map { s.bits[$0] + max(BitsKeptPlot.error(s, $0), BitsKeptPlot.spread(s, $0)) } }
        let top = max(tops.filter(\.isFinite).max() ?? 0, LayerJudgement.classOnlyBits)
        (yMax, tickStep) = BitsKeptPlot.niceAxis(upTo: top * 1.12)
        let tickLabelWidth = BitsKeptPlot.tickLabels(yMax: yMax, step: tickStep).map { FigureStyle.textWidth($0) }.max() ?? 0
        plotLeft = margin + max(tickLabelWidth, FigureStyle.textWidth("bits")) + 14
        let widestLabel = (self.labels.map { FigureStyle.textWidth($0) } + self.nll.map { FigureStyle.textWidth("NLL " + ReportFormat.nll($0)) }).max() ?? 0
        // Side by side, each bar needs room for its value printed above it.
        let widestValue = series.flatMap { $0.bits.map { FigureStyle.textWidth(ReportFormat.bits($0)) } }.max() ?? 0
        minSlotWidth = max(130, widestLabel + 24, series.count > 1 ? series.count * (widestValue + 10) + 24 : 0)
        // Title, a blank line, the series legend (several series), then the axis title "bits" above the plot.
        plotTop = margin + FigureStyle.lineHeight + 16 + (series.count > 1 ? FigureStyle.lineHeight + 12 : 0)
            + FigureStyle.lineHeight + 14
    }

    /// The whisker's half length: the standard error where there is a finite one, else 0.
    static func error(_ s: Series, _ i: Int) -> Double {
        i < s.standardErrors.count && s.standardErrors[i].isFinite && s.standardErrors[i] > 0 ? s.standardErrors[i] : 0
    }

    /// Standard deviations of bits kept over seeds per layer; empty where the run has one seed.
    static func sds(_ layers: [LayerResult?]) -> [Double] {
        guard layers.contains(where: { $0?.overSeeds != nil }) else { return [] }
        return layers.map { $0?.overSeeds?.sd.bitsKept ?? .nan }
    }

    /// The error bar's half length: the standard deviation over seeds where there is a finite one, else 0.
    static func spread(_ s: Series, _ i: Int) -> Double {
        i < s.sds.count && s.sds[i].isFinite && s.sds[i] > 0 ? s.sds[i] : 0
    }

    /// Says which error bar is which, where there are standard deviations over seeds.
    var whiskerNote: String {
        guard series.contains(where: { !$0.sds.isEmpty }) else { return "" }
        return "thin whisker: +/- 1 s.e. over test scenes; thick bar: +/- 1 sd over translator seeds"
    }

    /// The first series' bars, as the single-run figure and the tests read them.
    var bits: [Double] { series.first?.bits ?? [] }

    var referenceLabel: String { "class only: log2 10 = \(ReportFormat.fixed(reference, 2)) bits" }
    /// The legend sits right of the axis title: a dashed sample, then the label.
    static let legendSample = 31
    var plotWidth: Int {
        let inset = plotLeft - margin
        return max(labels.count * minSlotWidth, 420,
                   FigureStyle.textWidth("bits") + 30 + BitsKeptPlot.legendSample + 10 + FigureStyle.textWidth(referenceLabel) - inset,
                   FigureStyle.textWidth(title) - inset, FigureStyle.textWidth(noteLine) - inset, FigureStyle.textWidth(whiskerNote) - inset,
                   seriesLegendWidth - inset)
    }
    var slotWidth: Int { plotWidth / max(labels.count, 1) }
    var noteLine: String {
        guard !nll.isEmpty else { return "" }
        return "under each layer: held-out cINN NLL, nats/dim"
            + (unconditionalNll.isFinite ? " (unconditional \(ReportFormat.nll(unconditionalNll)))" : "")
    }
    var width: Int {
        plotLeft + plotWidth + margin
    }
    /// Label lines under the axis (the layer, then its NLL when shown), then the note explaining the NLL.
    var height: Int {
        plotTop + plotHeight + 10 + (nll.isEmpty ? 2 : 3) * FigureStyle.lineHeight + 8 + 18 + margin
            + (whiskerNote.isEmpty ? 0 : FigureStyle.lineHeight + 6)
    }

    /// Colour of the i-th series: the report's blue first, then colour-blind-safe Okabe–Ito hues.
    static func color(series i: Int) -> RGB8 {
        let palette = [FigureStyle.bar, RGB8(230, 159, 0), RGB8(0, 158, 115), RGB8(204, 121, 167),
                       RGB8(86, 180, 233), RGB8(213, 94, 0), RGB8(120, 120, 120)]
        return palette[i % palette.count]
    }

    static let swatch = 14
    var seriesLegendWidth: Int {
        guard series.count > 1 else { return 0 }
        return margin + series.map { BitsKeptPlot.swatch + 8 + FigureStyle.textWidth($0.name) + 24 }.reduce(0, +)
    }

    /// Width of one bar: a single series as before; several share 3/4 of the slot.
    var barWidth: Int {
        series.count <= 1 ? min(slotWidth * 11 / 20, 90) : min(slotWidth * 3 / 4 / series.count, 70)
    }

    /// Centre of series `s`'s bar in slot `i`.
    func barCenter(slot i: Int, series s: Int) -> Int {
        let cx = plotLeft + i * slotWidth + slotWidth / 2
        let group = barWidth * series.count
        return cx - group / 2 + s * barWidth + barWidth / 2
    }

    /// An axis end and step that give 4–8 round ticks (1, 2, 2.5 or 5 × a power of ten).
    static func niceAxis(upTo value: Double) -> (max: Double, step: Double) {
        let v = value > 0 && value.isFinite ? value : 1
        let raw = v / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return (ceil(v / step) * step, step)
    }

    static func tickLabels(yMax: Double, step: Double) -> [String] {
        let decimals = step >= 1 ? 0 : (step >= 0.1 ? 1 : 2)
        let count = Int((yMax / step).rounded())
        return (0...count).map { ReportFormat.fixed(Double($0) * step, decimals) }
    }

    /// Pixel row of a value on the y axis.
    func y(_ value: Double) -> Int {
        plotTop + plotHeight - Int((min(max(value, 0), yMax) / yMax * Double(plotHeight)).rounded())
    }

    func draw<C: FigureCanvas>(on canvas: inout C) {
        canvas.text(title, x: margin, y: margin, color: FigureStyle.text)
        if series.count > 1 {
            var x = margin
            let ly = margin + FigureStyle.lineHeight + 16
            for (s, item) in series.enumerated() {
                canvas.fillRect(x: x, y: ly + 1, width: BitsKeptPlot.swatch, height: BitsKeptPlot.swatch, color: BitsKeptPlot.color(series: s))
                canvas.text(item.name, x: x + BitsKeptPlot.swatch + 8, y: ly, color: FigureStyle.text)
                x += BitsKeptPlot.swatch + 8 + FigureStyle.textWidth(item.name) + 24
            }
        }
        canvas.text("bits", x: margin, y: plotTop - FigureStyle.lineHeight - 14, color: FigureStyle.mutedText)

        // Grid lines and tick labels first, so bars and the reference line draw over them.
        canvas.valueAxis(ticks: BitsKeptPlot.tickLabels(yMax: yMax, step: tickStep), step: tickStep, plotLeft: plotLeft,
                         plotWidth: plotWidth, y: y)

        let bottom = plotTop + plotHeight
        for (i, label) in labels.enumerated() {
            for (s, item) in series.enumerated() where i < item.bits.count {
                drawBar(on: &canvas, slot: i, series: s, label: label)
            }
            let cx = plotLeft + i * slotWidth + slotWidth / 2
            let labelY = bottom + 10
            canvas.text(label, x: cx, y: labelY, anchor: .middle, color: FigureStyle.text)
            if i < nll.count {
                canvas.text("NLL " + ReportFormat.nll(nll[i]), x: cx, y: labelY + FigureStyle.lineHeight + 8, anchor: .middle,
                            color: FigureStyle.mutedText)
            }
        }

        // Axes.
        canvas.fillRect(x: plotLeft - 2, y: plotTop, width: 2, height: plotHeight + 2, color: FigureStyle.axis)
        canvas.fillRect(x: plotLeft - 2, y: bottom, width: plotWidth + 2, height: 2, color: FigureStyle.axis)

        // Reference line over the bars; its label goes in a legend above the plot, where bars cannot hide it.
        canvas.dashedHorizontalLine(x0: plotLeft, x1: plotLeft + plotWidth, y: y(reference) - 1, dash: 12, gap: 7,
                                    thickness: 2, color: FigureStyle.reference)
        let legendY = plotTop - FigureStyle.lineHeight - 14
        let labelX = plotLeft + plotWidth - FigureStyle.textWidth(referenceLabel)
        let sampleX = labelX - 10 - BitsKeptPlot.legendSample
        canvas.dashedHorizontalLine(x0: sampleX, x1: sampleX + BitsKeptPlot.legendSample, y: legendY + FigureStyle.lineHeight / 2 - 1,
                                    dash: 12, gap: 7, thickness: 2, color: FigureStyle.reference)
        canvas.text(referenceLabel, x: labelX, y: legendY, color: FigureStyle.reference)
        if !noteLine.isEmpty {
            canvas.text(noteLine, x: margin, y: bottom + 10 + 2 * FigureStyle.lineHeight + 8 + 18, color: FigureStyle.mutedText)
        }
        if !whiskerNote.isEmpty {
            let noteY = bottom + 10 + (nll.isEmpty ? 1 : 2) * FigureStyle.lineHeight + 8 + 18 + (noteLine.isEmpty ? 0 : FigureStyle.lineHeight + 6)
            canvas.text(whiskerNote, x: margin, y: noteY, color: FigureStyle.mutedText)
        }
    }

    /// Layer `slot`'s bar of series `series`: the bar, its s.e. whisker and sd bar, and its value above.
    func drawBar<C: FigureCanvas>(on canvas: inout C, slot i: Int, series s: Int, label: String) {
        let item = series[s], bottom = plotTop + plotHeight
        let v = item.bits[i]
        // A run without this layer draws nothing; a failed measurement draws "n/a" on the axis.
        if v.isNaN && series.count > 1 { return }
        let cx = barCenter(slot: i, series: s)
        let top = v.isFinite ? y(v) : bottom
        canvas.fillRect(x: cx - barWidth / 2, y: top, width: barWidth, height: bottom - top, color: BitsKeptPlot.color(series: s))
        let e = BitsKeptPlot.error(item, i), sd = BitsKeptPlot.spread(item, i)
        // Both: the s.e. whisker left of the centre, the thicker sd bar right of it.
        let offset = e > 0 && sd > 0 ? max(barWidth / 5, 4) : 0
        var labelTop = top
        if e > 0 && v.isFinite {
            // Whisker: ± one standard error, drawn over the bar, with caps.
            let hi = y(v + e), lo = y(v - e), cap = min(barWidth / 2, 12), x = cx - offset
            canvas.whisker(x: x, hi: hi, lo: lo, cap: cap)
            labelTop = min(labelTop, hi)
        }
        if sd > 0 && v.isFinite {
            // Error bar: ± one standard deviation over seeds, 4 px wide with wide caps.
            let hi = y(v + sd), lo = y(v - sd), cap = min(barWidth * 2 / 3, 18), x = cx + offset
            canvas.fillRect(x: x - 2, y: hi, width: 4, height: max(lo - hi, 1), color: FigureStyle.sdBar)
            canvas.fillRect(x: x - cap / 2, y: hi, width: cap, height: 3, color: FigureStyle.sdBar)
            canvas.fillRect(x: x - cap / 2, y: lo - 2, width: cap, height: 3, color: FigureStyle.sdBar)
            labelTop = min(labelTop, hi)
        }
        var data = [("layer", label)]
        if series.count > 1 { data.insert(("series", item.name), at: 0) }
        canvas.text(ReportFormat.bits(v), x: cx, y: labelTop - FigureStyle.lineHeight - 6, anchor: .middle,
                    color: FigureStyle.text, data: data)
    }
}
