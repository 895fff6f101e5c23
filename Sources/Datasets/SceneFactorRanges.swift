/// The distributions FashionScenes draws its factors from (all uniform). Garments are saturated
/// and bright, backgrounds muted, so the garment stays visible on any background.
public enum SceneFactorRanges {
    /// Garment hue, 0..<1 round the colour wheel.
    public static let hue: Range<Float> = 0..<1
    public static let saturation: Range<Float> = 0.45..<1.0
    public static let value: Range<Float> = 0.6..<1.0
    public static let backgroundHue: Range<Float> = 0..<1
    public static let backgroundSaturation: Range<Float> = 0.1..<0.6
    /// Value of the first background colour; the second is this ± `backgroundContrast`.
    public static let backgroundValue: Range<Float> = 0.15..<0.75
    /// Value difference between the two colours of a pattern.
    public static let backgroundContrast: Float = 0.3

    /// The garment's side at scene size `size`: 11/16 of it (22 px at 32, 44 px at 64), leaving
    /// room for offsets.
    public static func garmentSide(sceneSize size: Int) -> Int { size * 11 / 16 }

    /// Largest offset on either axis (the garment's top-left corner goes to 0...maxOffset).
    public static func maxOffset(sceneSize size: Int) -> Int { size - garmentSide(sceneSize: size) }

    /// Width of stripes and checker cells: a quarter of the scene, so two periods span it.
    public static func band(sceneSize size: Int) -> Int { size / 4 }

    /// Garment opacity is `min(1, alphaGain * ink)` with ink the garment's grey level in 0...1:
    /// faint edges blend into the background, the body is opaque even where the cloth is dark.
    public static let alphaGain: Float = 4
    /// Garment colour is scaled by `shadeFloor + (1 - shadeFloor) * ink`, which keeps the
    /// garment's grey texture visible in the colourised result.
    public static let shadeFloor: Float = 0.35

    /// A garment pixel counts as garment (label = class) where its alpha exceeds this.
    public static let labelAlphaThreshold: Float = 0.5
}
