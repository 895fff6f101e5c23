/// Fréchet distance between Gaussians fitted to two sets of feature vectors:
/// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½). With Inception features this is FID; here the features
/// come from our own classifier, so the numbers compare runs of this tool, not published FIDs.
public enum FrechetDistance {
    /// `a` and `b`: rows of `dimensions` numbers each (row-major).
    public static func between(_ a: [Float], _ b: [Float], dimensions d: Int) -> Double {
        let (ma, ca) = moments(a, d), (mb, cb) = moments(b, d)
        var meanTerm: Double = 0
        for i in 0..<d { meanTerm += (ma[i] - mb[i]) * (ma[i] - mb[i]) }
        // Tr (Σa Σb)^½ = Σ √λ(Σa^½ Σb Σa^½), a symmetric positive semi-definite product.
        let (la, va) = SymmetricEigen.decompose(ca, n: d)
        var sqrtA = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                var s: Double = 0
                for k in 0..<d { s += va[i * d + k] * max(la[k], 0).squareRoot() * va[j * d + k] }
                sqrtA[i * d + j] = s
            }
        }
        let product = multiply(multiply(sqrtA, cb, d), sqrtA, d)
        let (lp, _) = SymmetricEigen.decompose(symmetrized(product, d), n: d)
        let traceSqrt = lp.reduce(0) { $0 + max($1, 0).squareRoot() }
        var traces: Double = 0
        for i in 0..<d { traces += ca[i * d + i] + cb[i * d + i] }
        return max(0, meanTerm + traces - 2 * traceSqrt)
    }

    static func moments(_ x: [Float], _ d: Int) -> (mean: [Double], covariance: [Double]) {
        let n = x.count / d
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for i in 0..<d { mean[i] += Double(x[r * d + i]) } }
        for i in 0..<d { mean[i] /= Double(max(n, 1)) }
        var cov = [Double](repeating: 0, count: d * d)
        var row = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for i in 0..<d { row[i] = Double(x[r * d + i]) - mean[i] }
            for i in 0..<d { let ri = row[i]; for j in i..<d { cov[i * d + j] += ri * row[j] } }
        }
        let norm = 1 / Double(max(n - 1, 1))
        for i in 0..<d { for j in i..<d { cov[i * d + j] *= norm; cov[j * d + i] = cov[i * d + j] } }
        return (mean, cov)
    }

    static func multiply(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for k in 0..<d { let aik = a[i * d + k]; for j in 0..<d { c[i * d + j] += aik * b[k * d + j] } } }
        return c
    }

    static func symmetrized(_ a: [Double], _ d: Int) -> [Double] {
        var s = a
        for i in 0..<d { for j in 0..<d { s[i * d + j] = 0.5 * (a[i * d + j] + a[j * d + i]) } }
        return s
    }
}
