/// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (in Double). Small and
/// exact enough for the 128×128 covariances of the Fréchet distance; no LAPACK needed.
enum SymmetricEigen {
    /// Eigenvalues and eigenvectors (columns of `vectors`, row-major n×n) of the symmetric `a`.
    static func decompose(_ a: [Double], n: Int, sweeps: Int = 60) -> (values: [Double], vectors: [Double]) {
        var m = a
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<sweeps {
            var off: Double = 0, diag: Double = 0
            for i in 0..<n {
                diag += m[i * n + i] * m[i * n + i]
                for j in (i + 1)..<max(i + 1, n) { off += m[i * n + j] * m[i * n + j] }
            }
            if off <= 1e-22 * max(diag, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    let apq = m[p * n + q]
                    if abs(apq) < 1e-300 { continue }
                    let app = m[p * n + p], aqq = m[q * n + q]
                    // Rotation angle that zeroes m[p][q] (Numerical-Recipes-style stable form).
                    let theta = (aqq - app) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let mkp = m[k * n + p], mkq = m[k * n + q]
                        m[k * n + p] = c * mkp - s * mkq
                        m[k * n + q] = s * mkp + c * mkq
                    }
                    for k in 0..<n {
                        let mpk = m[p * n + k], mqk = m[q * n + k]
                        m[p * n + k] = c * mpk - s * mqk
                        m[q * n + k] = s * mpk + c * mqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { m[$0 * n + $0] }, v)
    }
}
