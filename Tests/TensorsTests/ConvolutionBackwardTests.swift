import XCTest
@testable import Tensors

/// The one backward rule of the convolutions on every route: each gradient asked for alone
/// equals that gradient of the full backward pass, and gradients not asked for are not made.
final class ConvolutionBackwardTests: XCTestCase {
    private typealias Convolution = (_ x: Tensor, _ w: Tensor, _ b: Tensor) -> Tensor

    /// The gradients of Σ y·r (r fixed random) for x, w and b where `needs` asks for them.
    private func gradients(_ op: Convolution, _ x: Tensor, _ w: Tensor, _ b: Tensor, needs: [Bool]) -> [Tensor?] {
        let leaves = zip([x, w, b], needs).map { $1 ? $0.requiringGrad() : $0 }
        let y = op(leaves[0], leaves[1], leaves[2])
        var rng = Xoshiro256(seed: 5)
        (y * Tensor.normal(y.shape, rng: &rng)).sum().backward()
        return zip(leaves, needs).map { $1 ? $0.grad : nil }
    }

    private func check(_ name: String, _ op: Convolution, x: Tensor, w: Tensor, b: Tensor, file: StaticString = #filePath,
                       line: UInt = #line) {
        let full = gradients(op, x, w, b, needs: [true, true, true])
        for needs in [[true, false, false], [false, true, false], [false, false, true], [true, false, true], [false, true, true]] {
            let some = gradients(op, x, w, b, needs: needs)
            for i in 0..<3 where needs[i] {
                assertRelativelyClose(some[i]!, full[i]!, "\(name): gradient \(i) asked with \(needs)", tolerance: 1e-5,
                                      file: file, line: line)
            }
        }
    }

    func testEveryRouteGivesEachGradientAloneAsInTheFullPass() {
        var rng = Xoshiro256(seed: 41)
        func inputs(_ x: [Int], _ w: [Int], bias: Int) -> (Tensor, Tensor, Tensor) {
            (Tensor.normal(x, rng: &rng), Tensor.normal(w, std: 0.2, rng: &rng), Tensor.normal([bias], rng: &rng))
        }
        // (name, x, w, padding, stride): the reference's input gradient by convolution (stride 1),
        // by col2im (strided) and a pointwise kernel.
        let cases: [(String, [Int], [Int], Int, Int)] = [
            ("same 16×16", [2, 16, 16, 16], [16, 16, 3, 3], 1, 1),
            ("8×8, 32 channels", [2, 32, 8, 8], [24, 32, 3, 3], 1, 1),
            ("strided", [3, 8, 9, 9], [6, 8, 3, 3], 1, 2),
            ("pointwise", [2, 8, 5, 5], [4, 8, 1, 1], 0, 1),
        ]
        for (name, xs, ws, p, s) in cases {
            let (x, w, b) = inputs(xs, ws, bias: ws[0])
            let op: Convolution = { Tensor.conv2d($0, weight: $1, bias: $2, stride: s, padding: p) }
            for onDNNL in [true, false] {
                ExecutionContext.current.with(\.convolutionsOnDNNL, onDNNL).run {
                    check("\(name) on \(onDNNL ? "oneDNN" : "the reference")", op, x: x, w: w, b: b)
                }
            }
        }
        let (x, w, b) = inputs([2, 8, 5, 5], [8, 4, 4, 4], bias: 4)
        for onDNNL in [true, false] {
            ExecutionContext.current.with(\.convolutionsOnDNNL, onDNNL).run {
                check("transposed on \(onDNNL ? "oneDNN" : "the reference")", { Tensor.convTranspose2d($0, weight: $1, bias: $2, stride: 2, padding: 1) },
                      x: x, w: w, b: b)
            }
        }
    }
}
