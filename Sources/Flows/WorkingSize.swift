/// The size at which a layer's features reach the condition embedder. Maps of up to
/// `floatsPerSample` values (every tap of the shipped 32×32 experts) are used as they are; larger
/// ones, the rule for imported networks at 224×224, are average-pooled adaptively over their
/// spatial axes by the smallest factor that fits, before they are cached: the embedder then sees
/// at most 48 KiB per scene, and 14,000 scenes of three layers fit in 2.1 GB.
/// What a layer keeps is measured at that resolution (docs/flows.md).
public enum WorkingSize {
    public static let floatsPerSample = 12_288

    /// The working shape of a per-sample feature shape: unchanged unless it is [C, H, W] with more
    /// than `floatsPerSample` values, else [C, h, w] with h ≤ H, w ≤ W scaled by the same factor.
    public static func shape(for shape: [Int]) -> [Int] {
        guard shape.count == 3, shape.reduce(1, *) > floatsPerSample else { return shape }
        let (c, h, w) = (shape[0], shape[1], shape[2])
        var factor = 2
        while c * ((h + factor - 1) / factor) * ((w + factor - 1) / factor) > floatsPerSample && (h > factor || w > factor) { factor += 1 }
        return [c, (h + factor - 1) / factor, (w + factor - 1) / factor]
    }
}
