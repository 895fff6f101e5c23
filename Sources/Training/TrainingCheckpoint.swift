import Foundation
import NN
import SafeTensors
import Tensors

/// The two files that let an interrupted training run continue: the model's weights with the step
/// reached in their metadata, and the optimizer's state. Written atomically (safetensors through
/// `Checkpoint`) at every checkpoint, read by `--resume`, removed once the final weights exist.
///
/// `recipe` is metadata that must be the same when resuming (the image set, the size, the
/// batch size…): resuming with other options would silently train something else, so a
/// difference is an error naming the key.
struct TrainingCheckpoint {
    let weights: URL
    let optimizerState: URL
    var recipe: [String: String] = [:]

    /// The step, learning-rate factor and update count of a checkpoint, loaded into `model` and
    /// `optimizer`; `total` is the run's step count.
    func resume(model: Module, optimizer: Adam, total: Int) throws -> (step: Int, learningRateFactor: Float) {
        guard FileManager.default.fileExists(atPath: weights.path) else {
            throw TrainingError(description: "--resume: no checkpoint at \(weights.path); run without --resume to start")
        }
        let meta = try SafeTensorsFile.read(contentsOf: weights).metadata
        for (key, value) in recipe.sorted(by: { $0.key < $1.key }) where meta[key] != value {
            throw TrainingError(description: "--resume: \(weights.path) was written with \(key) '\(meta[key] ?? "(missing)")', "
                                + "this run has '\(value)'; resume with the options of the interrupted run, or delete the checkpoint "
                                + "and run without --resume")
        }
        try model.load(contentsOf: weights)
        guard let step = meta["step"].flatMap({ Int($0) }), (0...total).contains(step) else {
            throw TrainingError(description: "\(weights.path): metadata 'step' is '\(meta["step"] ?? "(missing)")', expected an "
                                + "integer in 0...\(total); delete the checkpoint and run without --resume")
        }
        // Written since the loop halves the rate at non-finite steps; older checkpoints ran at 1.
        let factor = meta["learning_rate_factor"].flatMap { Float($0) } ?? 1
        let updates = meta["updates"].flatMap { Int($0) } ?? step
        try optimizer.load(state: Checkpoint.tensors(in: .read(contentsOf: optimizerState)))
        guard optimizer.stepCount == updates else {
            throw TrainingError(description: "\(optimizerState.path) is from update \(optimizer.stepCount), the checkpoint from \(updates)")
        }
        return (step, factor)
    }

    /// Writes both files for `step` steps done.
    func write(model: Module, optimizer: Adam, step: Int, learningRateFactor: Float) throws {
        var meta = recipe
        meta["step"] = "\(step)"
        meta["learning_rate_factor"] = "\(learningRateFactor)"
        meta["updates"] = "\(optimizer.stepCount)"
        try model.save(to: weights, metadata: meta)
        try Checkpoint.write(optimizer.state().map { StateEntry(key: $0.key, value: $0.value) }, to: optimizerState)
    }

    /// Removes both files (after the final weights are written).
    func remove() {
        try? FileManager.default.removeItem(at: weights)
        try? FileManager.default.removeItem(at: optimizerState)
    }
}
