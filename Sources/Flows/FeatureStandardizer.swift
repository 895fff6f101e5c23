import NN
import Tensors

/// Per-channel standardisation of expert features, (x − mean)/std over axis 1 of [N, C, …], with
/// statistics from the training set. Expert layers differ in scale by orders of magnitude; this
/// keeps the embedder's first layer in range for any tap. Keys: mean, std [C]; fitted.
public final class FeatureStandardizer: Module {
    public let mean: Buffer
    public let std: Buffer
    public let fitted: Buffer
    public let channels: Int

    public init(channels: Int) {
        self.channels = channels
        mean = Buffer(Tensor.zeros([channels]))
        std = Buffer(Tensor.ones([channels]))
        fitted = Buffer(Tensor(0), isInteger: true)
    }

    public var isFitted: Bool { fitted.value.item != 0 }

    /// Statistics from training features [N, C, …] (accumulated in Double).
    public func fit(_ x: Tensor) {
        precondition(x.rank >= 2 && x.shape[1] == channels, "FeatureStandardizer(\(channels)): features \(x.shape)")
        let n = x.shape[0], plane = x.shape[2...].reduce(1, *), m = Double(n * plane)
        var s = [Double](repeating: 0, count: channels), sq = s
        x.withUnsafeBufferPointer { p in
            for i in 0..<n {
                for c in 0..<channels {
                    let row = (i * channels + c) * plane
                    var a = 0.0, b = 0.0
                    for j in 0..<plane { let v = Double(p[row + j]); a += v; b += v * v }
                    s[c] += a; sq[c] += b
                }
            }
        }
        let mu = s.map { $0 / m }
        let spread = zip(sq, mu).map { q, u in max(q / m - u * u, 0).squareRoot() }
        let sd = Self.scales(spread)
        mean.value = Tensor(shape: [channels], scalars: mu.map(Float.init))
        std.value = Tensor(shape: [channels], scalars: sd.map(Float.init))
        fitted.value = Tensor(1)
    }

    /// Channels whose spread is below this share of the median channel's are scaled like the
    /// median channel instead of to unit variance.
    public static let relativeFloor = 1e-3

    /// The divisor of each channel: its standard deviation, unless that is below `relativeFloor`
    /// × the median over the channels that vary (or the channel is constant): then the median.
    /// A nearly dead channel (EfficientNet-Lite0's clipped swish: 4·10⁻⁷ where the median is
    /// 0.47) would otherwise be multiplied by millions, and the one test image whose activation
    /// there is a little larger would reach the embedder as an outlier the training never saw.
    /// A constant channel maps to 0 either way.
    static func scales(_ spread: [Double]) -> [Double] {
        let varying = spread.filter { $0 > 1e-8 }.sorted()
        let median = varying.isEmpty ? 1 : varying[varying.count / 2]
        return spread.map { $0 >= relativeFloor * median && $0 > 1e-8 ? $0 : median }
    }

    /// Standardised copy; never differentiated (features are inputs, not parameters).
    public func apply(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 2 && x.shape[1] == channels, "FeatureStandardizer(\(channels)): features \(x.shape)")
        let n = x.shape[0], plane = x.shape[2...].reduce(1, *)
        let mu = mean.value.scalars, inv = std.value.scalars.map { 1 / $0 }
        var out = x.detached
        out.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                for c in 0..<channels {
                    let row = (i * channels + c) * plane, u = mu[c], k = inv[c]
                    for j in 0..<plane { p[row + j] = (p[row + j] - u) * k }
                }
            }
        }
        return out
    }
}
