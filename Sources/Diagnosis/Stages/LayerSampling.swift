import FileSupport
import Tensors

/// The generator a layer's stage-5 measurement samples from: its own, derived from the
/// translator seed and the layer's name, so a layer draws the same normals whether it is measured
/// alone (a plan's evaluation task), after other layers or with other layers chosen.
enum LayerSampling {
    static func generator(_ o: DiagnosisOptions, layer: String) -> Xoshiro256 {
        var hash = ContentHash()
        Array("\(o.translatorSeed &+ 77)/\(layer)".utf8).withUnsafeBytes { hash.add($0) }
        return Xoshiro256(seed: hash.value)
    }
}
