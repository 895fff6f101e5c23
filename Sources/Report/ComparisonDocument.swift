import Foundation
import Metrics

/// The comparison's Markdown and HTML content as report blocks: the runs, the check that they
/// are comparable, the per-layer and invariance tables with a column group per run, and figures.
enum ComparisonDocument {
    static func make(_ c: Comparison, figures: (heatmap: String, bits: String)) -> ReportDocument {
        let first = c.runs[0].result
        var b: [ReportBlock] = []
        b.append(.paragraph("Runs compared: " + c.runs.map { "\($0.name) (\($0.path))" }.joined(separator: ", ") + ". "
            + "Every number below is read from the runs' report.json and printed as in their own reports."))
        b.append(.table(ReportTable(
            header: ["run", "folder", "expert", "layers", "seed", "flow steps", "train pairs"],
            rows: c.runs.map { r in
                [r.name, r.path, r.result.expert, r.result.layers.map { l in ReportFacts.label(l) == l.name ? l.name : "\(ReportFacts.label(l)) = \(l.name)" }
                    .joined(separator: ", "), Comparison.seedLabel(r.result), r.result.configuration["flow_steps"] ?? ReportFormat.missing,
                 r.result.configuration["train_pairs"] ?? ReportFormat.missing]
            },
            rightAligned: [false, false, false, false, true, true, true])))
        b.append(.paragraph("The runs are comparable: the same autoencoder (weights hash "
            + "\(Comparison.autoencoderHash(first) ?? ReportFormat.missing), \(first.codeDimensions)-dimensional code), the same test "
            + "scenes (seed \(first.seed), \(first.configuration["test_scenes"] ?? ReportFormat.missing) scenes) and the same "
            + "\(c.factors.count) factors. Layers share a row by their alias (early, mid, last), which names the same depth in "
            + "different networks, not the same layer."))

        b.append(.heading(level: 2, text: "Information kept and sample quality per layer"))
        b.append(.table(ReportTable(
            header: ["layer"] + c.runs.flatMap { r in ["bits", "NLL", "Fréchet cINN", "calibration"].map { "\(r.name): \($0)" } },
            rows: c.slots.map { slot in
                [slot] + c.runs.flatMap { r -> [String] in
                    guard let l = c.layer(r, slot: slot) else { return ["", "", "", ""] }
                    let sd = l.overSeeds?.sd
                    return [ReportFormat.bitsWithErrors(l, dagger: false), ReportFormat.withSD(l.nllConditionalNatsPerDim, sd?.nllConditionalNatsPerDim, ReportFormat.nll),
                            ReportFormat.withSD(l.frechetCinn, sd?.frechetCinn, ReportFormat.frechet),
                            ReportFormat.withSD(l.calibration, sd?.calibration, ReportFormat.calibration)]
                }
            },
            rightAligned: [false] + c.runs.flatMap { _ in [true, true, true, true] })))
        b.append(.figure(path: figures.bits, caption: "Bits of the image code kept per layer, one colour per run; the dashed line "
                         + "is what a class-only layer can keep (log2(10) ≈ \(ReportFormat.fixed(LayerJudgement.classOnlyBits, 2)) bits).",
                         vector: FigureFiles(figures.bits).svg))

        b.append(.heading(level: 2, text: "Invariance per factor"))
        b.append(.paragraph("Score = spread of the factor across cINN samples of one input / spread across the data: 0 = the layer "
            + "determines the factor (kept), 1 = the layer ignores it. \"ceiling\" scores samples of the unconditional flow. "
            + "(weak) marks a factor whose read-out is too poor to trust in that run."))
        let columns = c.runs.map { r in
            c.slots.filter { c.layer(r, slot: $0) != nil } + (r.result.invarianceCeiling == nil ? [] : ["ceiling"])
        }
        b.append(.table(ReportTable(
            header: ["factor"] + zip(c.runs, columns).flatMap { r, cols in cols.map { "\(r.name): \($0)" } },
            rows: c.factors.map { f in
                [f] + zip(c.runs, columns).flatMap { r, cols in
                    cols.map { slot -> String in
                        let (v, sd) = c.score(r, slot: slot, ceilingSlot: "ceiling", factor: f)
                        return ReportFormat.score(v, sd: sd)
                            + (ReportFacts(r.result).isTrusted(factor: f) ? "" : " (weak)")
                    }
                }
            },
            rightAligned: [false] + columns.flatMap { $0.map { _ in true } })))
        b.append(.figure(path: figures.heatmap, caption: "Invariance scores, one panel per run on the same colour scale "
                         + "(0 = kept, 1 = ignored).", vector: FigureFiles(figures.heatmap).svg))

        b.append(.heading(level: 2, text: "How to cite / what was measured"))
        b.append(.paragraph("Each run translated its layers' features into the code of the same autoencoder with a conditional "
            + "invertible network and measured bits kept, invariance scores, calibration and Fréchet distances on the same held-out "
            + "test scenes; see each run's report for its settings and weight hashes. The method is network-to-network translation "
            + "(Rombach, Esser and Ommer, NeurIPS 2020) as used to interpret invariances (Rombach, Esser and Ommer, ECCV 2020); "
            + "references.bib holds both entries (keys \(References.net2netKey) and \(References.invariancesKey)). For a paper: "
            + "\\input table.tex (two booktabs tables), heatmap.tex and bits.tex (TikZ/pgfplots); the *-standalone.tex files compile "
            + "each on its own."))
        return ReportDocument(title: "Comparison: " + c.runs.map(\.name).joined(separator: " vs "), blocks: b)
    }
}
