import Foundation
import NN
import Progress
import Tensors

/// The steps of one training run, as both trainers use them: Adam with warm-up (a tenth of the
/// steps, at most 200) and cosine decay to 1 % of the peak, gradients clipped to norm 5 in the
/// `GuardedTrainingLoop`, a progress line with a running mean of the loss, and checkpoints that
/// `resume` continues exactly. The scene models (`ModelTrainer`) and the image autoencoder
/// (`ImageAutoencoderTrainer`) differ only in their batches and losses.
struct TrainingRun {
    let label: String
    let steps: Int
    let stepsPerEpoch: Int
    let learningRate: Float
    let checkpointEvery: Int
    let checkpoint: TrainingCheckpoint
    var resume = false
    /// Tests only: end with an error right after the checkpoint at this step, as an interruption would.
    var stopAfterStep: Int?

    /// Trains `model`; `batchLoss(step)` is the loss of that step's batch and any parts of it worth
    /// showing on the progress line.
    func run(_ model: Module, batchLoss: (_ step: Int) -> (loss: Tensor, parts: String)) throws {
        let schedule = LearningRateSchedule.warmupCosine(peak: learningRate, warmup: min(200, steps / 10), total: steps,
                                                         final: learningRate * 0.01)
        let optimizer = Adam(model.trainableParameters, learningRate: learningRate)
        var firstStep = 0, learningRateFactor: Float = 1
        if resume {
            (firstStep, learningRateFactor) = try checkpoint.resume(model: model, optimizer: optimizer, total: steps)
            FileHandle.standardError.write(Data("resuming \(label) at step \(firstStep) of \(steps)\n".utf8))
        }
        let loop = GuardedTrainingLoop(model: model, optimizer: optimizer, schedule: schedule,
                                       settings: TrainingLoopSettings(steps: steps, clipNorm: 5, checkpointEvery: checkpointEvery,
                                                                      reportEvery: 1),
                                       startStep: firstStep, learningRateFactor: learningRateFactor)
        let bar = ProgressBar("train \(label)", total: steps, unit: "steps")
        var parts = "", running: Double?
        _ = try loop.run(batchLoss: { step in
            let l = batchLoss(step)
            parts = l.parts
            return l.loss
        }, progress: { p in
            // Reported after every step; a skipped one (NaN loss) leaves the running mean alone.
            guard p.trainLoss.isFinite else { return }
            let l = Double(p.trainLoss), mean = running.map { 0.98 * $0 + 0.02 * l } ?? l
            running = mean
            bar.update(p.step, status: String(format: "epoch %d loss %.4f", (p.step - 1) / stepsPerEpoch + 1, mean) + parts)
        }, onCheckpoint: { step in
            guard step < steps else { return }
            try checkpoint.write(model: model, optimizer: optimizer, step: step, learningRateFactor: loop.learningRateFactor)
            if step == stopAfterStep { throw TrainingError(description: "stopped after step \(step) (stopAfterStep)") }
        })
        bar.finish(String(format: "loss %.4f", running ?? .nan))
    }
}
