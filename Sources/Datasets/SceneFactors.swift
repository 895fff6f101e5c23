import Imaging

/// The generative factors of one scene: everything that decides its pixels.
public struct SceneFactors: Equatable, Sendable {
    /// Side of the scene in pixels (offsets are relative to it).
    public var sceneSize: Int
    /// Garment class 0...9 (FashionMNIST.classNames).
    public var classLabel: Int
    /// Index of the garment in its Fashion-MNIST split (garment identity).
    public var sourceIndex: Int
    /// Garment colour: hue in 0..<1, saturation and value as in SceneFactorRanges.
    public var hue: Float
    public var saturation: Float
    public var value: Float
    /// Top-left corner of the garment's box, 0...maxOffset.
    public var offsetX: Int
    public var offsetY: Int
    public var backgroundKind: BackgroundKind
    /// HSV of the first background colour (the second shares hue and saturation).
    public var backgroundHue: Float
    public var backgroundSaturation: Float
    public var backgroundValue: Float
    public var backgroundColor1: RGBColor
    /// Equal to `backgroundColor1` for solid backgrounds.
    public var backgroundColor2: RGBColor

    public var className: String { FashionMNIST.classNames[classLabel] }

    /// Garment colour at full ink.
    public var garmentColor: RGBColor { RGBColor(hue: hue, saturation: saturation, value: value) }

    /// The factors read-outs use, in a fixed order with stable names. `source_index` is not among
    /// them (tens of thousands of classes); it stays available as `sourceIndex`.
    public static let descriptors: [FactorDescriptor] = [
        FactorDescriptor(name: "class", kind: .categorical(classes: 10), summary: "garment class (Fashion-MNIST label)"),
        FactorDescriptor(name: "hue", kind: .circular(period: 1), summary: "garment hue"),
        FactorDescriptor(name: "saturation", kind: .continuous(closed(SceneFactorRanges.saturation)), summary: "garment saturation"),
        FactorDescriptor(name: "value", kind: .continuous(closed(SceneFactorRanges.value)), summary: "garment brightness (HSV value)"),
        FactorDescriptor(name: "offset_x", kind: .continuous(0...1), summary: "garment left edge / max offset"),
        FactorDescriptor(name: "offset_y", kind: .continuous(0...1), summary: "garment top edge / max offset"),
        FactorDescriptor(name: "background_kind", kind: .categorical(classes: BackgroundKind.allCases.count),
                         summary: "0 solid, 1 horizontal stripes, 2 vertical stripes, 3 checker"),
        FactorDescriptor(name: "background_hue", kind: .circular(period: 1), summary: "hue of both background colours"),
        FactorDescriptor(name: "background_saturation", kind: .continuous(closed(SceneFactorRanges.backgroundSaturation)), summary: "saturation of both background colours"),
        FactorDescriptor(name: "background_value", kind: .continuous(closed(SceneFactorRanges.backgroundValue)), summary: "brightness of the first background colour"),
    ]

    private static func closed(_ r: Range<Float>) -> ClosedRange<Float> { r.lowerBound...r.upperBound }

    /// The factor names in `descriptors` order.
    public static var names: [String] { descriptors.map(\.name) }

    /// Numeric values in `descriptors` order: categorical as class codes, offsets as fractions
    /// of the largest offset, the rest as drawn.
    public var values: [Float] {
        let maxOffset = Float(max(SceneFactorRanges.maxOffset(sceneSize: sceneSize), 1))
        return [
            Float(classLabel), hue, saturation, value,
            Float(offsetX) / maxOffset, Float(offsetY) / maxOffset,
            Float(backgroundKind.rawValue), backgroundHue, backgroundSaturation, backgroundValue,
        ]
    }

    /// Name -> value, the same numbers as `values`.
    public var encoded: [String: Float] {
        Dictionary(uniqueKeysWithValues: zip(SceneFactors.names, values))
    }

    /// A short human caption, e.g. "Coat h0.42 checker at 3,7".
    public var caption: String {
        "\(className) h\(format2(hue)) \(backgroundKind) at \(offsetX),\(offsetY)"
    }

    /// Two decimals without Foundation's locale-dependent formatting.
    private func format2(_ x: Float) -> String {
        let hundredths = Int((x * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
