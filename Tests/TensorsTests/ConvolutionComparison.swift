import XCTest
@testable import Tensors

/// Output and gradients of one convolution, for comparing its implementations (oneDNN, the
/// reference) on the same inputs.
struct ConvolutionGradients { let y, gx, gw, gb: Tensor }

/// conv2d forward, then backward from fixed random output weights (seed 5).
func convolutionGradients(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride: Int = 1, padding: Int,
                          dilation: Int) -> ConvolutionGradients {
    let (xl, wl, bl) = (x.requiringGrad(), w.requiringGrad(), b.requiringGrad())
    let y = Tensor.conv2d(xl, weight: wl, bias: bl, stride: stride, padding: padding, dilation: dilation)
    var rng = Xoshiro256(seed: 5)
    (y * Tensor.normal(y.shape, rng: &rng)).sum().backward()
    return ConvolutionGradients(y: y.detached, gx: xl.grad!, gw: wl.grad!, gb: bl.grad!)
}

/// Every element of `a` within `tolerance` of `b`, relative to max(1, |b|).
func assertRelativelyClose(_ a: Tensor, _ b: Tensor, _ what: String, tolerance: Float = 1e-4,
                           file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
    let sa = a.scalars, sb = b.scalars
    var worst: Float = 0
    for i in sa.indices { worst = max(worst, abs(sa[i] - sb[i]) / max(1, abs(sb[i]))) }
    XCTAssertLessThanOrEqual(worst, tolerance, "\(what): largest relative difference \(worst)", file: file, line: line)
}

/// Forward, input, weight and bias gradients all close to the reference's.
func assertSameConvolution(_ r: ConvolutionGradients, _ reference: ConvolutionGradients, _ label: String,
                           file: StaticString = #filePath, line: UInt = #line) {
    assertRelativelyClose(r.y, reference.y, "\(label) forward", file: file, line: line)
    assertRelativelyClose(r.gx, reference.gx, "\(label) input gradient", file: file, line: line)
    assertRelativelyClose(r.gw, reference.gw, "\(label) weight gradient", file: file, line: line)
    assertRelativelyClose(r.gb, reference.gb, "\(label) bias gradient", file: file, line: line)
}
