import Autoencoder
import Datasets
import Experts
import FeatureCache
import Flows
import Foundation
import Imaging
import Metrics
import NN
import Report
import Tensors

/// The whole diagnosis, one stage after another (design.md §2): features and codes (cached) →
/// translators per layer (cached) → samples → metrics → figures → report. The report folder is
/// built under a temporary name and renamed when complete, so a failed run leaves no half report.
public enum DiagnosisPipeline {
    public static func run(_ o: DiagnosisOptions) throws -> (result: DiagnosisResult, folder: URL) {
        var timings: [String: Double] = [:]
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let t0 = Date()
            defer { timings[stage, default: 0] += Date().timeIntervalSince(t0) }
            return try body()
        }
        let started = Date()
        let fm = FileManager.default

        // Inputs: expert, layers, weights. Every user error is raised before any work starts.
        let probe = try Probe.load(expert: o.expert)
        let layers = try probe.resolve(o.layers)
        let weightsDir = o.weightsDirectory ?? ProjectFiles.weights
        if fm.fileExists(atPath: o.output.path) && !o.force {
            throw DiagnosisError("\(o.output.path) exists; pass --force to replace it, or choose another --out")
        }
        let expert = try ExpertCatalog.load(o.expert, weightsDirectory: weightsDir)
        let autoencoder = try ExpertCatalog.loadAutoencoder(weightsDirectory: weightsDir)
        let classifier = try ExpertCatalog.loadClassifier(weightsDirectory: weightsDir)
        var hashes: [String: String] = [:]
        for name in ["autoencoder", "resnet"] + (o.expert == "oracle" || o.expert == "resnet" ? [] : [o.expert]) {
            hashes[name] = try WeightsHash.of(ExpertCatalog.weightsFile(name, in: weightsDir))
        }
        let expertID = o.expert == "oracle" ? "fixed" : hashes[o.expert]!
        let d = autoencoder.latentDim

        let staging = o.output.deletingLastPathComponent()
            .appendingPathComponent(".\(o.output.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging.appendingPathComponent("translators"), withIntermediateDirectories: true)
        var succeeded = false
        defer { if !succeeded { try? fm.removeItem(at: staging) } }

        // 1. Features and codes.
        let cache = FeatureCache(directory: o.cacheDirectory.appendingPathComponent("features"))
        let trainSource = try SceneSource(split: .train, seed: o.seed, dataDir: o.dataDir)
        let testSource = try SceneSource(split: .test, seed: o.seed, dataDir: o.dataDir)
        let names = layers.map(\.name)
        let (rawTrain, rawSelection, rawTest) = try timed("features") { () -> (Pairs, Pairs, Pairs) in
            func get(_ source: SceneSource, _ split: String, _ range: Range<Int>) throws -> Pairs {
                let r = try cache.load(expert: expert, expertID: expertID, layers: names, autoencoder: autoencoder,
                                       autoencoderID: hashes["autoencoder"]!, source: source,
                                       request: .init(split: split, seed: o.seed, range: range))
                return Pairs(features: r.features, codes: r.codes)
            }
            return (try get(trainSource, "train", 0..<o.trainPairs),
                    try get(trainSource, "train", o.trainPairs..<(o.trainPairs + o.selectionPairs)),
                    try get(testSource, "test", 0..<o.testScenes))
        }

        // Translators see standardised codes; read-outs and the decoder see raw ones.
        let scaler = CodeScaler(fitting: rawTrain.codes)
        let rawTrainCodes = rawTrain.codes, rawTestCodes = rawTest.codes
        let (train, selection, test) = (rawTrain.scaled(scaler), rawSelection.scaled(scaler), rawTest.scaled(scaler))

        var flowConfig = FlowConfiguration(codeDimension: d, blocks: o.flowBlocks, couplingWidth: o.couplingWidth, seed: o.seed)
        flowConfig.embeddingDimension = 128
        let translatorKey = "\(hashes["autoencoder"]!)-s\(o.seed)-n\(o.trainPairs)-b\(o.flowBlocks)w\(o.couplingWidth)e\(o.embedderChannels)-lr\(o.learningRate)-adam"
        let translatorCache = o.cacheDirectory.appendingPathComponent("translators")
        try fm.createDirectory(at: translatorCache, withIntermediateDirectories: true)

        // 2. Translators: the unconditional flow (H(z_Θ) estimate, the reference for bits kept),
        // and per layer a cINN and an MLP baseline, trained side by side (cached).
        func trained(_ job: TranslatorJob, report: @escaping (Int, String) -> Void) throws -> (model: any Translator, bestStep: Int) {
            let cached = translatorCache.appendingPathComponent("\(job.name)-\(translatorKey)-t\(job.steps).safetensors")
            if let (model, meta) = try? TranslatorStore.load(cached) {
                report(job.steps, "reused \(cached.lastPathComponent)")
                return (model, Int(meta["best_step"] ?? "") ?? job.steps)
            }
            let model = try job.make()
            var config = TrainingConfiguration()
            config.steps = job.steps; config.batchSize = o.batchSize; config.learningRate = o.learningRate
            config.evaluateEvery = max(50, job.steps / 6); config.seed = o.seed
            config.warmupSteps = min(100, job.steps / 5)
            // Plain Adam, not net2net's (0.5, 0.9) amsgrad: at our scale it reaches a lower
            // held-out loss in the same steps for flows and MLPs alike (docs/diagnosis.md).
            config.beta1 = 0.9; config.beta2 = 0.999; config.amsgrad = false
            let result = try TranslatorTrainer(model: model, configuration: config).train(training: job.training, heldOut: job.heldOut) { p in
                let held = p.bestHeldOutLoss.map { String(format: " best held-out %.3f %@", $0, p.unit) } ?? ""
                report(p.step, String(format: "loss %.3f", p.trainLoss) + held)
            }
            try TranslatorStore.save(result.best, to: cached, extra: ["best_step": "\(result.bestStep)"])
            return (model, result.bestStep)
        }

        var jobs = [TranslatorJob(name: "unconditional", steps: o.unconditionalSteps ?? o.flowSteps,
                                  make: { try UnconditionalFlow(configuration: flowConfig) },
                                  training: try TranslationPairs(codes: train.codes, features: nil),
                                  heldOut: try TranslationPairs(codes: selection.codes, features: nil))]
        for layer in layers {
            let name = layer.name
            let trainPairs = try TranslationPairs(codes: train.codes, features: train.features[name])
            let selectPairs = try TranslationPairs(codes: selection.codes, features: selection.features[name])
            let embedder = EmbedderConfiguration.automatic(featureShape: layer.shape, baseChannels: o.embedderChannels)
            jobs.append(TranslatorJob(name: "cinn-\(o.expert)-\(expertID)-\(name)", steps: o.flowSteps,
                                      make: { try ConditionalFlow(configuration: flowConfig, embedder: embedder) },
                                      training: trainPairs, heldOut: selectPairs))
            let mlpEmbedder = EmbedderConfiguration.automatic(featureShape: layer.shape, baseChannels: o.mlpEmbedderChannels)
            jobs.append(TranslatorJob(name: "mlp-\(o.expert)-\(expertID)-\(name)-m\(o.mlpEmbedderChannels)", steps: o.mlpSteps,
                                      make: { try MLPBaseline(configuration: flowConfig, embedder: mlpEmbedder) },
                                      training: trainPairs, heldOut: selectPairs))
        }
        let translators = try timed("translators") { try TranslatorJobs.run(jobs, train: trained) }
        let unconditional = translators[0]
        guard let unconditionalFlow = unconditional.model as? UnconditionalFlow else {
            throw DiagnosisError("the cached unconditional flow is of the wrong kind; delete \(translatorCache.path)")
        }
        // Per-scene NLLs: bits kept is their mean difference, with a standard error.
        let uncondPerScene = unconditionalFlow.inChunks(try TranslationPairs(codes: test.codes, features: nil)) { z, _ in
            unconditionalFlow.negativeLogLikelihood(z).scalars
        }.joined().map(Double.init)
        let uncondNLL = SampleStatistics.mean(uncondPerScene)
        try TranslatorStore.save(TranslatorCheckpoint(unconditionalFlow, step: unconditional.bestStep),
                                 to: staging.appendingPathComponent("translators/unconditional.safetensors"))

        // 3. Factor read-outs on real codes, checked on the test split.
        let readout = FactorReadout(codeDimensions: d, seed: o.seed)
        let trainFactors = (0..<o.trainPairs).map { trainSource.scenes.factors($0).values }
        let testFactors = (0..<o.testScenes).map { testSource.scenes.factors($0).values }
        timed("readouts") { readout.fit(codes: rawTrainCodes, values: trainFactors, steps: o.readoutSteps, seed: o.seed) }
        let quality = readout.quality(codes: rawTestCodes, values: testFactors)
        let dataPredictions = readout.scoringValues(rawTestCodes)
        // Factor → what a layer that keeps exactly this categorical factor scores under this read-out.
        var floors: [String: Double] = [:]
        for (j, f) in readout.factors.enumerated() {
            floors[f.name] = InvarianceScore.floor(kind: f.kind, predictions: dataPredictions[j], truth: testFactors.map { $0[j] })
        }
        // What a layer that ignores everything scores: the bound for every layer's scores.
        var ceilingRNG = Xoshiro256(seed: o.seed &+ 78)
        let ceiling = timed("evaluation") {
            LayerEvaluation.ceiling(unconditionalFlow, readout: readout, dataPredictions: dataPredictions,
                                    inputs: o.scoredInputs, samples: o.scoredSamples, scaler: scaler, rng: &ceilingRNG)
        }

        // 4. Images every layer shares: real test scenes, reconstructions, classifier features.
        let fdScenes = test.codes.shape[0]
        let realImages = testSource.input(0..<fdScenes).images
        let realFeatures = timed("frechet") { embed(realImages, classifier) }
        let reconstructions = decode(rawTestCodes, autoencoder)
        let frechetReconstruction = timed("frechet") {
            FrechetDistance.between(realFeatures, embed(reconstructions, classifier), dimensions: 128)
        }
        let psnr = psnrDB(reconstructions, realImages)

        // 5. Per layer: translators, samples, metrics, sheets.
        var rng = Xoshiro256(seed: o.seed &+ 77)
        var layerResults: [LayerResult] = []
        var sheetRows: [[Int: (samples: [Tensor], mlp: Tensor)]] = []
        var cinns: [ConditionalFlow] = []
        let sheetInputs = Array(0..<min(o.inputs, fdScenes))
        var warnings: [String] = []
        for (index, layer) in layers.enumerated() {
            let name = layer.name
            let testPairs = try TranslationPairs(codes: test.codes, features: test.features[name])
            let (cinnModel, bestStep) = translators[1 + 2 * index]
            guard let cinn = cinnModel as? ConditionalFlow, let mlp = translators[2 + 2 * index].model as? MLPBaseline else {
                throw DiagnosisError("cached translators for \(name) are of the wrong kind; delete \(translatorCache.path)")
            }
            cinns.append(cinn)
            let condPerScene = cinn.inChunks(testPairs) { z, f in cinn.negativeLogLikelihood(z, features: f!).scalars }
                .joined().map(Double.init)
            let condNLL = SampleStatistics.mean(condPerScene)
            let mlpMSEPerDim = Double(mlp.evaluate(testPairs))
            // Bits kept is a mean over test scenes: its standard error says how far apart two layers must be.
            let bitsPerScene = zip(uncondPerScene, condPerScene).map { ($0 - $1) * Double(d) / log(2) }
            let bits = SampleStatistics.mean(bitsPerScene), bitsStandardError = SampleStatistics.standardError(bitsPerScene)
            try TranslatorStore.save(TranslatorCheckpoint(cinn, step: bestStep),
                                     to: staging.appendingPathComponent("translators/\(name)-cinn.safetensors"))
            try TranslatorStore.save(TranslatorCheckpoint(mlp, step: o.mlpSteps),
                                     to: staging.appendingPathComponent("translators/\(name)-mlp.safetensors"))

            let evaluation = try timed("evaluation") { () -> LayerEvaluation in
                try LayerEvaluation.run(cinn: cinn, mlp: mlp, test: test, layer: name, readout: readout,
                                        dataPredictions: dataPredictions, scoredInputs: o.scoredInputs,
                                        scoredSamples: o.scoredSamples, scaler: scaler, autoencoder: autoencoder, classifier: classifier,
                                        realFeatures: realFeatures, rng: &rng)
            }
            let calibration = SampleStatistics.calibration(sampleSquaredError: evaluation.sampleSquaredError,
                                                           predictorSquaredError: mlpMSEPerDim * Double(d))
            var validity: [String: Bool]? = nil
            if let keeps = layer.keeps, let ignores = layer.ignores {
                var v: [String: Bool] = [:]
                for f in Set(keeps + ignores).sorted() {
                    let keep = keeps.contains(f), score = evaluation.invariance[f] ?? .nan
                    let (agrees, bound) = ReportFacts.agreement(score: score, documentedKept: keep, ceiling: ceiling[f],
                                                                  floor: floors[f])
                    v[f] = agrees
                    if !agrees {
                        warnings.append(String(format: "%@: documented to %@ %@, measured invariance %.2f (%@ %.2f)", name,
                                               keep ? "keep" : "ignore", f, score, keep ? "needs at most" : "needs at least", bound))
                    }
                }
                validity = v
            }
            // Sheet samples for the first inputs.
            let sheetFeatures = test.features[name]!.gather(axis: 0, indices: sheetInputs)
            let samples = try cinn.sample(features: sheetFeatures, count: o.samples, rng: &rng)  // [n, k, d]
            let mlpCodes = Autograd.withoutGradients { mlp.predict(sheetFeatures) }
            var perInput: [Int: (samples: [Tensor], mlp: Tensor)] = [:]
            let decodedSamples = decode(scaler.denormalize(samples.reshaped([sheetInputs.count * o.samples, d])), autoencoder)
            let decodedMLP = decode(scaler.denormalize(mlpCodes), autoencoder)
            for (i, _) in sheetInputs.enumerated() {
                perInput[i] = ((0..<o.samples).map { decodedSamples.slice(axis: 0, (i * o.samples + $0)..<(i * o.samples + $0 + 1)) },
                               decodedMLP.slice(axis: 0, i..<(i + 1)))
            }
            sheetRows.append(perInput)
            let sheetName = "sheet-\(name).png"
            try SheetRendering.layerSheet(layer: name, alias: probe.alias(of: name), inputs: sheetInputs, real: realImages,
                                          reconstructions: reconstructions, rows: perInput, samples: o.samples)
                .writePNG(to: staging.appendingPathComponent(sheetName).path)

            layerResults.append(LayerResult(
                name: name, alias: o.layers.first { probe.aliases[$0] == name }, shape: layer.shape,
                nllConditionalNatsPerDim: condNLL, bitsKept: bits, bitsKeptStandardError: bitsStandardError,
                invariance: evaluation.invariance,
                frechetCinn: evaluation.frechetCinn, frechetMlp: evaluation.frechetMLP,
                diversityCinn: evaluation.diversityCinn, diversityMlp: 0, calibration: calibration,
                selfCalibration: SampleStatistics.selfCalibration(sampleSquaredError: evaluation.sampleSquaredError,
                                                                  sampleMeanSquaredError: evaluation.sampleMeanSquaredError,
                                                                  samples: o.scoredSamples),
                mlpHeldOutMse: mlpMSEPerDim, trainingSteps: o.flowSteps, bestStep: bestStep,
                expectedKeeps: layer.keeps, expectedIgnores: layer.ignores, validity: validity,
                contactSheet: sheetName, translator: "translators/\(name)-cinn.safetensors"))
            if let note = ReportFacts.calibrationNote(layerResults.last!) { warnings.append(note) }
        }

        // 6. Figures across layers.
        try timed("figures") {
            try SheetRendering.overview(layers: layers.map { l in probe.alias(of: l.name).map { "\($0): \(l.name)" } ?? l.name },
                                        inputs: sheetInputs, real: realImages, reconstructions: reconstructions,
                                        rows: sheetRows, samples: o.samples)
                .writePNG(to: staging.appendingPathComponent("overview.png").path)
            try SheetRendering.exemplarTransfer(cinns: cinns, layers: layers.map(\.name), test: test, scaler: scaler, real: realImages,
                                                autoencoder: autoencoder, count: min(5, fdScenes))
                .writePNG(to: staging.appendingPathComponent("transfer.png").path)
        }
        if quality.contains(where: { $0.metric == "accuracy" && $0.value < $0.chance + 0.1 }) {
            warnings.append("a categorical read-out is barely above chance; its invariance scores are not meaningful")
        }

        timings["total"] = Date().timeIntervalSince(started)
        let result = DiagnosisResult(
            expert: o.expert, expertDescription: probe.description, layersRequested: o.layers, seed: o.seed,
            configuration: o.summary.merging(["flow_configuration": "\(flowConfig)",
                                              "code_space": "NLLs are of the code standardised per dimension with training statistics"]) { a, _ in a },
            weightsHashes: hashes, versions: ["diagnose": "0.1.0", "swift": swiftVersion],
            timingsSeconds: timings, unconditionalNllNatsPerDim: uncondNLL, codeDimensions: d,
            frechetReconstruction: frechetReconstruction,
            frechetFeatureSpace: "128-d global-pool features of the shipped resnet classifier (not Inception: compare runs of this tool, not published FIDs)",
            reconstructionPsnrDb: psnr,
            readouts: quality.enumerated().map { j, q in
                ReadoutQuality(factor: q.factor, kind: "\(readout.factors[j].kind)", metric: q.metric, value: q.value, chance: q.chance,
                               floor: floors[q.factor])
            },
            layers: layerResults, invarianceCeiling: ceiling,
            figures: Figures(overview: "overview.png", heatmap: "heatmap.png", bitsPlot: "bits.png", exemplarTransfer: "transfer.png"),
            warnings: warnings)
        try timed("report") { try ReportWriter.write(result, to: staging) }

        // Publish: replace any old report (only with --force, checked above) by the complete one.
        if fm.fileExists(atPath: o.output.path) { try fm.removeItem(at: o.output) }
        try fm.createDirectory(at: o.output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fm.moveItem(at: staging, to: o.output)
        succeeded = true
        return (result, o.output)
    }

    private static var swiftVersion: String {
        #if swift(>=6.3)
        return "6.3"
        #else
        return "6.x"
        #endif
    }
}

/// Features and codes of one range of scenes.
struct Pairs {
    let features: [String: Tensor]
    let codes: Tensor

    func scaled(_ scaler: CodeScaler) -> Pairs { Pairs(features: features, codes: scaler.normalize(codes)) }
}

/// `body` applied to rows of `x` in batches (bounded memory for large evaluations), concatenated.
func inBatches(_ x: Tensor, size: Int = 250, _ body: (Tensor) -> Tensor) -> Tensor {
    Autograd.withoutGradients {
        let n = x.shape[0]
        let parts = stride(from: 0, to: n, by: size).map { body(x.slice(axis: 0, $0..<min($0 + size, n))) }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
    }
}

/// Classifier features (global pool, 128-d) of images, as rows.
func embed(_ images: Tensor, _ classifier: ResNetClassifier) -> [Float] {
    inBatches(images) { classifier.embedding($0) }.scalars
}

/// Decoded images of codes [N, d].
func decode(_ codes: Tensor, _ autoencoder: ConvAutoencoder) -> Tensor {
    inBatches(codes) { autoencoder.decode($0) }
}

func psnrDB(_ a: Tensor, _ b: Tensor) -> Double {
    let mse = Autograd.withoutGradients { Double(Tensor.mse(a, b).item) }
    return 10 * log10(1 / max(mse, 1e-12))
}
