/// xoshiro256** seeded through SplitMix64: pure integer arithmetic, so a seed gives the same
/// stream on every machine (Foundation's generators promise no such thing).
public struct SceneRNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator for one scene: independent streams for every (seed, stream, index).
    public init(seed: UInt64, stream: UInt64 = 0, index: UInt64) {
        // Hash the three inputs in sequence so nearby seeds and indices give unrelated states.
        var h = SceneRNG.splitMix(seed)
        h = SceneRNG.splitMix(h ^ stream &* 0xD6E8_FEB8_6659_FD93)
        h = SceneRNG.splitMix(h ^ index)
        var sm = h
        s0 = SceneRNG.splitMixNext(&sm)
        s1 = SceneRNG.splitMixNext(&sm)
        s2 = SceneRNG.splitMixNext(&sm)
        s3 = SceneRNG.splitMixNext(&sm)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform in 0..<1 from the top 24 bits (every value exactly representable as Float).
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform in `lower..<upper`.
    public mutating func nextFloat(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * nextUnitFloat()
    }

    /// Uniform integer in 0..<bound by the multiply-high method (bias below 2^-40 for our bounds).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    static func splitMix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func splitMixNext(_ state: inout UInt64) -> UInt64 {
        let out = splitMix(state)
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return out
    }
}
