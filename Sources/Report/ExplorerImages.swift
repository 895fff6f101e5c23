/// The pictures report.html's explorer shows beyond the contact sheets, as sprites: one PNG per
/// layer holding every sample drawn for the sheet inputs, so that a reader can pick a layer and an
/// input and see all of them without one file per sample.
public struct ExplorerImages: Codable, Equatable {
    /// `explore/inputs.png`: a row per sheet input, the input then its reconstruction.
    public var inputSprite: String
    /// The test images the rows show (their index among the test images).
    public var inputs: [Int]
    /// A sprite cell's size in pixels: the autoencoder's image size.
    public var width: Int
    public var height: Int
    /// `--sample-selection`: which of the pool's samples the contact sheets show.
    public var selection: SampleSelection
    /// Samples per input on the contact sheets.
    public var shown: Int

    public init(inputSprite: String, inputs: [Int], width: Int, height: Int, selection: SampleSelection, shown: Int) {
        (self.inputSprite, self.inputs, self.width, self.height, self.selection, self.shown) = (inputSprite, inputs, width, height, selection, shown)
    }
}

/// One layer's explorer sprite and the spread of the samples its contact sheet shows.
public struct LayerSprite: Codable, Equatable {
    /// `explore/LAYER.png`: a row per sheet input; `pool` sample columns, then the MLP's output,
    /// then the variation map (ΔE) of all `pool` samples. Cells are `ExplorerImages.width` ×
    /// `height`.
    public var sprite: String
    public var pool: Int
    /// Per sheet input, the pool columns its contact sheet row shows.
    public var shown: [[Int]]
    /// The spread of the shown samples: the mean over sheet inputs of their variation map's mean
    /// (ΔE, `PixelVariation`); `randomDeltaE` is the same for the pool's first samples, which the
    /// random selection shows.
    public var shownDeltaE: Double
    public var randomDeltaE: Double

    public init(sprite: String, pool: Int, shown: [[Int]], shownDeltaE: Double, randomDeltaE: Double) {
        (self.sprite, self.pool, self.shown, self.shownDeltaE, self.randomDeltaE) = (sprite, pool, shown, shownDeltaE, randomDeltaE)
    }
}
