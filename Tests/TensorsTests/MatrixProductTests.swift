import XCTest
@testable import Tensors

/// The engine's product (`gemm`) on both libraries, against a product summed in Double: every
/// transposition, leading dimensions wider than the matrices, alpha and beta, an empty inner
/// dimension (where C must still become beta·C), and sizes that take the single-threaded, the
/// row-split and the library-threaded paths.
final class MatrixProductTests: XCTestCase {
    private struct Case { let m, n, k: Int; let transA, transB: Bool }

    private func check(_ c: Case, onDNNL: Bool, workers: Int, alpha: Float = 0.5, beta: Float = 0.75,
                       file: StaticString = #filePath, line: UInt = #line) {
        // Stored shapes of op(A) = m×k and op(B) = k×n, with 3 spare columns in every row.
        let (aRows, aCols) = c.transA ? (c.k, c.m) : (c.m, c.k), (bRows, bCols) = c.transB ? (c.n, c.k) : (c.k, c.n)
        let (lda, ldb, ldc) = (aCols + 3, bCols + 3, c.n + 3)
        let a = randomTensor([max(aRows * lda, 1)], seed: 1).scalars, b = randomTensor([max(bRows * ldb, 1)], seed: 2).scalars
        var out = randomTensor([max(c.m * ldc, 1)], seed: 3).scalars
        let before = out
        ExecutionContext.current.with(\.productsOnDNNL, onDNNL).with(\.workers, workers).run {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    out.withUnsafeMutableBufferPointer { pc in
                        gemm(transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: alpha, a: pa.baseAddress!, lda: lda,
                             b: pb.baseAddress!, ldb: ldb, beta: beta, c: pc.baseAddress!, ldc: ldc)
                    }
                }
            }
        }
        let label = "\(c.m)×\(c.n)×\(c.k) \(c.transA ? "T" : "N")\(c.transB ? "T" : "N") on \(onDNNL ? "oneDNN" : "OpenBLAS"), \(workers) workers"
        var worst: Double = 0
        for i in 0..<c.m {
            for j in 0..<c.n {
                var sum: Double = 0
                for p in 0..<c.k {
                    let x = c.transA ? a[p * lda + i] : a[i * lda + p], y = c.transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(x) * Double(y)
                }
                let expected = Double(alpha) * sum + Double(beta) * Double(before[i * ldc + j])
                worst = max(worst, abs(Double(out[i * ldc + j]) - expected))
            }
            for j in c.n..<ldc where out[i * ldc + j].bitPattern != before[i * ldc + j].bitPattern {
                XCTFail("\(label): wrote the padding of row \(i)", file: file, line: line)
                return
            }
        }
        XCTAssertLessThan(worst, 1e-4 * Double(max(c.k, 1)).squareRoot(), label, file: file, line: line)
    }

    func testEveryTranspositionOnBothLibraries() {
        for onDNNL in [true, false] {
            for transA in [false, true] {
                for transB in [false, true] {
                    for (m, n, k) in [(1, 1, 1), (3, 5, 7), (128, 32, 160), (7, 1, 64)] {
                        check(Case(m: m, n: n, k: k, transA: transA, transB: transB), onDNNL: onDNNL, workers: 1)
                    }
                }
            }
        }
    }

    func testAnEmptyInnerDimensionScalesC() {
        for onDNNL in [true, false] {
            check(Case(m: 4, n: 6, k: 0, transA: false, transB: false), onDNNL: onDNNL, workers: 1)
            check(Case(m: 4, n: 6, k: 0, transA: true, transB: true), onDNNL: onDNNL, workers: 1, beta: 0)
        }
    }

    func testSplitAndThreadedProducts() {
        // 128×256×64 = 2.1e6 multiply-adds: split into row blocks; 256×512×256 = 3.4e7: library threads.
        for onDNNL in [true, false] {
            for workers in [2, 3] {
                check(Case(m: 128, n: 256, k: 64, transA: false, transB: true), onDNNL: onDNNL, workers: workers)
                check(Case(m: 48, n: 1024, k: 64, transA: true, transB: false), onDNNL: onDNNL, workers: workers)
                check(Case(m: 256, n: 512, k: 256, transA: false, transB: false), onDNNL: onDNNL, workers: workers)
            }
        }
    }
}
