import Foundation
import XCTest
@testable import Flows
import NN
import Tensors

/// Not part of the normal suite: with FLOWS_REFERENCE_RUN=1, trains the default-size cINN
/// (10 blocks, width 256, 128-d embedding from 64×8×8 features) and the unconditional flow on a
/// synthetic 64-d linear-Gaussian problem and prints held-out NLLs against the truth and the
/// trainer's speed. FLOWS_REFERENCE_STEPS sets the steps (default 600), FLOWS_REFERENCE_PAIRS the
/// training pairs (default 8000).
final class ReferenceSizeRun: XCTestCase {
    func testDefaultSizeTraining() throws {
        let env = ProcessInfo.processInfo.environment
        guard env["FLOWS_REFERENCE_RUN"] == "1" else { throw XCTSkip("set FLOWS_REFERENCE_RUN=1") }
        let steps = Int(env["FLOWS_REFERENCE_STEPS"] ?? "") ?? 600
        let sigma: Float = 0.3
        var rng = Xoshiro256(seed: 21)
        // z = A·pool(features) + σ·ε: the code depends on 16 channel means of the map.
        let a = Tensor.normal([64, 16], std: 0.5, rng: &rng)
        func make(_ n: Int) throws -> TranslationPairs {
            let f = Tensor.normal([n, 64, 8, 8], rng: &rng) + Tensor.normal([n, 64, 1, 1], std: 2, rng: &rng)
            let pooled = f.mean(axes: [2, 3]).slice(axis: 1, 0..<16)
            let z = Tensor.matmul(pooled, a, transposeB: true) + Tensor.normal([n, 64], std: sigma, rng: &rng)
            return try TranslationPairs(codes: z, features: f)
        }
        let train = try make(Int(env["FLOWS_REFERENCE_PAIRS"] ?? "") ?? 8000), held = try make(1000)
        var t = TrainingConfiguration()
        t.steps = steps
        t.evaluateEvery = max(steps / 4, 1)
        t.reportEvery = 50
        let truth = 0.5 * Foundation.log(2 * Double.pi * M_E * Double(sigma * sigma))
        let model = try ConditionalFlow(configuration: FlowConfiguration(), embedder: .automatic(featureShape: [64, 8, 8]))
        let result = try TranslatorTrainer(model: model, configuration: t).train(training: train, heldOut: held) { p in
            print(String(format: "  step %d/%d train %.3f held-out %@ %.2f steps/s lr %.2e", p.step, p.totalSteps, p.trainLoss,
                         p.heldOutLoss.map { String(format: "%.3f", $0) } ?? "-", p.stepsPerSecond, p.learningRate))
        }
        print(String(format: "reference-size cINN: held-out NLL %.3f nats/dim (truth %.3f) after %d steps, %.1f s",
                     result.bestHeldOutLoss, truth, steps, result.seconds))
        let uncond = try UnconditionalFlow(configuration: FlowConfiguration())
        let u = try TranslatorTrainer(model: uncond, configuration: t)
            .train(training: try TranslationPairs(codes: train.codes, features: nil),
                   heldOut: try TranslationPairs(codes: held.codes, features: nil))
        print(String(format: "reference-size unconditional: held-out NLL %.3f nats/dim, %.1f s", u.bestHeldOutLoss, u.seconds))
        XCTAssertLessThan(result.bestHeldOutLoss, u.bestHeldOutLoss)
    }
}
