import Datasets
import FileSupport
import Foundation
import Training

/// Stage 1 (with `RunInputs`): the autoencoder of a run on the user's images when `--autoencoder`
/// names none. The shipped autoencoder knows only FashionScenes, so the run trains one on the
/// images' train and selection splits with `diagnose train autoencoder`'s recipe (test PSNR on
/// the test split) and caches it as CACHE/autoencoders/DIGEST.safetensors, DIGEST being that of
/// the recipe: the image set's identity, size, steps, the trainer's version. The next run on the
/// same images reuses it; another image, size or step count trains anew. Its seed is fixed, not
/// the run's `--seed`, so runs that differ only in their seed share one autoencoder.
enum OwnAutoencoder {
    /// The training's settings for the images of `set` under run options `o`, written to `output`.
    static func options(_ o: DiagnosisOptions, set: ImageSet, output: URL) -> ImageAutoencoderOptions {
        var a = ImageAutoencoderOptions(images: set.source, size: set.size, output: output)
        a.steps = o.autoencoderSteps ?? ImageAutoencoderOptions.defaultSteps
        a.maxBadFraction = o.maxBadFraction
        return a
    }

    /// The cached weights file for `set`, trained first if the cache does not hold it. An
    /// interrupted training resumes from its checkpoint beside the file.
    static func file(for set: ImageSet, _ o: DiagnosisOptions) throws -> URL {
        let recipe = options(o, set: set, output: URL(fileURLWithPath: "")).recipe(for: set)
        let file = o.cacheDirectory.appendingPathComponent("autoencoders/\(Digest.of(recipe).hex).safetensors")
        if FileManager.default.fileExists(atPath: file.path) { return file }
        var a = options(o, set: set, output: file)
        a.resume = FileManager.default.fileExists(atPath: a.checkpointFile.path)
        FileHandle.standardError.write(Data(("no --autoencoder: training one on \(set.source) at \(set.size)x\(set.size) for \(a.steps) "
            + "steps; it is cached as \(file.path) for the next run on these images\n").utf8))
        let result = try ImageAutoencoderTrainer.train(a, on: set, command: "diagnose --images \(set.source) --autoencoder-size "
                                                       + "\(set.size) --autoencoder-steps \(a.steps)")
        FileHandle.standardError.write(Data(String(format: "autoencoder: test PSNR %.2f dB on %d test images, %.0f s\n",
                                                   result.testPSNR, result.testImages, result.seconds).utf8))
        return file
    }
}
