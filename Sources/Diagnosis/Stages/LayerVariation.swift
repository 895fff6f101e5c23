import Autoencoder
import Metrics
import Report
import Tensors

/// Stage 5, where a layer's samples vary: the variation map (`PixelVariation`, ΔE) of each scored
/// test input, from the very samples the invariance scores read (no further random draws, so no
/// other number moves), averaged over the label map's regions (`VariationRegions`) and over the
/// inputs (`VariationSummary`), and the mean map over the inputs.
struct LayerVariation {
    let summary: VariationSummary
    /// Mean over the inputs of their maps, row-major `height` × `width`.
    let meanMap: [Float]
    let width: Int
    let height: Int
    let samples: Int
    /// Where the object and background regions came from; nil where none were used.
    let regions: ObjectRegionSource?

    /// Inputs decoded at a time: bounds the decoded images held at once (a 128×128 autoencoder's
    /// 200 × 8 samples would take 315 MB).
    static let inputsPerChunk = 25

    /// `codes`: raw (not standardised) sample codes [m·k, d], input i's k samples at rows i·k…, of
    /// test scenes 0..<m. The label maps' regions are used where the references have label maps at
    /// the decoded images' size.
    static func measure(codes: Tensor, inputs m: Int, samples k: Int, autoencoder: ConvAutoencoder,
                        references: ReferenceImages) -> LayerVariation {
        var regions: [VariationRegions] = []
        var sum: [Double] = [], width = 0, height = 0, masks: [UInt8]?
        for start in stride(from: 0, to: m, by: inputsPerChunk) {
            let end = min(start + inputsPerChunk, m)
            let images = decode(codes.slice(axis: 0, (start * k)..<(end * k)), autoencoder)  // [(end − start)·k, 3, H, W]
            (height, width) = (images.shape[2], images.shape[3])
            let plane = width * height
            if sum.isEmpty {
                sum = [Double](repeating: 0, count: plane)
                let sameSize = references.real.shape[2] == height && references.real.shape[3] == width
                masks = sameSize ? references.objects?.masks : nil
            }
            var lab = [Float](repeating: 0, count: k * 3 * plane), map = [Float](repeating: 0, count: plane)
            images.withUnsafeBufferPointer { pixels in
                lab.withUnsafeMutableBufferPointer { lab in
                    map.withUnsafeMutableBufferPointer { map in
                        for i in start..<end {
                            let offset = (i - start) * k * 3 * plane
                            PixelVariation.map(samples: UnsafeBufferPointer(rebasing: pixels[offset..<(offset + k * 3 * plane)]),
                                               count: k, plane: plane, lab: lab, into: map)
                            for p in 0..<plane { sum[p] += Double(map[p]) }
                            let region = masks.map { masks in
                                masks.withUnsafeBufferPointer { all in
                                    VariationRegions.of(map: UnsafeBufferPointer(map), width: width, height: height,
                                                        objectMask: UnsafeBufferPointer(rebasing: all[(i * plane)..<((i + 1) * plane)]))
                                }
                            } ?? VariationRegions.of(map: UnsafeBufferPointer(map), width: width, height: height, objectMask: nil)
                            regions.append(region)
                        }
                    }
                }
            }
        }
        return LayerVariation(summary: VariationSummary.over(regions), meanMap: sum.map { Float($0 / Double(max(m, 1))) },
                              width: width, height: height, samples: k, regions: masks == nil ? nil : references.objects?.source)
    }

    /// The numbers for report.json, with the mean map's file.
    func result(map: String) -> VariationResult {
        func estimate(_ e: VariationSummary.Estimate?) -> MeanWithError? { e.map { MeanWithError(mean: $0.mean, standardError: $0.standardError) } }
        return VariationResult(meanDeltaE: estimate(summary.whole)!, objectToBackground: estimate(summary.objectToBackground),
                               objectDeltaE: estimate(summary.object), backgroundDeltaE: estimate(summary.background),
                               outlineDeltaE: estimate(summary.outline), inputs: summary.inputs, samples: samples, map: map,
                               regions: summary.objectToBackground == nil ? nil : regions)
    }
}
