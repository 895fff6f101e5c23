import Datasets
import Foundation
import NN
import Progress
import Tensors

/// Small networks that read each scene factor from an autoencoder code, trained on codes of real
/// scenes whose factors are known. They turn decoded samples into numbers: a sample's predicted
/// hue, class, background kind, ... (design.md §3.6).
///
/// One shared trunk (2 hidden layers) and one head per factor: class logits for categorical
/// factors, a standardised value for continuous ones, (cos, sin) for circular ones.
public final class FactorReadout: Module {
    let trunk: Sequential
    let heads: [Linear]
    public let factors: [FactorDescriptor]
    private var codeMean: Tensor, codeStd: Tensor
    private var targetMean: [Float], targetStd: [Float]

    public init(codeDimensions d: Int, factors: [FactorDescriptor] = SceneFactors.descriptors, width: Int = 256, seed: UInt64 = 0) {
        var rng = Xoshiro256(seed: seed)
        trunk = Sequential(Linear(d, width, rng: &rng), LeakyReLU(0.1), Linear(width, width, rng: &rng), LeakyReLU(0.1))
        heads = factors.map { f in
            switch f.kind {
            case .categorical(let k): return Linear(width, k, rng: &rng)
            case .continuous: return Linear(width, 1, rng: &rng)
            case .circular: return Linear(width, 2, rng: &rng)
            }
        }
        self.factors = factors
        codeMean = Tensor.zeros([d]); codeStd = Tensor.ones([d])
        targetMean = Array(repeating: 0, count: factors.count); targetStd = Array(repeating: 1, count: factors.count)
    }

    /// Trains on codes [N, d] with factor values [N][F] (as `SceneFactors.values`). A NaN value is
    /// missing (an image without that attribute): it takes no part in its factor's loss.
    public func fit(codes: Tensor, values: [[Float]], steps: Int = 1500, batchSize: Int = 256, seed: UInt64 = 0) {
        let n = codes.shape[0], d = codes.shape[1]
        Autograd.withoutGradients {
            codeMean = codes.mean(axes: [0])
            codeStd = ((codes - codeMean).squared().mean(axes: [0]) + 1e-8).sqrt()
        }
        for (j, f) in factors.enumerated() {
            if case .continuous = f.kind {
                let col = values.map { $0[j] }.filter { !$0.isNaN }
                let m = col.reduce(0, +) / Float(max(col.count, 1))
                targetMean[j] = m
                targetStd[j] = max((col.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(max(col.count, 1))).squareRoot(), 1e-6)
            }
        }
        let normalized = Autograd.withoutGradients { (codes - codeMean) / codeStd }
        train()
        let optimizer = Adam(trainableParameters, learningRate: 2e-3, weightDecay: 1e-4)
        let schedule = LearningRateSchedule.warmupCosine(peak: 2e-3, warmup: 50, total: steps, final: 2e-5)
        var rng = Xoshiro256(seed: seed)
        let bar = ProgressBar("read-outs", total: steps, unit: "steps")
        for step in 0..<steps {
            let idx = (0..<min(batchSize, n)).map { _ in rng.nextInt(below: n) }
            let x = normalized.gather(axis: 0, indices: idx)
            let h = trunk(x)
            var loss = Tensor(0)
            for (j, f) in factors.enumerated() {
                // The batch rows that have this factor; all of them for a factor nothing lacks.
                let rows = idx.indices.filter { !values[idx[$0]][j].isNaN }
                guard !rows.isEmpty else { continue }
                let all = heads[j](h), out = rows.count == idx.count ? all : all.gather(axis: 0, indices: rows)
                let idx = rows.map { idx[$0] }
                switch f.kind {
                case .categorical:
                    loss = loss + Tensor.crossEntropy(logits: out, targets: idx.map { Int(values[$0][j].rounded()) })
                case .continuous:
                    let t = Tensor(shape: [idx.count, 1], scalars: idx.map { (values[$0][j] - targetMean[j]) / targetStd[j] })
                    loss = loss + Tensor.mse(out, t)
                case .circular(let period):
                    let t = Tensor(shape: [idx.count, 2], scalars: idx.flatMap { i -> [Float] in
                        let a = 2 * Float.pi * values[i][j] / period
                        return [cos(a), sin(a)]
                    })
                    loss = loss + Tensor.mse(out, t)
                }
            }
            optimizer.learningRate = schedule.rate(at: step)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            bar.update(step + 1)
        }
        bar.finish()
        _ = d
        eval()
    }

    /// Predicted factor values for codes [N, d]: one array of N per factor (class index for
    /// categorical, value for continuous, angle in 0..<period for circular).
    public func predict(_ codes: Tensor) -> [[Float]] { outputs(codes, classProbabilities: false) }

    /// What the invariance scores compare (InvarianceScore): as `predict`, but class
    /// probabilities (N·k numbers, one row of k per code) for categorical factors.
    public func scoringValues(_ codes: Tensor) -> [[Float]] { outputs(codes, classProbabilities: true) }

    private func outputs(_ codes: Tensor, classProbabilities: Bool) -> [[Float]] {
        Autograd.withoutGradients {
            let h = trunk((codes - codeMean) / codeStd)
            return factors.enumerated().map { j, f -> [Float] in
                let out = heads[j](h)
                switch f.kind {
                case .categorical:
                    return classProbabilities ? out.softmax().scalars : out.argmax(axis: 1).map(Float.init)
                case .continuous:
                    return out.scalars.map { $0 * targetStd[j] + targetMean[j] }
                case .circular(let period):
                    let s = out.scalars
                    return (0..<codes.shape[0]).map { i in
                        var a = atan2(s[2 * i + 1], s[2 * i]) / (2 * .pi) * period
                        if a < 0 { a += period }
                        return a
                    }
                }
            }
        }
    }

    /// Held-out quality per factor: accuracy (categorical), R² (continuous), or
    /// 1 − mean angular error / quarter period... reported as the mean cosine of the angular error
    /// (circular: 1 = exact, 0 = chance). `chance` is what a constant guess scores. Codes whose
    /// value is missing (NaN) are left out of their factor's quality.
    public func quality(codes: Tensor, values: [[Float]]) -> [(factor: String, metric: String, value: Double, chance: Double)] {
        let all = predict(codes)
        return factors.enumerated().map { j, f in
            let present = values.indices.filter { !values[$0][j].isNaN }
            let truth = present.map { values[$0][j] }, n = max(present.count, 1)
            let predicted = present.map { all[j][$0] }
            switch f.kind {
            case .categorical(let k):
                let correct = zip(predicted, truth).filter { Int($0.rounded()) == Int($1.rounded()) }.count
                var counts = [Int](repeating: 0, count: k)
                for t in truth { counts[min(max(Int(t.rounded()), 0), k - 1)] += 1 }
                return (f.name, "accuracy", Double(correct) / Double(n), Double(counts.max() ?? 0) / Double(n))
            case .continuous:
                let mean = truth.reduce(0, +) / Float(n)
                let total = truth.reduce(0) { $0 + Double(($1 - mean) * ($1 - mean)) }
                let residual = zip(predicted, truth).reduce(0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
                return (f.name, "R²", 1 - residual / max(total, 1e-12), 0)
            case .circular(let period):
                let c = zip(predicted, truth).reduce(0.0) { $0 + Double(cos(2 * .pi * ($1.0 - $1.1) / period)) }
                return (f.name, "mean cos(error)", c / Double(n), 0)
            }
        }
    }
}
