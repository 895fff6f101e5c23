import Datasets
import Foundation

/// What `ImageAutoencoderTrainer.train` wrote and measured.
public struct ImageAutoencoderResult {
    public let weights: URL
    /// Test images above their reconstructions, beside the weights.
    public let sheet: URL
    /// PSNR in dB of the test split's reconstructions through the encoder mean.
    public let testPSNR: Double
    public let trainImages: Int
    public let testImages: Int
    /// Files skipped as unusable, with the reason (also printed as warnings).
    public let skipped: [SkippedImage]
    public let seconds: Double
}
