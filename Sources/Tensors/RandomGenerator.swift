import Foundation

/// xoshiro256** seeded through SplitMix64: the same seed gives the same numbers on every
/// machine, which is what makes runs reproducible. Not for cryptography.
public struct Xoshiro256: RandomNumberGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    /// Box-Muller makes normals in pairs; the second is kept for the next call.
    private var spareNormal: Float?

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits.
    @inline(__always)
    public mutating func nextUniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Standard normal by Box-Muller.
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return spare }
        var u1 = nextUniform()
        while u1 <= 1e-12 { u1 = nextUniform() }
        let u2 = nextUniform()
        let r = (-2 * Foundation.log(Double(u1))).squareRoot()
        let theta = 2 * Double.pi * Double(u2)
        spareNormal = Float(r * Foundation.sin(theta))
        return Float(r * Foundation.cos(theta))
    }

    /// Uniform integer in 0..<n without modulo bias (Lemire's method would be faster; n is small).
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        var x = next()
        while x >= limit { x = next() }
        return Int(x % bound)
    }

    /// A random permutation of 0..<n (Fisher-Yates), reproducible from the generator's state.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, nextInt(below: i + 1)) }
        }
        return p
    }
}

extension Tensor {
    /// Uniform in [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout Xoshiro256) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = low + (high - low) * rng.nextUniform() }
        }
        return t
    }

    /// Normal with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout Xoshiro256) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = mean + std * rng.nextNormal() }
        }
        return t
    }
}
