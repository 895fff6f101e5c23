import Foundation
import Metrics

/// What the writers derive from a result beyond its raw numbers: the factor order, which read-outs
/// can be trusted, and the plain-language findings. Computed once so every output says the same.
public struct ReportFacts {
    /// The row label of the invariance ceiling in tables and figures.
    static let ceilingLabel = "ceiling (unconditional)"

    let result: DiagnosisResult
    /// Factor names in the read-outs' order (the scenes' fixed order), then any others sorted.
    let factors: [String]
    /// Short names for narrow columns, parallel to `factors`.
    let abbreviations: [String]

    init(_ result: DiagnosisResult) {
        self.result = result
        var ordered: [String] = []
        var seen = Set<String>()
        for r in result.readouts where seen.insert(r.factor).inserted { ordered.append(r.factor) }
        let rest = Set(result.layers.flatMap { $0.invariance.keys }).subtracting(seen).sorted()
        ordered += rest
        factors = ordered
        abbreviations = ReportFormat.abbreviations(ordered)
    }

    // The rules live in Metrics (`LayerJudgement`); these name them for a result's factors.
    public static func ignoresThreshold(ceiling: Double?) -> Double { LayerJudgement.ignoresThreshold(ceiling: ceiling) }
    public static func keepsThreshold(floor: Double?) -> Double { LayerJudgement.keepsThreshold(floor: floor) }

    func ignoresThreshold(_ factor: String) -> Double {
        ReportFacts.ignoresThreshold(ceiling: result.invarianceCeiling?[factor])
    }

    func keepsThreshold(_ factor: String) -> Double {
        ReportFacts.keepsThreshold(floor: readout(for: factor)?.floor)
    }

    /// Factors whose ceiling is below `ignoresAbove`, in table order: their scores are compressed
    /// into 0…ceiling, so they separate kept from ignored poorly.
    func boundedFactors() -> [(factor: String, ceiling: Double)] {
        factors.compactMap { f in
            guard let c = result.invarianceCeiling?[f], c.isFinite, c < LayerJudgement.ignoresAbove else { return nil }
            return (f, c)
        }
    }

    /// The ceiling's scores for `factors` (NaN where not measured), nil when the run has none.
    func ceilingScores(_ factors: [String]) -> [Double]? {
        result.invarianceCeiling.map { c in factors.map { c[$0] ?? .nan } }
    }

    /// The ceiling's standard deviations over the seeds for `factors`, nil for a single-seed run.
    func ceilingSDs(_ factors: [String]) -> [Double]? {
        result.overSeeds?.sd.invarianceCeiling.map { c in factors.map { c[$0] ?? .nan } }
    }

    /// The ceiling as a table row (label first, ± sd over seeds where measured), nil when the run did not measure it.
    func ceilingRow(label: String, plusMinus: String = " ± ") -> [String]? {
        guard let scores = ceilingScores(factors) else { return nil }
        let sds = ceilingSDs(factors)
        return [label] + scores.indices.map { ReportFormat.withSD(scores[$0], sds?[$0], ReportFormat.score, plusMinus: plusMinus) }
    }

    /// "Mean ± sd over K translator seeds" for a caption or paragraph; nil for a single-seed run.
    var seedsNote: String? {
        guard let k = result.seeds, k > 1 else { return nil }
        let seeds = (result.translatorSeeds ?? []).map(String.init).joined(separator: ", ")
        return "Numbers are the mean ± standard deviation over \(k) translator seeds (\(seeds)), which share the scenes, "
            + "features, autoencoder and read-outs; contact sheets show the first seed."
    }

    static func label(_ layer: LayerResult) -> String {
        if let alias = layer.alias, !alias.isEmpty, alias != layer.name { return alias }
        return layer.name
    }

    func readout(for factor: String) -> ReadoutQuality? {
        result.readouts.first { $0.factor == factor }
    }

    static func skill(_ r: ReadoutQuality) -> Double { LayerJudgement.skill(value: r.value, chance: r.chance) }
    static func isTrusted(_ r: ReadoutQuality) -> Bool { LayerJudgement.isTrusted(value: r.value, chance: r.chance) }

    /// Factors without a read-out are not flagged: the pipeline may score them another way.
    func isTrusted(factor: String) -> Bool {
        readout(for: factor).map(ReportFacts.isTrusted) ?? true
    }

    /// What report.html says about one score when a reader points at it: the score, the factor's
    /// read-out quality (metric, held-out value, chance, skill), its floor and ceiling, the bounds
    /// the summary judges it by, and whether the read-out is too weak to trust.
    func heatDetail(row: String, factor: String, score: Double, sd: Double?) -> String {
        var s = "\(row), \(factor): score \(ReportFormat.score(score, sd: sd)) (0 = kept, 1 = ignored)."
        if let r = readout(for: factor) {
            s += " Read-out: \(r.metric) \(ReportFormat.fixed(r.value, 3)) held-out, chance \(ReportFormat.fixed(r.chance, 3)), "
                + "skill \(ReportFormat.fixed(ReportFacts.skill(r), 2))."
            if let floor = r.floor { s += " Floor \(ReportFormat.score(floor))." }
        }
        if let ceiling = result.invarianceCeiling?[factor] { s += " Ceiling \(ReportFormat.score(ceiling))." }
        s += " Kept up to \(ReportFormat.score(keepsThreshold(factor))), ignored from \(ReportFormat.score(ignoresThreshold(factor)))."
        if !isTrusted(factor: factor) {
            s += " Weak read-out (skill below \(ReportFormat.fixed(LayerJudgement.trustedSkill, 1))): the score is unreliable."
        }
        return s
    }

    /// The factors whose scores differ most between layers: these tell the layers apart.
    func tellingFactors(count: Int) -> [String] {
        let spread: [(String, Double)] = factors.map { f in
            let values = result.layers.compactMap { $0.invariance[f] }.filter(\.isFinite)
            guard let lo = values.min(), let hi = values.max() else { return (f, -1) }
            // Ties (e.g. one layer): prefer the factor that is ignored most.
            return (f, hi - lo + 1e-3 * hi)
        }
        let chosen = Set(spread.sorted { $0.1 > $1.1 }.prefix(count).map(\.0))
        return factors.filter(chosen.contains)
    }

    /// One sentence per layer, e.g. "early keeps 79.2 bits and determines class (0.02), hue (0.05);
    /// last keeps 3.1 bits and ignores hue (0.76), background_hue (0.93)".
    func layerFindings() -> [String] {
        result.layers.map { layer in
            var s = "\(ReportFacts.label(layer)) keeps \(ReportFormat.bits(layer.bitsKept)) bits"
            let scored = factors.compactMap { f in layer.invariance[f].map { (f, $0) } }.filter { $0.1.isFinite }
            let ignored = scored.filter { $0.1 >= ignoresThreshold($0.0) && $0.1 > keepsThreshold($0.0) }.sorted { $0.1 > $1.1 }
            let kept = scored.filter { $0.1 <= keepsThreshold($0.0) }.sorted { $0.1 < $1.1 }
            func list(_ items: [(String, Double)]) -> String {
                let shown = items.prefix(4).map { f, v in
                    "\(f) (\(ReportFormat.score(v))\(isTrusted(factor: f) ? "" : ", weak read-out"))"
                }
                let more = items.count > 4 ? " and \(items.count - 4) more" : ""
                return shown.joined(separator: ", ") + more
            }
            if !scored.isEmpty, kept.count == scored.count {
                let worst = scored.map(\.1).max() ?? 0
                return s + " and determines all \(scored.count) factors (scores at most \(ReportFormat.score(worst)))"
            }
            if !ignored.isEmpty { s += " and ignores \(list(ignored))" }
            if !kept.isEmpty { s += ignored.isEmpty ? " and determines \(list(kept))" : "; it determines \(list(kept))" }
            if ignored.isEmpty && kept.isEmpty && !scored.isEmpty { s += " and neither clearly keeps nor ignores any factor" }
            return s
        }
    }

    /// What the report cautions about the layers' cINNs (`layerNotes`, layer by layer).
    func layerCautions() -> [String] { result.layers.flatMap(ReportFacts.layerNotes) }

    /// What the report warns about one layer's cINN: that it did not generalise, and its calibration.
    public static func layerNotes(_ layer: LayerResult) -> [String] {
        [generalizationNote(layer), calibrationNote(layer)].compactMap { $0 }
    }

    /// Says so when the layer's cINN predicts the test codes worse than the unconditional flow,
    /// by more than two standard errors: bits kept below 0 are not information the layer keeps
    /// but a conditional model that did not generalise from the training images.
    public static func generalizationNote(_ layer: LayerResult) -> String? {
        guard layer.bitsKept.isFinite, layer.bitsKept + 2 * (layer.bitsKeptStandardError ?? 0) < 0 else { return nil }
        return "the cINN of \(label(layer)) predicts the test codes worse than the unconditional flow (bits kept "
            + "\(ReportFormat.fixed(layer.bitsKept, 1))): it did not generalise from the training images (best step \(layer.bestStep) "
            + "of \(layer.trainingSteps)), so its samples and scores say little about the layer"
    }

    /// Says so when `layer`'s samples are at the reconstruction floor (`LayerJudgement.atReconstructionFloor`).
    public static func reconstructionFloorNote(_ layer: LayerResult, floor: Double) -> String? {
        guard LayerJudgement.atReconstructionFloor(frechet: layer.frechetCinn, floor: floor) else { return nil }
        return "the samples of \(label(layer)) are as close to the test images as the autoencoder's reconstructions (Fréchet "
            + "\(ReportFormat.frechet(layer.frechetCinn)), floor \(ReportFormat.frechet(floor))): its scores are limited by the "
            + "reconstruction floor, and what it keeps beyond what the autoencoder reproduces cannot show; a larger or longer-trained "
            + "autoencoder would show more (--autoencoder-size, --autoencoder-steps with --images)"
    }

    /// Why `layer`'s calibration is outside the band, nil inside it. A low value against the MLP
    /// while the samples agree with their own mean (self-calibration in the band) means the MLP
    /// fits the layer worse than the cINN does, not that the samples spread too little.
    public static func calibrationNote(_ layer: LayerResult) -> String? {
        let c = layer.calibration, name = label(layer)
        if !c.isFinite { return "the calibration of \(name) could not be measured" }
        if LayerJudgement.calibratedRange.contains(c) { return nil }
        let value = ReportFormat.calibration(c)
        if c > LayerJudgement.calibratedRange.upperBound {
            return "the samples of \(name) spread too much (calibration \(value)), so its invariance scores overstate what it ignores"
        }
        if let own = layer.selfCalibration, LayerJudgement.calibratedRange.contains(own) {
            return "the calibration of \(name) is \(value) against the MLP but \(ReportFormat.calibration(own)) against the mean of "
                + "its own samples: the MLP baseline fits this layer worse than the cINN, so the low value reflects the baseline, "
                + "not the samples"
        }
        return "the samples of \(name) spread too little (calibration \(value)), so its invariance scores understate what it ignores"
    }

    /// The summary paragraph: method, then what this run found, all from the numbers.
    func summaryParagraph() -> String {
        let layerCount = result.layers.count
        var p = "For each of \(layerCount) layer\(layerCount == 1 ? "" : "s") of the frozen expert \(result.expert), "
            + "a conditional invertible network (cINN) was trained to translate the layer's representation into the "
            + "\(result.codeDimensions)-dimensional code of an autoencoder; decoding several samples for one input shows "
            + "what the layer keeps (fixed across samples) and what it ignores (varying). "
            + "The held-out likelihood gives the bits of the code each layer keeps (a class-only layer keeps at most "
            + "log2(10) = \(ReportFormat.fixed(LayerJudgement.classOnlyBits, 2)) bits), and factor read-outs turn the samples into "
            + "invariance scores (0 = kept, 1 = ignored). "
        let findings = layerFindings()
        if !findings.isEmpty {
            let seeds = result.seeds.map { $0 > 1 ? "; means over \($0) translator seeds" : "" } ?? ""
            p += "In this run (seed \(result.seed)\(seeds)), " + findings.joined(separator: "; ") + ". "
        }
        let finite = result.layers.filter { $0.frechetCinn.isFinite && $0.frechetMlp.isFinite }
        if !finite.isEmpty {
            let better = finite.filter { $0.frechetCinn < $0.frechetMlp }.count
            p += "cINN samples are closer to real scenes than the MLP baseline's mean predictions at \(better) of "
                + "\(finite.count) layers (Fréchet distance in our classifier's feature space; autoencoder floor "
                + "\(ReportFormat.frechet(result.frechetReconstruction))). "
        }
        let notes = layerCautions()
        if !notes.isEmpty { p += "Caution: " + notes.joined(separator: "; ") + ". " }
        let bounded = boundedFactors()
        if !bounded.isEmpty {
            let list = bounded.map { "\($0.factor) (\(ReportFormat.score($0.ceiling)))" }.joined(separator: ", ")
            p += "Even samples of the unconditional flow, which ignore everything, vary \(list) much less than the data do, "
                + "so no layer can score these factors near 1: a layer counts as ignoring them from "
                + "\(ReportFormat.fixed(LayerJudgement.ignoresAbove, 1)) × that ceiling, and their scores separate kept from "
                + "ignored less sharply than the others. "
        }
        let weak = result.readouts.filter { !ReportFacts.isTrusted($0) }.map(\.factor)
        if !weak.isEmpty {
            p += weak.count == 1
                ? "The read-out of \(weak[0]) is weak, so its scores are unreliable. "
                : "The read-outs of \(weak.joined(separator: ", ")) are weak, so their scores are unreliable. "
        }
        return p.trimmingCharacters(in: .whitespaces)
    }
}
