/// Where a layer's decoded samples vary, in colour (docs/report.md, "Variation maps"): per pixel
/// the root mean squared CIELAB distance (ΔE*ab, D65) of an input's samples to their mean, averaged
/// over the pixels of a region and then over the scored test inputs, ± the standard error over
/// inputs. The object and background come from the test scenes' label maps or, on images without
/// them, from a segmenter's own output (`regions`); where neither is there only `meanDeltaE` is.
public struct VariationResult: Codable, Equatable {
    /// Over the whole image.
    public var meanDeltaE: MeanWithError
    /// Mean object variation / mean background variation (a ratio of means over the inputs that
    /// have both), standard error by the delta method.
    public var objectToBackground: MeanWithError?
    public var objectDeltaE: MeanWithError?
    public var backgroundDeltaE: MeanWithError?
    /// On the object's outline: pixels with a 4-neighbour on the other side of the boundary.
    public var outlineDeltaE: MeanWithError?
    /// How many test inputs, each with `samples` decoded samples.
    public var inputs: Int
    public var samples: Int
    /// The mean map over the inputs, relative to the report folder.
    public var map: String
    /// Where the object and background regions come from; nil without regions.
    public var regions: ObjectRegionSource?

    public init(meanDeltaE: MeanWithError, objectToBackground: MeanWithError? = nil, objectDeltaE: MeanWithError? = nil,
                backgroundDeltaE: MeanWithError? = nil, outlineDeltaE: MeanWithError? = nil, inputs: Int, samples: Int, map: String,
                regions: ObjectRegionSource? = nil) {
        (self.meanDeltaE, self.objectToBackground, self.objectDeltaE) = (meanDeltaE, objectToBackground, objectDeltaE)
        (self.backgroundDeltaE, self.outlineDeltaE, self.inputs, self.samples, self.map) = (backgroundDeltaE, outlineDeltaE, inputs, samples, map)
        self.regions = regions
    }
}

/// The one colour scale of every variation map: the sheets' `dE` column, the mean maps and
/// report.html's explorer, on the heat maps' viridis-like ramp; larger values take the top colour.
public enum VariationScale {
    public static let range: ClosedRange<Float> = 0...40
}
