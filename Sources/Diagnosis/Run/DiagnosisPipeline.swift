import Flows
import Foundation
import Metrics
import Report
import Tensors

/// The whole diagnosis in one process (docs/architecture.md): the run's plan (`RunPlan`) carried
/// out task by task in this process (`RunExecution`), as `diagnose task` carries it out one task
/// per process: inputs → features and codes (cached) → translators (cached) → read-outs and
/// ceiling → per-layer numbers and sheets → figures → report, published atomically.
public enum DiagnosisPipeline {
    public static func run(_ o: DiagnosisOptions) throws -> (result: DiagnosisResult, folder: URL) {
        let clock = StageClock()
        let inputs = try RunInputs.load(o)
        let sources = try ScenePairs.sources(inputs)
        let plan = RunPlan.make(inputs, trainScenes: sources.train.dataIdentity, run: nil, shardScenes: nil)
        let result = try RunExecution(plan, inputs: inputs, clock: clock, evaluations: .inMemory, sources: sources).runAll()
        return (result, inputs.folder.url)
    }

    /// report.json's content from the stages' results.
    static func assemble(_ c: LayerEvaluation.Context, translators: TrainedTranslators, layers: [LayerEvaluation],
                         unconditionalNLL: Double) -> DiagnosisResult {
        let o = c.inputs.options
        var warnings = layers.flatMap(\.warnings)
        warnings += layers.compactMap { ReportFacts.reconstructionFloorNote($0.result, floor: c.references.frechetReconstruction) }
        if let set = c.inputs.imageSet {
            warnings += set.skipped.map { "\($0.path) was skipped: \($0.reason)" }
            warnings += set.leftOutFactors.map { "\($0) (no read-out, no score)" }
        }
        if let note = c.inputs.segmentationNote { warnings.append(note) }
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
            figures: Figures(overview: "overview.png", heatmap: "heatmap.png", bitsPlot: "bits.png", exemplarTransfer: "transfer.png",
                             explorer: c.drawsSheets ? SheetRendering.explorerImages(c) : nil),
            warnings: warnings)
    }

    /// The tool's version, in report.json and in a plan (a run folder of another version is
    /// refused). Raised whenever the same options give other numbers.
    static let version = "0.2.0"

    private static var swiftVersion: String {
        #if swift(>=6.3)
        return "6.3"
        #else
        return "6.x"
        #endif
    }
}
