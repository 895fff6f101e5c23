import NN
import Tensors

/// conv → batch norm → ReLU, as the reference's `cbr` (keys `0.weight`, `1.running_mean`, …).
func convBNReLU(_ inC: Int, _ outC: Int, kernel: Int = 3, stride: Int = 1, dilation: Int = 1,
                rng: inout Xoshiro256) -> Sequential {
    Sequential(Conv2d(inC, outC, kernel: kernel, stride: stride, padding: dilation * (kernel / 2),
                      dilation: dilation, bias: false, rng: &rng),
               BatchNorm(outC), ReLU())
}

/// Two 3×3 convolutions with a skip connection (projected when the shape changes).
final class Residual: Module, UnaryLayer {
    let a: Sequential
    let b: Sequential
    let skip: Sequential?

    init(_ inC: Int, _ outC: Int, stride: Int = 1, dilation: Int = 1, rng: inout Xoshiro256) {
        a = convBNReLU(inC, outC, stride: stride, dilation: dilation, rng: &rng)
        b = Sequential(Conv2d(outC, outC, kernel: 3, padding: dilation, dilation: dilation, bias: false, rng: &rng),
                       BatchNorm(outC))
        skip = (inC == outC && stride == 1) ? nil
            : Sequential(Conv2d(inC, outC, kernel: 1, stride: stride, bias: false, rng: &rng), BatchNorm(outC))
    }

    func forward(_ x: Tensor) -> Tensor {
        (b(a(x)) + (skip?(x) ?? x)).relu()
    }
}

/// Atrous spatial pyramid pooling: 1×1, dilated 3×3 (rates 2, 4) and image pooling, projected.
final class ASPP: Module, UnaryLayer {
    let branches: [Sequential]
    let pool: Sequential
    let proj: Sequential

    init(_ inC: Int, width: Int = 32, outC: Int = 64, rng: inout Xoshiro256) {
        branches = [convBNReLU(inC, width, kernel: 1, rng: &rng),
                    convBNReLU(inC, width, dilation: 2, rng: &rng),
                    convBNReLU(inC, width, dilation: 4, rng: &rng)]
        pool = Sequential(GlobalAvgPool2d(), Conv2d(inC, width, kernel: 1, rng: &rng), ReLU())
        proj = convBNReLU(4 * width, outC, kernel: 1, rng: &rng)
    }

    func forward(_ x: Tensor) -> Tensor {
        let pooled = pool(x)
        let image = pooled.broadcast(to: [pooled.shape[0], pooled.shape[1], x.shape[2], x.shape[3]])
        return proj(Tensor.concat(branches.map { $0(x) } + [image], axis: 1))
    }
}
