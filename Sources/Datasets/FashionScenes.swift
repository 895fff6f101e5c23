import Imaging

/// The default world: RGB scenes of one colourised Fashion-MNIST garment at an offset over a
/// solid, striped or checkered background, each a pure function of (seed, split, index). Train
/// scenes come from a train split, test scenes from a test split.
public struct FashionScenes: Sendable {
    /// Bumped whenever the code that draws a scene changes, so caches of the old scenes are not reused.
    public static let recipe = 1

    public let source: FashionMNIST
    public let size: Int
    public let seed: UInt64
    public let garmentSide: Int
    public let maxOffset: Int
    public let band: Int

    /// Area-resampling taps from 28 source pixels to `garmentSide` pixels, per output pixel:
    /// the first source pixel, then `maxTaps` weights (zero-padded).
    private let tapStart: [Int]
    private let tapWeights: [Float]
    private let maxTaps: Int

    public init(mnist: FashionMNIST, size: Int = 32, seed: UInt64) throws {
        guard size >= 16, size <= 256, size % 4 == 0 else { throw DatasetError.invalidSceneSize(size) }
        guard mnist.count > 0 else { throw DatasetError.emptySource("Fashion-MNIST \(mnist.split) split in \(mnist.directory)") }
        self.source = mnist
        self.size = size
        self.seed = seed
        garmentSide = SceneFactorRanges.garmentSide(sceneSize: size)
        maxOffset = SceneFactorRanges.maxOffset(sceneSize: size)
        band = SceneFactorRanges.band(sceneSize: size)

        // Output pixel o covers source interval [o*28, (o+1)*28) in units of 1/G; source pixel j
        // covers [j*G, (j+1)*G). Integer overlaps make the weights exact and platform-independent.
        let n = FashionMNIST.side, g = garmentSide
        let taps = (n + g - 1) / g + 1
        var starts: [Int] = []
        var weights = [Float](repeating: 0, count: g * taps)
        for o in 0..<g {
            let lo = o * n, hi = (o + 1) * n
            let first = lo / g
            starts.append(first)
            var k = 0
            var j = first
            while j * g < hi && j < n {
                let overlap = min(hi, (j + 1) * g) - max(lo, j * g)
                if overlap > 0 { weights[o * taps + k] = Float(overlap) / Float(n) }
                k += 1
                j += 1
            }
        }
        tapStart = starts
        tapWeights = weights
        maxTaps = taps
    }

    /// The split the scenes come from.
    public var split: FashionMNISTSplit { source.split }

    /// The factors of scene `index` without rendering it.
    public func factors(_ index: Int) -> SceneFactors {
        // The split is a separate stream so train and test scene i are unrelated.
        var rng = SceneRNG(seed: seed, stream: source.split == .train ? 1 : 2, index: UInt64(truncatingIfNeeded: index))
        // Fixed draw order; every draw happens whatever the outcome of earlier ones, so adding a
        // branch never shifts the stream.
        let sourceIndex = rng.nextInt(below: source.count)
        let hue = rng.nextFloat(SceneFactorRanges.hue.lowerBound, SceneFactorRanges.hue.upperBound)
        let sat = rng.nextFloat(SceneFactorRanges.saturation.lowerBound, SceneFactorRanges.saturation.upperBound)
        let val = rng.nextFloat(SceneFactorRanges.value.lowerBound, SceneFactorRanges.value.upperBound)
        let offX = rng.nextInt(below: maxOffset + 1)
        let offY = rng.nextInt(below: maxOffset + 1)
        let kind = BackgroundKind(rawValue: rng.nextInt(below: BackgroundKind.allCases.count)) ?? .solid
        let bh = rng.nextFloat(SceneFactorRanges.backgroundHue.lowerBound, SceneFactorRanges.backgroundHue.upperBound)
        let bs = rng.nextFloat(SceneFactorRanges.backgroundSaturation.lowerBound, SceneFactorRanges.backgroundSaturation.upperBound)
        let bv = rng.nextFloat(SceneFactorRanges.backgroundValue.lowerBound, SceneFactorRanges.backgroundValue.upperBound)
        // The second colour is darker if the first is light, lighter if it is dark.
        let mid = (SceneFactorRanges.backgroundValue.lowerBound + SceneFactorRanges.backgroundValue.upperBound) / 2
        let bv2 = bv >= mid ? bv - SceneFactorRanges.backgroundContrast : bv + SceneFactorRanges.backgroundContrast
        let c1 = RGBColor(hue: bh, saturation: bs, value: bv)
        let c2 = kind == .solid ? c1 : RGBColor(hue: bh, saturation: bs, value: bv2)
        return SceneFactors(
            sceneSize: size, classLabel: source.label(sourceIndex), sourceIndex: sourceIndex,
            hue: hue, saturation: sat, value: val, offsetX: offX, offsetY: offY,
            backgroundKind: kind, backgroundHue: bh, backgroundSaturation: bs, backgroundValue: bv,
            backgroundColor1: c1, backgroundColor2: c2)
    }

    /// Renders scene `index` (any non-negative Int; indices beyond the split reuse its garments).
    public func scene(_ index: Int) -> Scene { scene(with: factors(index)) }

    /// Renders a scene with the given factors (e.g. a scene's factors with one changed), so
    /// tests and checks can vary one factor and hold the rest.
    public func scene(with factors: SceneFactors) -> Scene {
        let plane = size * size
        var pixels = [Float](repeating: 0, count: 3 * plane)
        var labels = [UInt8](repeating: 0, count: plane)
        var alpha = [Float](repeating: 0, count: plane)
        var scratch = [Float](repeating: 0, count: scratchCount)
        pixels.withUnsafeMutableBufferPointer { p in
            labels.withUnsafeMutableBufferPointer { l in
                alpha.withUnsafeMutableBufferPointer { a in
                    scratch.withUnsafeMutableBufferPointer { s in
                        _ = render(factors, pixels: p.baseAddress!, labels: l.baseAddress!, alpha: a.baseAddress, scratch: s.baseAddress!)
                    }
                }
            }
        }
        return Scene(size: size, pixels: pixels, labels: labels, alpha: alpha, factors: factors)
    }

    /// Scenes `range` as one batch.
    public func batch(_ range: Range<Int>) -> SceneBatch {
        batch(indices: Array(range))
    }

    /// The given scenes as one batch, in order.
    public func batch(indices: [Int]) -> SceneBatch {
        let plane = size * size
        let n = indices.count
        var images = [Float](repeating: 0, count: n * 3 * plane)
        var labels = [UInt8](repeating: 0, count: n * plane)
        var factors: [SceneFactors] = []
        factors.reserveCapacity(n)
        var scratch = [Float](repeating: 0, count: scratchCount)
        images.withUnsafeMutableBufferPointer { p in
            labels.withUnsafeMutableBufferPointer { l in
                scratch.withUnsafeMutableBufferPointer { s in
                    for (i, index) in indices.enumerated() {
                        factors.append(render(self.factors(index), pixels: p.baseAddress! + i * 3 * plane,
                                              labels: l.baseAddress! + i * plane, alpha: nil, scratch: s.baseAddress!))
                    }
                }
            }
        }
        return SceneBatch(count: n, size: size, images: images, labels: labels, factors: factors)
    }

    /// Floats of working memory `render` needs: the horizontally resampled garment (28 x G) and
    /// the final garment (G x G).
    private var scratchCount: Int { FashionMNIST.side * garmentSide + garmentSide * garmentSide }

    /// Draws a scene into caller-provided buffers (no allocation per scene).
    private func render(_ f: SceneFactors, pixels: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<UInt8>,
                        alpha alphaOut: UnsafeMutablePointer<Float>?, scratch: UnsafeMutablePointer<Float>) -> SceneFactors {
        let n = FashionMNIST.side, g = garmentSide, s = size, plane = s * s
        let rows = scratch              // n x g
        let garment = scratch + n * g   // g x g, ink 0...1
        let taps = maxTaps

        source.images.withUnsafeBufferPointer { all in
            let src = all.baseAddress! + f.sourceIndex * FashionMNIST.pixelsPerImage
            tapStart.withUnsafeBufferPointer { start in
                tapWeights.withUnsafeBufferPointer { w in
                    // Horizontal pass: 28 rows of 28 -> 28 rows of G.
                    for r in 0..<n {
                        for o in 0..<g {
                            var acc: Float = 0
                            let j0 = start[o]
                            for k in 0..<taps where j0 + k < n {
                                acc += w[o * taps + k] * Float(src[r * n + j0 + k])
                            }
                            rows[r * g + o] = acc * (1 / 255)
                        }
                    }
                    // Vertical pass: 28 x G -> G x G.
                    for o in 0..<g {
                        let j0 = start[o]
                        for x in 0..<g {
                            var acc: Float = 0
                            for k in 0..<taps where j0 + k < n {
                                acc += w[o * taps + k] * rows[(j0 + k) * g + x]
                            }
                            garment[o * g + x] = acc
                        }
                    }
                }
            }
        }

        let c = f.garmentColor
        let b1 = f.backgroundColor1, b2 = f.backgroundColor2
        let kind = f.backgroundKind
        let classLabel = UInt8(f.classLabel)
        let gain = SceneFactorRanges.alphaGain
        let floor = SceneFactorRanges.shadeFloor
        let threshold = SceneFactorRanges.labelAlphaThreshold
        for y in 0..<s {
            let gy = y - f.offsetY
            let insideY = gy >= 0 && gy < g
            for x in 0..<s {
                let i = y * s + x
                let bg = kind.usesSecondColor(x: x, y: y, band: band) ? b2 : b1
                let gx = x - f.offsetX
                var a: Float = 0
                var ink: Float = 0
                if insideY && gx >= 0 && gx < g {
                    ink = garment[gy * g + gx]
                    a = min(1, gain * ink)
                }
                let shade = a * (floor + (1 - floor) * ink)
                let keep = 1 - a
                pixels[i] = shade * c.r + keep * bg.r
                pixels[plane + i] = shade * c.g + keep * bg.g
                pixels[2 * plane + i] = shade * c.b + keep * bg.b
                labels[i] = a > threshold ? classLabel : Scene.backgroundLabel
                alphaOut?[i] = a
            }
        }
        return f
    }
}
