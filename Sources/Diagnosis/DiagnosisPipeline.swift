import Flows
import Foundation
import Metrics
import Report
import Tensors

/// The whole diagnosis, one stage after another (docs/diagnosis.md, docs/architecture.md): inputs →
/// features and codes (cached) → translators (cached) → read-outs and ceiling → per layer numbers
/// and sheets → figures → report, published atomically. Each stage is a type of its own file.
public enum DiagnosisPipeline {
    public static func run(_ o: DiagnosisOptions) throws -> (result: DiagnosisResult, folder: URL) {
        let clock = StageClock()
        let inputs = try RunInputs.load(o)
        // One RunInputs per translator seed (`--seeds K`); they share everything but the seed.
        let repeats = (0..<o.repeats).map(inputs.translatorRepeat)
        try inputs.folder.prepareStaging(subfolders: ["translators"] + repeats.dropFirst().map { "translators/seed-\($0.options.translatorSeed)" })
        var succeeded = false
        defer { if !succeeded { inputs.folder.discardStaging() } }

        // Scenes, features and codes once, whatever K.
        let pairs = try clock.timed("features") { try ScenePairs.load(inputs) }
        KillPoint.features.reached()
        var measured: [MeasuredRepeat] = []
        for seedInputs in repeats {
            let translators = try TrainedTranslators.train(seedInputs, pairs, clock: clock)
            let context = try evaluationContext(seedInputs, pairs, translators, clock: clock, sharing: measured.first?.context)
            try saveUnconditional(translators, in: inputs.folder, subfolder: context.translatorFolder)
            var rng = LayerSampling.generator(seedInputs.options)
            let layers = try seedInputs.layers.map { layer in
                try LayerReport.measure(layer, try translators.layer(layer.name), in: context, rng: &rng)
            }
            measured.append(MeasuredRepeat(context: context, translators: translators, layers: layers))
        }

        KillPoint.figures.reached()
        let first = measured[0]
        try clock.timed("figures") { try writeFigures(first.context, translators: first.translators, layers: first.layers) }
        let result = SeedAveraging.result(measured)
        try clock.timed("report") { try ReportWriter.write(result, to: inputs.folder.staging) }
        KillPoint.publish.reached()
        try inputs.folder.publish()
        succeeded = true
        return (result, inputs.folder.url)
    }

    /// What every layer is measured against (stages 4 and 5 and the unconditional flow's NLLs): the
    /// run computes it once, each evaluation task of a plan again, with the same numbers.
    /// A later translator seed `sharing` the first one's context reuses its read-outs and reference
    /// images, which see no translator, and measures only its own ceiling.
    static func evaluationContext(_ inputs: RunInputs, _ pairs: ScenePairs, _ translators: TrainedTranslators,
                                  clock: StageClock, sharing shared: LayerReport.Context? = nil) throws -> LayerReport.Context {
        let unconditional = translators.unconditional
        let unconditionalPerScene = unconditional.inChunks(try TranslationPairs(codes: pairs.test.codes, features: nil)) { z, _ in
            unconditional.negativeLogLikelihood(z).scalars
        }.joined().map(Double.init)
        let readouts = shared.map { $0.readouts.measuringCeiling(unconditional, inputs, pairs, clock: clock) }
            ?? Readouts.fit(inputs, pairs, unconditional: unconditional, clock: clock)
        let references = shared?.references ?? ReferenceImages.make(inputs, pairs, clock: clock)
        return LayerReport.Context(
            inputs: inputs, pairs: pairs, unconditional: unconditional, unconditionalPerScene: unconditionalPerScene,
            readouts: readouts, references: references,
            sheetInputs: Array(0..<min(inputs.options.inputs, pairs.test.codes.shape[0])), clock: clock)
    }

    /// The unconditional flow, kept with the report for re-use.
    static func saveUnconditional(_ translators: TrainedTranslators, in folder: ReportFolder, subfolder: String = "translators") throws {
        try TranslatorStore.save(TranslatorCheckpoint(translators.unconditional, step: translators.unconditionalBestStep),
                                 to: folder.staging.appendingPathComponent("\(subfolder)/unconditional.safetensors"))
    }

    /// The overview (every layer's sheet rows side by side) and exemplar transfer.
    static func writeFigures(_ c: LayerReport.Context, translators: TrainedTranslators, layers: [LayerReport]) throws {
        let staging = c.inputs.folder.staging, probe = c.inputs.probe, names = c.inputs.layers.map(\.name)
        try SheetRendering.overview(layers: names.map { n in probe.alias(of: n).map { "\($0): \(n)" } ?? n },
                                    inputs: c.sheetInputs, real: c.references.real, reconstructions: c.references.reconstructions,
                                    rows: layers.map(\.sheetRows), samples: c.inputs.options.samples)
            .write(to: staging, named: "overview.png")
        try SheetRendering.exemplarTransfer(cinns: try names.map { try translators.layer($0).cinn }, layers: names, test: c.pairs.test,
                                            scaler: c.pairs.scaler, real: c.references.real, autoencoder: c.inputs.autoencoder,
                                            count: min(5, c.pairs.test.codes.shape[0]))
            .write(to: staging, named: "transfer.png")
    }

    /// report.json's content from the stages' results.
    static func assemble(_ c: LayerReport.Context, translators: TrainedTranslators, layers: [LayerReport],
                         unconditionalNLL: Double) -> DiagnosisResult {
        let o = c.inputs.options
        var warnings = layers.flatMap(\.warnings)
        if c.readouts.quality.contains(where: { $0.metric == "accuracy" && $0.value < $0.chance + 0.1 }) {
            warnings.append("a categorical read-out is barely above chance; its invariance scores are not meaningful")
        }
        return DiagnosisResult(
            expert: o.expert, expertDescription: c.inputs.probe.description, layersRequested: o.layers, seed: o.seed,
            configuration: o.summary.merging(["flow_configuration": "\(translators.flowConfiguration)",
                                              "code_space": "NLLs are of the code standardised per dimension with training statistics"]) { a, _ in a },
            weightsHashes: c.inputs.weightsHashes, versions: ["diagnose": version, "swift": swiftVersion],
            timingsSeconds: c.clock.withTotal, unconditionalNllNatsPerDim: unconditionalNLL, codeDimensions: c.inputs.autoencoder.latentDim,
            frechetReconstruction: c.references.frechetReconstruction,
            frechetFeatureSpace: "128-d global-pool features of the shipped resnet classifier (not Inception: compare runs of this tool, not published FIDs)",
            reconstructionPsnrDb: c.references.psnr, readouts: c.readouts.table, layers: layers.map(\.result),
            invarianceCeiling: c.readouts.ceiling,
            figures: Figures(overview: "overview.png", heatmap: "heatmap.png", bitsPlot: "bits.png", exemplarTransfer: "transfer.png"),
            warnings: warnings)
    }

    /// The tool's version, in report.json and in a plan (a run folder of another version is refused).
    static let version = "0.1.0"

    private static var swiftVersion: String {
        #if swift(>=6.3)
        return "6.3"
        #else
        return "6.x"
        #endif
    }
}
