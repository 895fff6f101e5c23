import Autoencoder
import Datasets
import Foundation
import Imaging
import NN
import Progress
import Tensors

/// Trains the autoencoder on a user's image set (`diagnose train autoencoder --images PATH`):
/// every image read once and fitted to size×size (`ImageSet`), split by content (the train and
/// selection images train it, the test images measure it), then the scene recipe's loop — Adam with warm-up and cosine decay,
/// gradients clipped to norm 5, checkpoints that `resume` continues exactly — on the loss
/// `AutoencoderObjective.loss(_:images:rng:)`: pixels and KL, no perceptual term (no network
/// here knows the user's images; docs/images.md). Writes the weights with the recipe, the image
/// set's identity and the test PSNR in their metadata, and a sheet of test images over their
/// reconstructions beside them.
///
/// Every random choice derives from the seed and the step, so a resumed run continues exactly as
/// an uninterrupted one would.
public enum ImageAutoencoderTrainer {
    /// The positions (into the training images) of one epoch, in the order they are used: a
    /// seeded permutation, new every epoch.
    static func order(epoch: Int, count: Int, seed: UInt64) -> [Int] {
        var shuffle = Xoshiro256(seed: seed &* 1_000_003 &+ UInt64(epoch))
        return shuffle.permutation(count)
    }

    /// The fewest images an autoencoder is trained and measured on.
    public static let minimumTrain = 64, minimumTest = 8

    /// The version of the recipe below (loop, loss, schedule, split use): part of every trained
    /// autoencoder's recipe, so a change here retires the autoencoders a diagnosis cached.
    public static let recipeVersion = 1

    public static func train(_ o: ImageAutoencoderOptions, command: String) throws -> ImageAutoencoderResult {
        try o.check()
        let table = try ImageTable.open(o.images)
        try refuseWritingInside(table, o)
        let reading = ProgressBar("read images", total: table.rows.count, unit: "images")
        let set = try ImageSet.open(table, size: o.size, maxBadFraction: o.maxBadFraction) { done, _ in reading.update(done) }
        reading.finish("\(set.items.count) images, \(set.skipped.count) skipped")
        for s in set.skipped { reading.note("warning: skipped \(s.path): \(s.reason)") }
        return try train(o, on: set, command: command)
    }

    /// Trains on an image set already read at `o.size` (a diagnosis reads it once for both).
    public static func train(_ o: ImageAutoencoderOptions, on set: ImageSet, command: String) throws -> ImageAutoencoderResult {
        let started = Date()
        try o.check()
        precondition(set.size == o.size, "the image set is fitted to \(set.size), the autoencoder is \(o.size)")
        let train = set.indices(in: .train) + set.indices(in: .selection), test = set.indices(in: .test)
        guard train.count >= minimumTrain, test.count >= minimumTest else {
            throw DatasetError.tooFewImages(source: set.source, train: train.count, test: test.count,
                                            neededTrain: minimumTrain, neededTest: minimumTest)
        }
        guard o.batchSize <= train.count else {
            throw TrainingError(description: "--batch-size \(o.batchSize) is larger than the \(train.count) training images; "
                                + "use at most \(train.count), or add images")
        }
        try FileManager.default.createDirectory(at: o.output.deletingLastPathComponent(), withIntermediateDirectories: true)

        let model = ConvAutoencoder(latentDim: o.resolvedLatentDim, width: o.width, size: o.size, seed: o.seed)
        let recipe = o.recipe(for: set)
        let checkpoint = TrainingCheckpoint(weights: o.checkpointFile, optimizerState: o.companion("optimizer.safetensors"),
                                            recipe: recipe)
        try runLoop(model, o, set: set, train: train, checkpoint: checkpoint)
        model.eval()
        let result = try publish(model, o, set: set, train: train, test: test, recipe: recipe, command: command, started: started)
        checkpoint.remove()
        return result
    }

    /// The training steps (`TrainingRun`), from the checkpoint with `resume`.
    static func runLoop(_ model: ConvAutoencoder, _ o: ImageAutoencoderOptions, set: ImageSet, train: [Int],
                        checkpoint: TrainingCheckpoint) throws {
        let objective = AutoencoderObjective(klWeight: o.klWeight, garmentWeight: 0, perceptualWeight: 0, classifier: nil)
        let stepsPerEpoch = train.count / o.batchSize
        var run = TrainingRun(label: "autoencoder \(o.size)x\(o.size)", steps: o.steps, stepsPerEpoch: stepsPerEpoch,
                              learningRate: o.learningRate, checkpointEvery: o.checkpointEvery, checkpoint: checkpoint)
        run.resume = o.resume
        run.stopAfterStep = o.stopAfterStep
        var epochOrder: (epoch: Int, positions: [Int])?
        try run.run(model) { step in
            let epoch = step / stepsPerEpoch
            if epochOrder?.epoch != epoch { epochOrder = (epoch, order(epoch: epoch, count: train.count, seed: o.seed)) }
            let at = (step % stepsPerEpoch) * o.batchSize
            let batch = epochOrder!.positions[at..<(at + o.batchSize)].map { train[$0] }
            let x = Tensor(shape: [batch.count, 3, o.size, o.size], scalars: set.floats(batch))
            var rng = Xoshiro256(seed: o.seed ^ (UInt64(step) &* 0x9E37_79B9_7F4A_7C15))
            let l = objective.loss(model, images: x, rng: &rng)
            return (l.total, String(format: " (pixels %.4f)", l.pixels))
        }
    }

    /// The test PSNR, the reconstruction sheet beside the weights, and the weights with their
    /// recipe and measurements in the metadata.
    static func publish(_ model: ConvAutoencoder, _ o: ImageAutoencoderOptions, set: ImageSet, train: [Int], test: [Int],
                        recipe: [String: String], command: String, started: Date) throws -> ImageAutoencoderResult {
        let psnr = testPSNR(model, set, test)
        // Spread over the test split: folders list images class by class, so its first few
        // would often show one class only.
        let shown = min(o.sheetImages, test.count)
        let sheetIndices = (0..<shown).map { test[$0 * test.count / shown] }
        let sheetImages = Tensor(shape: [sheetIndices.count, 3, o.size, o.size], scalars: set.floats(sheetIndices))
        let sheet = o.companion("reconstructions.png")
        try Evaluation.reconstructionSheet(model, images: sheetImages, inputHeader: "image", scale: max(1, 128 / o.size))
            .writePNG(to: sheet.path)
        let seconds = Date().timeIntervalSince(started)
        var meta = recipe
        meta["architecture"] = "ConvAutoencoder"
        meta["parameters"] = "\(model.parameterCount)"
        meta["loss"] = "L1 + squared error per pixel + KL (weight per latent dimension relative to the pixels per image); no perceptual term"
        meta["image_set"] = o.images
        meta["train_images"] = "\(train.count)"
        meta["test_images"] = "\(test.count)"
        meta["skipped_files"] = "\(set.skipped.count)"
        meta["split"] = ImageSet.Split.rule
        meta["data"] = "images fitted to \(o.size)x\(o.size) (centre crop, antialiased bilinear resize as Pillow's ImageOps.fit); "
            + "train split for training, test split for metrics"
        meta["test_psnr_db"] = String(format: "%.4f", psnr)
        meta["training_command"] = command
        meta["training_seconds"] = String(format: "%.0f", seconds)
        try model.save(to: o.output, metadata: meta)
        return ImageAutoencoderResult(weights: o.output, sheet: sheet, testPSNR: psnr, trainImages: train.count, testImages: test.count,
                                      skipped: set.skipped, seconds: seconds)
    }

    /// PSNR in dB of reconstructions through the encoder mean over all pixels of the images at
    /// `indices` (values 0…1, so the peak is 1), from the mean squared error.
    static func testPSNR(_ model: ConvAutoencoder, _ set: ImageSet, _ indices: [Int], batch: Int = 100) -> Double {
        var squared = 0.0, count = 0
        model.inferring {
            for start in stride(from: 0, to: indices.count, by: batch) {
                let part = Array(indices[start..<min(start + batch, indices.count)])
                let x = Tensor(shape: [part.count, 3, set.size, set.size], scalars: set.floats(part))
                let d = (model.reconstruction(x) - x).squared()
                d.withUnsafeBufferPointer { for v in $0 { squared += Double(v) } }
                count += d.count
            }
        }
        return 10 * log10(1 / max(squared / Double(max(count, 1)), 1e-12))
    }

    /// An image folder is only ever read: weights, checkpoints or the sheet written inside it
    /// would become images of the set at the next scan.
    static func refuseWritingInside(_ table: ImageTable, _ o: ImageAutoencoderOptions) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: table.source, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        func resolved(_ url: URL) -> String { url.standardizedFileURL.resolvingSymlinksInPath().path }
        let folder = resolved(URL(fileURLWithPath: table.source))
        // The output's folder may not exist yet, so resolve the part that does.
        let target = resolved(o.output.deletingLastPathComponent()) + "/" + o.output.lastPathComponent
        if target.hasPrefix(folder == "/" ? "/" : folder + "/") {
            throw TrainingError(description: "--out \(o.output.path) is inside the image folder \(table.source), which is only read "
                                + "(the weights and the reconstruction sheet would join the images); write it elsewhere, "
                                + "e.g. --out runs/\(o.output.lastPathComponent)")
        }
    }
}
