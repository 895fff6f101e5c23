import Autoencoder
import Progress
import Datasets
import Experts
import FileSupport
import Flows
import Foundation

/// Stage 1: everything a run reads before any work: options, probe and layers, the expert, the
/// autoencoder and the classifier, their identities, and the report folder. Every user error is
/// raised here, before a feature is extracted.
struct RunInputs {
    let options: DiagnosisOptions
    let probe: Probe
    let layers: [ProbeLayer]
    let expert: Expert
    let autoencoder: ConvAutoencoder
    let classifier: ResNetClassifier
    /// Weights file → digest, for the report.
    let weightsHashes: [String: String]
    /// The digest of the autoencoder's weights.
    let autoencoderID: Digest
    let folder: ReportFolder
    /// The user's images (`--images`), read and split; nil for FashionScenes.
    let imageSet: ImageSet?

    /// The inputs of repeat `r` of the translator stage (`DiagnosisOptions.translatorRepeat`).
    func translatorRepeat(_ r: Int) -> RunInputs {
        RunInputs(options: options.translatorRepeat(r), probe: probe, layers: layers, expert: expert, autoencoder: autoencoder,
                  classifier: classifier, weightsHashes: weightsHashes, autoencoderID: autoencoderID, folder: folder, imageSet: imageSet)
    }

    /// The expert's own segmentation, for the object regions of images without label maps: the
    /// probe's declaration, where the expert's input is square like the autoencoder's images (both
    /// are then centre crops of the same square of each image, so the class map lies on them).
    var segmentation: SegmentationOutput? {
        probe.input.count == 3 && probe.input[1] == probe.input[2] ? probe.segmentation : nil
    }

    /// Why a declared segmentation is not used, for the report's warnings.
    var segmentationNote: String? {
        guard imageSet != nil, let declared = probe.segmentation, segmentation == nil else { return nil }
        return "the object / background variation was not measured: the segmentation output '\(declared.layer)' is of a "
            + "\(probe.input.dropFirst().map(String.init).joined(separator: "×")) input, which is not square like the autoencoder's images"
    }

    /// The shape each layer's features have when they reach the embedders (`WorkingSize`).
    var workingShapes: [String: [Int]] {
        Dictionary(uniqueKeysWithValues: layers.map { ($0.name, WorkingSize.shape(for: $0.shape)) })
    }

    /// The probe's shape of every layer must be the expert's: the embedders are built from it.
    static func checkShapes(_ layers: [ProbeLayer], of expert: Expert) throws {
        for layer in layers {
            let actual = expert.layers.first { $0.name == layer.name }?.shape
            guard actual == layer.shape else {
                throw DiagnosisError("probes/\(expert.name).json gives layer '\(layer.name)' the shape \(layer.shape), but the expert's "
                                     + "is \(actual.map { "\($0)" } ?? "missing"): correct the probe (`diagnose layers --expert \(expert.name)` lists the taps)")
            }
        }
    }

    /// `folder` is where the run writes (default: the report folder `--out`, checked here); the
    /// tasks of a plan write their partial results to folders of their own (`PlanTaskRunner`).
    static func load(_ o: DiagnosisOptions, folder: ReportFolder? = nil) throws -> RunInputs {
        try o.validate()
        if o.images != nil, o.expert == "oracle" {
            throw DiagnosisError("--expert oracle reads the ground truth FashionScenes are drawn from, which --images do not have: "
                                 + "diagnose deeplab, resnet or an .onnx model on them")
        }
        let weightsDirectory = o.weightsDirectory ?? ProjectFiles.weights
        let (expert, probe) = try ExpertCatalog.open(o.expert, inputSize: o.inputSize.map { ($0[0], $0[1]) },
                                                     weightsDirectory: weightsDirectory)
        let layers = try probe.resolve(o.layers)
        let folder = try folder ?? ReportFolder(o.output, force: o.force)
        try checkShapes(layers, of: expert)
        var options = o, imageSet: ImageSet?
        var given = try o.autoencoder.map { ($0, try ExpertCatalog.loadAutoencoder(from: $0)) }
        if let images = o.images {
            // The images are fitted once, to the size of the autoencoder given or to be trained.
            let size = given?.1.size ?? o.autoencoderSize ?? 32
            var bar: ProgressBar?
            let set = try ImageSet.open(images, size: size, maxBadFraction: o.maxBadFraction) { done, total in
                if bar == nil { bar = ProgressBar("read \(URL(fileURLWithPath: images).lastPathComponent)", total: total, unit: "files") }
                bar?.update(done)
            }
            bar?.finish()
            options = try o.fitted(to: set)
            if given == nil {
                let trained = try OwnAutoencoder.file(for: set, options)
                options.autoencoder = trained
                given = (trained, try ExpertCatalog.loadAutoencoder(from: trained))
            }
            imageSet = set
        }
        let autoencoderFile = try given?.0 ?? ExpertCatalog.weightsFile("autoencoder", in: weightsDirectory)
        let autoencoder = try given?.1 ?? ExpertCatalog.loadAutoencoder(from: autoencoderFile)
        let autoencoderID = try Digest.of(file: autoencoderFile)
        var digests = ["autoencoder": autoencoderID, "resnet": try Digest.of(file: ExpertCatalog.weightsFile("resnet", in: weightsDirectory))]
        if let file = expert.weightsFile { digests[expert.name] = try Digest.of(file: file) }
        guard o.images != nil || autoencoder.size == 32 else {
            throw DiagnosisError("\(autoencoderFile.path) is a \(autoencoder.size)×\(autoencoder.size) autoencoder, and FashionScenes are "
                                 + "32×32: use it with --images, or drop --autoencoder")
        }
        return RunInputs(options: options, probe: probe, layers: layers, expert: expert, autoencoder: autoencoder,
                         classifier: try ExpertCatalog.loadClassifier(weightsDirectory: weightsDirectory),
                         weightsHashes: digests.mapValues(\.hex), autoencoderID: autoencoderID, folder: folder, imageSet: imageSet)
    }
}
