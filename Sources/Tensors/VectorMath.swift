/// Whole-buffer reductions written so the compiler keeps them vectorised: 16 independent float
/// lanes per block (a single running float would serialise on the add latency), blocks of 4096
/// summed in Double so millions of terms lose no precision.
enum VectorMath {
    static func sumOfSquares(_ b: UnsafeBufferPointer<Float>) -> Double {
        reduce(b) { $0 * $0 }
    }

    /// True when no element is NaN or ±∞ (x·0 is 0 for finite x and NaN otherwise).
    static func allFinite(_ b: UnsafeBufferPointer<Float>) -> Bool {
        reduce(b) { $0 * 0 }.isFinite
    }

    @inline(__always)
    private static func reduce(_ b: UnsafeBufferPointer<Float>, _ f: (SIMD16<Float>) -> SIMD16<Float>) -> Double {
        guard let base = b.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var sum: Double = 0
        var start = 0
        while start < b.count {
            let end = min(start + 4096, b.count)
            var lanes = SIMD16<Float>(repeating: 0)
            var j = start
            while j + 16 <= end {
                lanes += f((raw + 4 * j).loadUnaligned(as: SIMD16<Float>.self))
                j += 16
            }
            var rest = SIMD16<Float>(repeating: 0)
            var k = 0
            while j < end { rest[k] = b[j]; j += 1; k += 1 }
            // Padding lanes are 0, and f(0) = 0 for both uses.
            lanes += f(rest)
            sum += Double(lanes.sum())
            start = end
        }
        return sum
    }
}

extension Tensor {
    /// Σ x² over all elements, accumulated in Double (gradient norms).
    public var sumOfSquares: Double { withUnsafeBufferPointer(VectorMath.sumOfSquares) }

    /// True when no element is NaN or ±∞.
    public var isAllFinite: Bool { withUnsafeBufferPointer(VectorMath.allFinite) }
}
