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

    /// Σ x over `count` floats from `p`.
    static func sum(_ p: UnsafePointer<Float>, count: Int) -> Double {
        reduce(p, count) { $0 }
    }

    /// Σ (x − mean)² over `count` floats from `p`.
    static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, count: Int, from mean: Float) -> Double {
        let m = SIMD16<Float>(repeating: mean)
        return reduce(p, count, padding: mean) { ($0 - m) * ($0 - m) }
    }

    /// (Σ a, Σ a·b) over `count` floats from `a` and `b` (batch norm's backward statistics).
    static func sumAndDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> (sum: Double, dot: Double) {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var sum: Double = 0, dot: Double = 0
        var start = 0
        while start < count {
            let end = min(start + 4096, count)
            var s = SIMD16<Float>(repeating: 0), d = SIMD16<Float>(repeating: 0)
            var j = start
            while j + 16 <= end {
                let x = (ra + 4 * j).loadUnaligned(as: SIMD16<Float>.self), y = (rb + 4 * j).loadUnaligned(as: SIMD16<Float>.self)
                s += x; d += x * y
                j += 16
            }
            var ts: Float = 0, td: Float = 0
            while j < end { ts += a[j]; td += a[j] * b[j]; j += 1 }
            sum += Double(s.sum() + ts); dot += Double(d.sum() + td)
            start = end
        }
        return (sum, dot)
    }

    /// Σ f(x) over blocks of 16 lanes; the last block is filled with `padding`, for which f must be 0.
    @inline(__always)
    private static func reduce(_ p: UnsafePointer<Float>, _ count: Int, padding: Float = 0,
                               _ f: (SIMD16<Float>) -> SIMD16<Float>) -> Double {
        let raw = UnsafeRawPointer(p)
        var sum: Double = 0
        var start = 0
        while start < count {
            let end = min(start + 4096, count)
            var lanes = SIMD16<Float>(repeating: 0)
            var j = start
            while j + 16 <= end {
                lanes += f((raw + 4 * j).loadUnaligned(as: SIMD16<Float>.self))
                j += 16
            }
            if j < end {
                var rest = SIMD16<Float>(repeating: padding)
                var k = 0
                while j < end { rest[k] = p[j]; j += 1; k += 1 }
                lanes += f(rest)
            }
            sum += Double(lanes.sum())
            start = end
        }
        return sum
    }

    @inline(__always)
    private static func reduce(_ b: UnsafeBufferPointer<Float>, _ f: (SIMD16<Float>) -> SIMD16<Float>) -> Double {
        guard let base = b.baseAddress else { return 0 }
        return reduce(base, b.count, f)
    }
}

extension Tensor {
    /// Σ x² over all elements, accumulated in Double (gradient norms).
    public var sumOfSquares: Double { withUnsafeBufferPointer(VectorMath.sumOfSquares) }

    /// True when no element is NaN or ±∞.
    public var isAllFinite: Bool { withUnsafeBufferPointer(VectorMath.allFinite) }
}
