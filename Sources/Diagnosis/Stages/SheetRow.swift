import Metrics
import Report
import Tensors

/// One sheet input's decoded pictures of a layer: every cINN sample drawn for it (the pool the
/// explorer shows), the ones its contact sheet row shows (`SampleSelection`), the MLP's output,
/// and where the shown samples vary, computed once for the layer's sheet, the overview and the
/// spread the report gives.
struct SheetRow {
    /// Each [1, 3, H, W].
    let pool: [Tensor]
    /// Indices into `pool`.
    let shown: [Int]
    let mlp: Tensor
    /// The shown samples' variation map (`PixelVariation`, ΔE), row-major H × W.
    let variation: [Float]

    init(pool: [Tensor], shown: [Int], mlp: Tensor) {
        (self.pool, self.shown, self.mlp) = (pool, shown, mlp)
        variation = Self.variationMap(shown.map { pool[$0] })
    }

    var samples: [Tensor] { shown.map { pool[$0] } }
    var width: Int { pool[0].shape[3] }
    var height: Int { pool[0].shape[2] }

    /// How far the shown samples spread: the mean of their variation map (ΔE).
    var spread: Double { Self.mean(variation) }

    /// How far the pool's first `k` samples spread, what the random selection shows.
    func firstSpread(_ k: Int) -> Double {
        shown == Array(0..<k) ? spread : Self.mean(Self.variationMap(Array(pool.prefix(k))))
    }

    /// The `k` of `codes` (one input's pool, standardised, [pool, d]) that `selection` shows.
    static func select(_ k: Int, of codes: Tensor, by selection: SampleSelection) -> [Int] {
        switch selection {
        case .random: return Array(0..<k)
        case .diverse: return FarthestPoints.select(k, of: codes.scalars, dimensions: codes.shape[1])
        }
    }

    /// The variation map of `images` (each [1, 3, H, W]).
    static func variationMap(_ images: [Tensor]) -> [Float] {
        PixelVariation.map(samples: images.flatMap(\.scalars), count: images.count, plane: images[0].shape[2] * images[0].shape[3])
    }

    private static func mean(_ map: [Float]) -> Double { map.reduce(0) { $0 + Double($1) } / Double(map.count) }
}
