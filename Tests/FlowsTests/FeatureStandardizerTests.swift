import XCTest
@testable import Flows
import Tensors

/// Per-channel standardisation of expert features: channels that vary are scaled to unit
/// variance; a constant or nearly dead channel is not blown up.
final class FeatureStandardizerTests: XCTestCase {
    func testNearlyDeadAndConstantChannelsAreScaledLikeTheMedianChannel() {
        // Spreads as measured on EfficientNet-Lite0's early layer: median 0.47, a clipped channel 4e-7.
        XCTAssertEqual(FeatureStandardizer.scales([0.47, 0.5, 4e-7, 0, 0.3]), [0.47, 0.5, 0.47, 0.47, 0.3])
        XCTAssertEqual(FeatureStandardizer.scales([0.25, 0.5, 0.0004, 0.0006]), [0.25, 0.5, 0.0004, 0.0006],
                       "at or above a thousandth of the median the channel's own spread is used")
        XCTAssertEqual(FeatureStandardizer.scales([0, 0]), [1, 1], "nothing varies: unit scale")
    }

    /// Trained on features whose second channel is nearly dead, a new image that is a little more
    /// active there stays near 0 in that channel, while the first channel is standardised.
    func testANewImageInANearlyDeadChannelIsNoOutlier() {
        var values: [Float] = []
        for i in 0..<64 { values += [Float(i % 8) - 3.5, i % 16 == 0 ? 1e-6 : 0] }  // [64, 2] as [N, C]
        let standardizer = FeatureStandardizer(channels: 2)
        standardizer.fit(Tensor(shape: [64, 2], scalars: values))
        let out = standardizer.apply(Tensor(shape: [1, 2], scalars: [0.5, 1e-4])).scalars
        XCTAssertEqual(out[0], (0.5 + 0.0) / 2.2913, accuracy: 1e-3, "the first channel: mean 0, sd √5.25")
        XCTAssertLessThan(abs(out[1]), 1e-3, "the nearly dead channel: \(out[1])")
    }
}
