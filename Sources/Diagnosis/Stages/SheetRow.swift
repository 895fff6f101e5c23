import Metrics
import Report
import Tensors

/// One sheet input's decoded pictures of a layer: every cINN sample drawn for it (the pool the
/// explorer shows), the ones its contact sheet row shows (`SampleSelection`), and the MLP's output.
struct SheetRow {
    /// Each [1, 3, H, W].
    let pool: [Tensor]
    /// Indices into `pool`.
    let shown: [Int]
    let mlp: Tensor

    var samples: [Tensor] { shown.map { pool[$0] } }

    /// The `k` of `codes` (one input's pool, standardised, [pool, d]) that `selection` shows.
    static func select(_ k: Int, of codes: Tensor, by selection: SampleSelection) -> [Int] {
        switch selection {
        case .random: return Array(0..<k)
        case .diverse: return FarthestPoints.select(k, of: codes.scalars, dimensions: codes.shape[1])
        }
    }

    /// How far `images` (each [1, 3, H, W]) spread: the mean of their variation map (ΔE).
    static func spread(_ images: [Tensor]) -> Double {
        let plane = images[0].shape[2] * images[0].shape[3]
        let map = PixelVariation.map(samples: images.flatMap(\.scalars), count: images.count, plane: plane)
        return map.reduce(0) { $0 + Double($1) } / Double(plane)
    }
}
