import Foundation
import Metrics

/// The report's content as renderer-neutral blocks, built from a result and nothing else.
struct ReportDocument {
    let title: String
    let blocks: [ReportBlock]

    /// Column headers of the main table, in order (the tests count on them).
    static let mainHeader = ["layer", "alias", "shape", "NLL (nats/dim)", "bits kept", "Fréchet cINN",
                             "Fréchet MLP", "diversity cINN", "calibration", "self-calibration"]

    static let frechetNote = "The Fréchet distance in this report is computed between real test scenes and generated ones in "
        + "the feature space of our own in-domain classifier, not of Inception, so it is not FID and its values are "
        + "not comparable with published Inception-based scores. It is comparable within this report: between layers, "
        + "between the cINN and the MLP baseline, and against the autoencoder's reconstructions, which give the floor."

    init(title: String, blocks: [ReportBlock]) {
        (self.title, self.blocks) = (title, blocks)
    }

    init(_ result: DiagnosisResult) {
        let facts = ReportFacts(result)
        title = "What the layers of \(result.expert) ignore: invariance report"
        blocks = Self.introduction(result) + Self.informationKept(result, facts) + Self.invariances(result, facts)
            + Self.readouts(result) + Self.explorer(result) + Self.figures(result) + Self.notes(result) + Self.reproducibility(result)
    }

    /// The opening line: expert, layers, seed, images, autoencoder, translator seeds.
    static func introduction(_ result: DiagnosisResult) -> [ReportBlock] {
        var b: [ReportBlock] = []
        var intro = "Expert: \(result.expert)"
        if !result.expertDescription.isEmpty { intro += " (\(result.expertDescription))" }
        intro += ". Layers: \(result.layersRequested.isEmpty ? result.layers.map(\.name).joined(separator: ", ") : result.layersRequested.joined(separator: ", ")). Seed: \(result.seed)."
        if let images = result.configuration["images"] { intro += " Images: \(images)." }
        if let autoencoder = result.configuration["autoencoder"] { intro += " Autoencoder: \(autoencoder)." }
        if let k = result.seeds, k > 1 {
            intro += " Translator seeds: \((result.translatorSeeds ?? []).map(String.init).joined(separator: ", ")) (K = \(k))."
        }
        b.append(.paragraph(intro))
        return b
    }

    /// The summary, and bits kept and sample quality per layer with how to read them.
    static func informationKept(_ result: DiagnosisResult, _ facts: ReportFacts) -> [ReportBlock] {
        var b: [ReportBlock] = []
        b.append(.heading(level: 2, text: "Summary"))
        b.append(.paragraph(facts.summaryParagraph()))

        b.append(.heading(level: 2, text: "Information kept and sample quality per layer"))
        if let note = facts.seedsNote {
            b.append(.paragraph(note + " In bits kept, ± is that standard deviation and s.e. the standard error over the test "
                + "scenes (the mean of the seeds'); per-seed numbers are in report.json, under over_seeds."))
        }
        b.append(.table(ReportDocument.mainTable(result)))
        b.append(.paragraph("Unconditional NLL of the code: "
            + "\(ReportFormat.withSD(result.unconditionalNllNatsPerDim, result.overSeeds?.sd.unconditionalNllNatsPerDim, ReportFormat.nll)) nats/dim over "
            + "\(result.codeDimensions) dimensions. Autoencoder reconstructions: Fréchet distance "
            + "\(ReportFormat.frechet(result.frechetReconstruction)) (the floor for the columns above; a layer within "
            + "\(Int(((LayerJudgement.reconstructionFloorMargin - 1) * 100).rounded())) % of it is limited by the autoencoder, and a "
            + "warning says so), PSNR \(ReportFormat.fixed(result.reconstructionPsnrDb, 1)) dB. Bits kept = (baseline − conditional held-out NLL) "
            + "× dimensions / ln 2, ± its standard error over the test scenes. The baseline is the better model of the code "
            + "without the layer on selection scenes: the unconditional flow, or (marked †) the cINN's own marginal over training "
            + "features, which has the cINN's capacity and cannot credit a layer with more than its entropy; a class-only layer "
            + "keeps at most log2(10) ≈ \(ReportFormat.fixed(LayerJudgement.classOnlyBits, 2)) bits. "
            + "Calibration ≈ 1 means the cINN's samples spread as much as the layer leaves undetermined; "
            + "above \(LayerJudgement.calibratedRange.upperBound) they overstate the invariance, below \(LayerJudgement.calibratedRange.lowerBound) they understate it. "
            + "Calibration divides the samples' squared error by twice the MLP baseline's, so an under-fitted MLP lowers it; "
            + "self-calibration divides by the error of the mean of the same input's samples (times 2k/(k+1)) and needs no "
            + "baseline. Both ≈ 1: the samples spread as they should; calibration low but self-calibration ≈ 1: the MLP is the weak side."))
        b.append(.figure(path: result.figures.bitsPlot, caption: "Bits of the image code kept per layer; the dashed line is what a class-only layer can keep.",
                         vector: FigureFiles(result.figures.bitsPlot).svg))
        return b
    }

    /// The layer × factor invariance table and heat map, where samples vary, and the check against documented invariances.
    static func invariances(_ result: DiagnosisResult, _ facts: ReportFacts) -> [ReportBlock] {
        var b: [ReportBlock] = []
        b.append(.heading(level: 2, text: "Invariance per layer and factor"))
        b.append(.paragraph("Score = spread of the factor across cINN samples of one input / spread across the data, averaged "
            + "over inputs: 0 = the layer determines the factor (kept), 1 = the layer ignores it. "
            + "The last row, the ceiling, scores samples of the unconditional flow, which ignore everything: no layer's "
            + "score can be expected above it. "
            + "Factors marked (weak) have a read-out too poor to trust their scores (see read-out quality)."))
        b.append(.table(ReportDocument.invarianceTable(result, facts)))
        b.append(.figure(path: result.figures.heatmap, caption: "Invariance scores, layers × factors (0 = kept, 1 = ignored).",
                         vector: FigureFiles(result.figures.heatmap).svg))

        if result.layers.contains(where: { $0.variation != nil }) { b += ReportDocument.variationBlocks(result) }

        if result.layers.contains(where: { $0.validity != nil || $0.expectedKeeps != nil || $0.expectedIgnores != nil }) {
            b.append(.heading(level: 2, text: "Check against the documented invariances"))
            b.append(.paragraph("For an expert whose invariances are known by construction, the table should agree with them."))
            b.append(.table(ReportDocument.validityTable(result)))
        }
        return b
    }

    /// How far the factor read-outs can be trusted.
    static func readouts(_ result: DiagnosisResult) -> [ReportBlock] {
        var b: [ReportBlock] = []
        b.append(.heading(level: 2, text: "Read-out quality"))
        b.append(.paragraph("Invariance scores are only as good as the factor read-outs, small probes trained on real codes and "
            + "evaluated on held-out ones. Skill = (held-out − chance) / (1 − chance); below "
            + "\(ReportFormat.fixed(LayerJudgement.trustedSkill, 1)) a read-out is not trusted. Floor (categorical factors): the "
            + "score of real test scenes grouped by their true value, i.e. what a layer that keeps only this factor scores "
            + "where the read-out confuses classes; a layer keeps such a factor up to \(ReportFormat.score(LayerJudgement.keepsBelow)) "
            + "above its floor."))
        b.append(.table(ReportDocument.readoutTable(result)))
        return b
    }

    /// The sample explorer, where the run wrote its sprites.
    static func explorer(_ result: DiagnosisResult) -> [ReportBlock] {
        guard let explorer = ReportExplorer(result) else { return [] }
        return [.heading(level: 2, text: "Explore the samples"), .paragraph(explorer.introduction), .explorer(explorer)]
    }

    /// The overview, exemplar transfer, scenes and every layer's contact sheet.
    static func figures(_ result: DiagnosisResult) -> [ReportBlock] {
        var b: [ReportBlock] = []
        b.append(.heading(level: 2, text: "Figures"))
        if let selection = sampleSelection(result) { b.append(.paragraph(selection)) }
        // The pipeline writes every sheet as SVG too (`SheetFigure`): there its labels are text.
        b.append(.figure(path: result.figures.overview, caption: "Overview: inputs, reconstructions and cINN samples per layer.",
                         vector: FigureFiles(result.figures.overview).svg))
        b.append(.figure(path: result.figures.exemplarTransfer, caption: "Exemplar transfer.",
                         vector: FigureFiles(result.figures.exemplarTransfer).svg))
        if let scenes = result.figures.scenes {
            b.append(.figure(path: scenes, caption: "Test scenes used as inputs."))
        }
        for layer in result.layers {
            b.append(.figure(path: layer.contactSheet, caption: "Contact sheet of \(layer.name): input | reconstruction | cINN samples | MLP.",
                             vector: FigureFiles(layer.contactSheet).svg))
        }
        return b
    }

    /// Which samples the sheets show (`--sample-selection`) and how far they spread.
    static func sampleSelection(_ result: DiagnosisResult) -> String? {
        guard let explorer = result.figures.explorer, let pool = result.layers.compactMap(\.sprite).first?.pool else { return nil }
        let how = explorer.selection.sheetChoice(shown: explorer.shown)
        let spreads = result.layers.compactMap { l in
            l.sprite.map { String(format: "%@ %.1f (the first %d drawn: %.1f)", l.name, $0.shownDeltaE, explorer.shown, $0.randomDeltaE) }
        }
        return "The sheets show, of \(pool) samples drawn per input, \(how). The invariance scores, bits kept and variation "
            + "maps come from other samples, so they do not depend on this choice. Mean dE of the shown samples per layer: "
            + spreads.joined(separator: ", ") + "."
    }

    /// Warnings, the Fréchet distance, translator training and how to cite.
    static func notes(_ result: DiagnosisResult) -> [ReportBlock] {
        var b: [ReportBlock] = []
        b.append(.heading(level: 2, text: "Warnings"))
        b.append(result.warnings.isEmpty ? .paragraph("None.") : .bullets(result.warnings))

        b.append(.heading(level: 2, text: "About the Fréchet distance"))
        b.append(.paragraph(ReportDocument.frechetNote + " Feature space used: \(result.frechetFeatureSpace)."))

        b.append(.heading(level: 2, text: "Training of the translators"))
        b.append(.table(ReportTable(
            header: ["layer", "steps", "best step", "MLP held-out MSE", "diversity MLP", "translator"],
            rows: result.layers.map { l in
                [l.name, String(l.trainingSteps), String(l.bestStep),
                 ReportFormat.withSD(l.mlpHeldOutMse, l.overSeeds?.sd.mlpHeldOutMse) { ReportFormat.fixed($0, 4) },
                 ReportFormat.diversity(l.diversityMlp), l.translator]
            },
            rightAligned: [false, true, true, true, true, false])))

        b.append(.heading(level: 2, text: "How to cite / what was measured"))
        b.append(.paragraph(References.citationParagraph(result)))
        let heat = FigureFiles(result.figures.heatmap), bars = FigureFiles(result.figures.bitsPlot)
        let overview = FigureFiles(result.figures.overview)
        b.append(.paragraph("For a paper: \(ReportWriter.latexFile) (booktabs), \(heat.tikz) and \(bars.tikz) (TikZ/pgfplots, typeset "
            + "in the document's fonts) can be \\input directly; \(ReportWriter.latexStandaloneFile), \(heat.standalone) and "
            + "\(bars.standalone) compile each on its own with pdflatex, and \(heat.svg) and \(bars.svg) are the same figures "
            + "as vector graphics. The contact sheets come the same way: \(overview.tikz) sets the overview's labels in the "
            + "document's fonts around \(overview.plain) (its pixels, enlarged \(FigureFiles.printFactor)× without blur), "
            + "\(overview.standalone) compiles it on its own, and \(overview.svg) has the labels as text; likewise the "
            + "exemplar transfer and each layer's sheet."))
        return b
    }

    /// Configuration, weight hashes, versions and timings.
    static func reproducibility(_ result: DiagnosisResult) -> [ReportBlock] {
        var b: [ReportBlock] = []
        b.append(.heading(level: 2, text: "Reproducibility"))
        b.append(.heading(level: 3, text: "Configuration"))
        b.append(.table(ReportDocument.keyValueTable(result.configuration, header: ["setting", "value"])))
        b.append(.heading(level: 3, text: "Weights (FNV-1a 64 of the file bytes)"))
        b.append(.table(ReportDocument.keyValueTable(result.weightsHashes, header: ["file", "hash"])))
        b.append(.heading(level: 3, text: "Versions"))
        b.append(.table(ReportDocument.keyValueTable(result.versions, header: ["component", "version"])))
        b.append(.heading(level: 3, text: "Timings"))
        var timingRows = result.timingsSeconds.sorted { $0.key < $1.key }.map { [$0.key, ReportFormat.seconds($0.value)] }
        if timingRows.count > 1, result.timingsSeconds["total"] == nil {
            timingRows.append(["total (sum)", ReportFormat.seconds(result.timingsSeconds.values.reduce(0, +))])
        }
        b.append(.table(ReportTable(header: ["stage", "seconds"], rows: timingRows, rightAligned: [false, true])))
        return b
    }

    static func mainTable(_ result: DiagnosisResult) -> ReportTable {
        ReportTable(
            header: mainHeader,
            rows: result.layers.map { l in
                let sd = l.overSeeds?.sd
                return [l.name, l.alias ?? "", ReportFormat.shape(l.shape),
                        ReportFormat.withSD(l.nllConditionalNatsPerDim, sd?.nllConditionalNatsPerDim, ReportFormat.nll),
                        ReportFormat.bitsWithErrors(l),
                        ReportFormat.withSD(l.frechetCinn, sd?.frechetCinn, ReportFormat.frechet),
                        ReportFormat.withSD(l.frechetMlp, sd?.frechetMlp, ReportFormat.frechet),
                        ReportFormat.withSD(l.diversityCinn, sd?.diversityCinn, ReportFormat.diversity),
                        ReportFormat.withSD(l.calibration, sd?.calibration, ReportFormat.calibration),
                        l.selfCalibration.map { ReportFormat.withSD($0, sd?.selfCalibration, ReportFormat.calibration) } ?? ReportFormat.missing]
            },
            rightAligned: [false, false, false, true, true, true, true, true, true, true])
    }

    static func invarianceTable(_ result: DiagnosisResult, _ facts: ReportFacts) -> ReportTable {
        let header = ["layer"] + facts.factors.map { facts.isTrusted(factor: $0) ? $0 : "\($0) (weak)" }
        var rows = result.layers.map { l in
            [ReportFacts.label(l)] + facts.factors.map { f in ReportFormat.score(l.invariance[f], sd: l.overSeeds?.sd.invariance[f]) }
        }
        // The HTML page colours each score as the heat map does and tells its read-out on pointing.
        var heat: [[HeatCell?]] = result.layers.map { l in
            [nil] + facts.factors.map { f in
                let score = l.invariance[f] ?? .nan, label = ReportFacts.label(l)
                return HeatCell(score: score, detail: facts.heatDetail(row: label, factor: f, score: score, sd: l.overSeeds?.sd.invariance[f]))
            }
        }
        if let ceiling = facts.ceilingRow(label: ReportFacts.ceilingLabel), let scores = facts.ceilingScores(facts.factors) {
            rows.append(ceiling)
            let sds = facts.ceilingSDs(facts.factors)
            heat.append([nil] + facts.factors.indices.map { i in
                HeatCell(score: scores[i], detail: facts.heatDetail(row: ReportFacts.ceilingLabel, factor: facts.factors[i],
                                                                     score: scores[i], sd: sds?[i]))
            })
        }
        return ReportTable(header: header, rows: rows, rightAligned: [false] + facts.factors.map { _ in true }, heat: heat)
    }

    /// Column headers of the variation table, in order.
    static let variationHeader = ["layer", "mean ΔE", "object / background", "object ΔE", "background ΔE", "outline ΔE", "inputs × samples"]

    /// Where the samples vary: the table of the layers' variation numbers and their mean maps.
    static func variationBlocks(_ result: DiagnosisResult) -> [ReportBlock] {
        let layers = result.layers.filter { $0.variation != nil }
        var b: [ReportBlock] = [.heading(level: 2, text: "Where the samples vary")]
        let regions = layers.lazy.compactMap { $0.variation?.regions }.first
        let averaged = regions.map { "of the image (mean), of \($0.phrase) and of the object's outline" }
            ?? "of the image (no object and background: these images have no label maps and the expert's probe declares no "
             + "segmentation output, docs/report.md)"
        b.append(.paragraph("Per pixel, the root mean squared CIELAB distance (ΔE*ab, D65) of an input's decoded cINN samples to "
            + "their mean colour: 0 where every sample has the same colour, about 2 where a difference starts to be visible. "
            + "Averaged over the pixels \(averaged), then over the test inputs, ± the standard error over inputs. Object / "
            + "background is the ratio of the two means (standard error by the delta method): above 1 the layer leaves the "
            + "object less determined than the background. The contact sheets and the overview show each row's map beside its "
            + "samples (column dE, colour scale in the last row); below, each layer's mean map over the test inputs."))
        b.append(.table(ReportTable(header: variationHeader, rows: layers.map { l in
            let v = l.variation!
            return [ReportFacts.label(l), ReportFormat.withError(v.meanDeltaE, ReportFormat.deltaE, ReportFormat.deltaEError),
                    ReportFormat.withError(v.objectToBackground, ReportFormat.ratio), ReportFormat.withError(v.objectDeltaE, ReportFormat.deltaE, ReportFormat.deltaEError),
                    ReportFormat.withError(v.backgroundDeltaE, ReportFormat.deltaE, ReportFormat.deltaEError), ReportFormat.withError(v.outlineDeltaE, ReportFormat.deltaE, ReportFormat.deltaEError),
                    "\(v.inputs) × \(v.samples)"]
        }, rightAligned: [false] + Array(repeating: true, count: variationHeader.count - 1))))
        b.append(.figure(path: VariationPlot.file, caption: "Mean variation per layer (ΔE, ± s.e. over test inputs), object / background under each.",
                         vector: FigureFiles(VariationPlot.file).svg))
        for l in layers {
            b.append(.figure(path: l.variation!.map, caption: "Mean variation map of \(l.name) over \(l.variation!.inputs) test inputs (ΔE).",
                             vector: FigureFiles(l.variation!.map).svg))
        }
        return b
    }

    static func validityTable(_ result: DiagnosisResult) -> ReportTable {
        ReportTable(
            header: ["layer", "documented keeps", "documented ignores", "agrees"],
            rows: result.layers.map { l in
                let agrees = (l.validity ?? [:]).sorted { $0.key < $1.key }
                    .map { "\($0.key): \($0.value ? "yes" : "NO")" }.joined(separator: ", ")
                return [l.name, (l.expectedKeeps ?? []).joined(separator: ", "),
                        (l.expectedIgnores ?? []).joined(separator: ", "), agrees.isEmpty ? ReportFormat.missing : agrees]
            })
    }

    static func readoutTable(_ result: DiagnosisResult) -> ReportTable {
        ReportTable(
            header: ["factor", "kind", "metric", "held-out", "chance", "skill", "trusted", "floor"],
            rows: result.readouts.map { r in
                [r.factor, r.kind, r.metric, ReportFormat.fixed(r.value, 3), ReportFormat.fixed(r.chance, 3),
                 ReportFormat.fixed(ReportFacts.skill(r), 2), ReportFacts.isTrusted(r) ? "yes" : "no",
                 r.floor.map { ReportFormat.score($0) } ?? "–"]
            },
            rightAligned: [false, false, false, true, true, true, false, true])
    }

    static func keyValueTable(_ values: [String: String], header: [String]) -> ReportTable {
        ReportTable(header: header, rows: values.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
    }
}
