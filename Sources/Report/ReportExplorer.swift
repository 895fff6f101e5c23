import Foundation
import Imaging

/// report.html's explorer ("Explore the samples"): choose a layer and a sheet input and see the
/// input, its reconstruction, every sample drawn for it (the contact sheet's marked), the MLP's
/// output and the variation map of all samples. The pictures are the run's sprites
/// (`ExplorerImages`, `LayerSprite`); this type turns a result into the section's text and the
/// data the page's script (`ExplorerScript`) draws them from. Markdown gets the text only.
struct ReportExplorer {
    /// What the script reads, embedded in the page as JSON (`HTMLRenderer.scriptData`). Paths are
    /// ready for a CSS `url("…")` (percent-encoded) and numbers already formatted, so the explorer
    /// prints them digit for digit as the tables do.
    struct PageData: Encodable {
        struct Layer: Encodable {
            /// As the tables name the layer ("mid (stage2)" where it has an alias).
            let label: String
            let sprite: String
            /// Sample cells per sprite row; then come the MLP's cell and the variation map's.
            let pool: Int
            /// Per sheet input, the pool cells its contact sheet row shows.
            let shown: [[Int]]
            /// Label and value, e.g. ["bits kept", "50.1 ± 0.42"].
            let numbers: [[String]]
        }
        let inputSprite: String
        /// The test image index of each sprite row.
        let inputs: [Int]
        let cellWidth: Int
        let cellHeight: Int
        let shown: Int
        let selection: SampleSelection
        /// The variation maps' colour scale: its ends in ΔE and a CSS gradient of the ramp.
        let scaleMin: String
        let scaleMax: String
        let scaleGradient: String
        let layers: [Layer]
    }

    let data: PageData

    /// The explorer of `result`, nil where it has none: a report written before the sprites, a
    /// plan's later seeds, or no layer with a sprite.
    init?(_ result: DiagnosisResult) {
        guard let images = result.figures.explorer, !images.inputs.isEmpty else { return nil }
        let layers = result.layers.compactMap { l -> PageData.Layer? in
            guard let sprite = l.sprite else { return nil }
            return PageData.Layer(label: ReportExplorer.label(l), sprite: MarkdownRenderer.linkPath(sprite.sprite), pool: sprite.pool,
                                  shown: sprite.shown, numbers: ReportExplorer.numbers(l, sprite, images))
        }
        guard !layers.isEmpty else { return nil }
        let range = VariationScale.range
        data = PageData(inputSprite: MarkdownRenderer.linkPath(images.inputSprite), inputs: images.inputs,
                        cellWidth: images.width, cellHeight: images.height, shown: images.shown, selection: images.selection,
                        scaleMin: ReportFormat.fixed(Double(range.lowerBound), 0), scaleMax: ReportFormat.fixed(Double(range.upperBound), 0),
                        scaleGradient: ReportExplorer.gradient(HeatColorMap.viridisLike), layers: layers)
    }

    /// "mid (stage2)": the tables' label, and the layer's name where the label is its alias.
    static func label(_ layer: LayerResult) -> String {
        let short = ReportFacts.label(layer)
        return short == layer.name ? short : "\(short) (\(layer.name))"
    }

    /// The layer's numbers the explorer prints beside its pictures.
    static func numbers(_ l: LayerResult, _ sprite: LayerSprite, _ images: ExplorerImages) -> [[String]] {
        var rows = [["bits kept", ReportFormat.bitsWithErrors(l)]]
        if let v = l.variation {
            rows.append(["mean ΔE over \(v.inputs) test inputs", ReportFormat.withError(v.meanDeltaE, ReportFormat.deltaE, ReportFormat.deltaEError)])
        }
        let rowCount = images.inputs.count
        rows.append(["ΔE of the sheet's \(images.shown) samples (mean over \(rowCount) inputs)", ReportFormat.deltaE(sprite.shownDeltaE)])
        // With the random selection the sheet shows the pool's first samples: the two are one number.
        if images.selection != .random {
            rows.append(["ΔE of the pool's first \(images.shown) (random selection)", ReportFormat.deltaE(sprite.randomDeltaE)])
        }
        return rows
    }

    /// A CSS gradient through the ramp's stops, the colour bar of the variation maps.
    static func gradient(_ map: HeatColorMap) -> String {
        "linear-gradient(to right, " + map.stops.map { "\(SVGCanvas.hex($0.color)) \(ReportFormat.fixed(Double($0.position) * 100, 0))%" }
            .joined(separator: ", ") + ")"
    }

    /// What the section says, in Markdown and HTML alike.
    var introduction: String {
        let d = data, pools = Set(d.layers.map(\.pool)).sorted().map(String.init).joined(separator: " or ")
        let chosen = d.selection.sheetChoice(shown: d.shown)
        return "report.html shows every sample the run drew for the \(d.inputs.count) inputs of the contact sheets: \(pools) per input "
            + "and layer, of which the sheets show \(chosen). Choose a layer and an input there to see the input, its reconstruction, "
            + "all samples (the sheet's marked), the MLP's output and where the samples vary (ΔE, on the sheets' colour scale from "
            + "\(d.scaleMin) to \(d.scaleMax)), with the layer's numbers; the arrow keys step through the choices."
    }

    /// Where the pictures are without the page's script.
    var spriteNote: String {
        func file(_ path: String) -> String { path.removingPercentEncoding ?? path }
        return "The pictures are sprites of \(data.cellWidth)×\(data.cellHeight)-pixel cells: \(file(data.inputSprite)) has a row per "
            + "input (the input, then its reconstruction), and each layer's (\(data.layers.map { file($0.sprite) }.joined(separator: ", "))) "
            + "a row per input with its samples, the MLP's output and the variation map."
    }

    /// The section's part of report.html: the note a reader without JavaScript sees (the script
    /// hides it) and the data the script draws the explorer from.
    func html() -> String {
        let fallback = "This part of the page needs JavaScript; the contact sheets under Figures show the samples of each row. " + spriteNote
        return "<div class=\"explorer\" id=\"explorer\">\n"
            + "<p class=\"explorer-fallback\">\(HTMLRenderer.escape(fallback))</p>\n"
            + "<script type=\"application/json\" id=\"explorer-data\">\(HTMLRenderer.scriptData(data))</script>\n"
            + "</div>\n"
    }
}
