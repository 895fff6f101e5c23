import Foundation
import Metrics
import Imaging

/// Bar plot of the bits of the image code each layer keeps, with a labelled y axis, the value on
/// each bar, the conditional NLL under each layer's name, and a dashed line at log2(10) bits: the
/// most a layer that only knows the class can keep.
struct BitsKeptPlot {
    let title: String
    let labels: [String]
    let bits: [Double]
    let nll: [Double]
    /// The unconditional flow's NLL, for the note under the axis (NaN hides it).
    let unconditionalNll: Double
    let reference = LayerJudgement.classOnlyBits

    let scale = FigureStyle.textScale
    let margin = FigureStyle.margin
    let plotHeight = 320
    /// The narrowest slot a bar and its labels need; slots grow to fill the figure's width.
    let minSlotWidth: Int
    let plotLeft: Int
    let plotTop: Int
    let yMax: Double
    let tickStep: Double

    init(result: DiagnosisResult) {
        self.init(title: "Bits of the image code kept per layer (expert \(result.expert))",
                  labels: result.layers.map(ReportFacts.label), bits: result.layers.map(\.bitsKept),
                  nll: result.layers.map(\.nllConditionalNatsPerDim), unconditionalNll: result.unconditionalNllNatsPerDim)
    }

    init(title: String, labels: [String], bits: [Double], nll: [Double], unconditionalNll: Double = .nan) {
        self.unconditionalNll = unconditionalNll
        self.title = FigureStyle.ascii(title)
        self.labels = labels.map(FigureStyle.ascii)
        self.bits = bits
        self.nll = nll
        let top = max(bits.filter(\.isFinite).max() ?? 0, LayerJudgement.classOnlyBits)
        (yMax, tickStep) = BitsKeptPlot.niceAxis(upTo: top * 1.12)
        let tickLabelWidth = BitsKeptPlot.tickLabels(yMax: yMax, step: tickStep).map { FigureStyle.textWidth($0) }.max() ?? 0
        plotLeft = margin + max(tickLabelWidth, FigureStyle.textWidth("bits")) + 14
        let widestLabel = (self.labels.map { FigureStyle.textWidth($0) } + nll.map { FigureStyle.textWidth("NLL " + ReportFormat.nll($0)) }).max() ?? 0
        minSlotWidth = max(130, widestLabel + 24)
        // Title, a blank line, then the axis title "bits" above the plot.
        plotTop = margin + FigureStyle.lineHeight + 16 + FigureStyle.lineHeight + 14
    }

    var referenceLabel: String { "class only: log2 10 = \(ReportFormat.fixed(reference, 2)) bits" }
    /// The legend sits right of the axis title: a dashed sample, then the label.
    static let legendSample = 31
    var plotWidth: Int {
        let inset = plotLeft - margin
        return max(labels.count * minSlotWidth, 420,
                   FigureStyle.textWidth("bits") + 30 + BitsKeptPlot.legendSample + 10 + FigureStyle.textWidth(referenceLabel) - inset,
                   FigureStyle.textWidth(title) - inset, FigureStyle.textWidth(noteLine) - inset)
    }
    var slotWidth: Int { plotWidth / max(labels.count, 1) }
    var noteLine: String {
        "under each layer: held-out cINN NLL, nats/dim"
            + (unconditionalNll.isFinite ? " (unconditional \(ReportFormat.nll(unconditionalNll)))" : "")
    }
    var width: Int {
        plotLeft + plotWidth + margin
    }
    /// Two label lines under the axis (the layer and its NLL), then the note explaining the NLL.
    var height: Int { plotTop + plotHeight + 10 + 3 * FigureStyle.lineHeight + 8 + 18 + margin }

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

    func render() -> Image {
        var img = Image(width: width, height: height, fill: FigureStyle.background)
        img.drawText(title, x: margin, y: margin, color: FigureStyle.text, scale: scale)
        img.drawText("bits", x: margin, y: plotTop - FigureStyle.lineHeight - 14, color: FigureStyle.mutedText, scale: scale)

        // Grid lines and tick labels first, so bars and the reference line draw over them.
        for (i, label) in BitsKeptPlot.tickLabels(yMax: yMax, step: tickStep).enumerated() {
            let ty = y(Double(i) * tickStep)
            if i > 0 { img.fillRect(x: plotLeft, y: ty, width: plotWidth, height: 1, color: FigureStyle.gridLine) }
            img.fillRect(x: plotLeft - 6, y: ty, width: 6, height: 2, color: FigureStyle.axis)
            img.drawRightAlignedText(label, rightX: plotLeft - 10, y: ty - FigureStyle.lineHeight / 2,
                                     color: FigureStyle.text, scale: scale)
        }

        let barWidth = min(slotWidth * 11 / 20, 90)
        for (i, label) in labels.enumerated() {
            let cx = plotLeft + i * slotWidth + slotWidth / 2
            let v = bits[i]
            let top = v.isFinite ? y(v) : plotTop + plotHeight
            img.fillRect(x: cx - barWidth / 2, y: top, width: barWidth, height: plotTop + plotHeight - top, color: FigureStyle.bar)
            img.drawCenteredText(ReportFormat.bits(v), centerX: cx, y: top - FigureStyle.lineHeight - 6,
                                 color: FigureStyle.text, scale: scale)
            let labelY = plotTop + plotHeight + 10
            img.drawCenteredText(label, centerX: cx, y: labelY, color: FigureStyle.text, scale: scale)
            if i < nll.count {
                img.drawCenteredText("NLL " + ReportFormat.nll(nll[i]), centerX: cx, y: labelY + FigureStyle.lineHeight + 8,
                                     color: FigureStyle.mutedText, scale: scale)
            }
        }

        // Axes.
        img.fillRect(x: plotLeft - 2, y: plotTop, width: 2, height: plotHeight + 2, color: FigureStyle.axis)
        img.fillRect(x: plotLeft - 2, y: plotTop + plotHeight, width: plotWidth + 2, height: 2, color: FigureStyle.axis)

        // Reference line over the bars; its label goes in a legend above the plot, where bars cannot hide it.
        img.drawDashedHorizontalLine(x0: plotLeft, x1: plotLeft + plotWidth, y: y(reference) - 1, dash: 12, gap: 7,
                                     thickness: 2, color: FigureStyle.reference)
        let legendY = plotTop - FigureStyle.lineHeight - 14
        let labelX = plotLeft + plotWidth - FigureStyle.textWidth(referenceLabel)
        let sampleX = labelX - 10 - BitsKeptPlot.legendSample
        img.drawDashedHorizontalLine(x0: sampleX, x1: sampleX + BitsKeptPlot.legendSample, y: legendY + FigureStyle.lineHeight / 2 - 1,
                                     dash: 12, gap: 7, thickness: 2, color: FigureStyle.reference)
        img.drawText(referenceLabel, x: labelX, y: legendY, color: FigureStyle.reference, scale: scale)
        img.drawText(noteLine, x: margin, y: plotTop + plotHeight + 10 + 2 * FigureStyle.lineHeight + 8 + 18,
                     color: FigureStyle.mutedText, scale: scale)
        return img
    }
}
