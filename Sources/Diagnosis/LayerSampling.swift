import Tensors

/// The generator the per-layer stage samples from. The run measures its layers one after another
/// from one generator (translator seed + 77), so layer i starts where layer i − 1 stopped. A plan evaluates
/// each layer in a task of its own, so the task replays the normals the layers before it draw:
/// every layer draws the same count, `normalsPerLayer`, whatever its features (cINN samples for
/// the invariance scores, one per test scene for the Fréchet distance, and the contact sheet's).
enum LayerSampling {
    static func generator(_ o: DiagnosisOptions) -> Xoshiro256 { Xoshiro256(seed: o.translatorSeed &+ 77) }

    /// Normals one layer's `LayerReport.measure` draws: `LayerEvaluation.run` samples `scoredSamples`
    /// per scored input and one per test scene; `LayerReport.sheet` `samples` per sheet input.
    static func normalsPerLayer(_ o: DiagnosisOptions, codeDimension d: Int, sheetInputs: Int) -> Int {
        let n = o.testScenes, m = min(o.scoredInputs, n)
        return (m * o.scoredSamples + n + sheetInputs * o.samples) * d
    }

    /// The generator as the run has it when it starts on the layer at `index`.
    static func generator(_ o: DiagnosisOptions, layerAt index: Int, codeDimension d: Int, sheetInputs: Int) -> Xoshiro256 {
        var rng = generator(o)
        for _ in 0..<(index * normalsPerLayer(o, codeDimension: d, sheetInputs: sheetInputs)) { _ = rng.nextNormal() }
        return rng
    }

    /// What the generator draws next, from a copy: equal fingerprints mean the same state (the
    /// spare normal included), so a task can check that its replay met the run's state.
    static func fingerprint(_ rng: Xoshiro256) -> [UInt64] {
        var copy = rng
        return [UInt64(copy.nextNormal().bitPattern), UInt64(copy.nextNormal().bitPattern), copy.next(), copy.next(), copy.next(), copy.next()]
    }
}
