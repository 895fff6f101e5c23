import Foundation

// The per-element functions of the elementwise ops, one small type each.
//
// Why types and not closures: `unaryMap` and `broadcastMap` split large tensors across the cores,
// so the element loop runs inside the closure handed to the workers. A closure argument captured
// there stays an indirect call per element (leaky ReLU took 3.7× the CPU time that way); a
// kernel type makes each op's loop a specialised copy in which the call inlines and vectorises.

/// f(x) for `unaryMap`.
protocol UnaryKernel { func callAsFunction(_ x: Float) -> Float }

/// f(a, b) for `broadcastMap`.
protocol BinaryKernel { func callAsFunction(_ a: Float, _ b: Float) -> Float }

enum Kernels {
    // Arithmetic.
    struct Add: BinaryKernel { func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
    struct Subtract: BinaryKernel { func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
    struct Multiply: BinaryKernel { func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
    struct Divide: BinaryKernel { func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }
    /// ∂(a/b)/∂b = −a/b².
    struct QuotientSlope: BinaryKernel { func callAsFunction(_ a: Float, _ b: Float) -> Float { -a / (b * b) } }

    struct AddScalar: UnaryKernel { let s: Float; func callAsFunction(_ x: Float) -> Float { x + s } }
    struct MultiplyScalar: UnaryKernel { let s: Float; func callAsFunction(_ x: Float) -> Float { x * s } }
    /// s / x.
    struct DivideScalar: UnaryKernel { let s: Float; func callAsFunction(_ x: Float) -> Float { s / x } }
    /// Gradient of s / x: (g, x) ↦ −g·s/x².
    struct DivideScalarGradient: BinaryKernel {
        let s: Float
        func callAsFunction(_ g: Float, _ x: Float) -> Float { -g * s / (x * x) }
    }

    // Functions and their gradients; a gradient kernel takes (g, x) or (g, y) for output y.
    struct Exp: UnaryKernel { func callAsFunction(_ x: Float) -> Float { Foundation.expf(x) } }
    struct Log: UnaryKernel { func callAsFunction(_ x: Float) -> Float { Foundation.logf(x) } }
    struct SquareRoot: UnaryKernel { func callAsFunction(_ x: Float) -> Float { x.squareRoot() } }
    struct SquareRootGradient: BinaryKernel { func callAsFunction(_ g: Float, _ y: Float) -> Float { g * 0.5 / y } }
    struct Square: UnaryKernel { func callAsFunction(_ x: Float) -> Float { x * x } }
    struct SquareGradient: BinaryKernel { func callAsFunction(_ g: Float, _ x: Float) -> Float { 2 * g * x } }
    struct Abs: UnaryKernel { func callAsFunction(_ x: Float) -> Float { Swift.abs(x) } }
    struct AbsGradient: BinaryKernel {
        func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
    }
    struct ReLU: UnaryKernel { func callAsFunction(_ x: Float) -> Float { Swift.max(x, 0) } }
    struct ReLUGradient: BinaryKernel { func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : 0 } }
    struct LeakyReLU: UnaryKernel {
        let slope: Float
        func callAsFunction(_ x: Float) -> Float { x > 0 ? x : slope * x }
    }
    struct LeakyReLUGradient: BinaryKernel {
        let slope: Float
        func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : slope * g }
    }
    struct Tanh: UnaryKernel { func callAsFunction(_ x: Float) -> Float { Foundation.tanhf(x) } }
    struct TanhGradient: BinaryKernel { func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) } }
    struct Sigmoid: UnaryKernel { func callAsFunction(_ x: Float) -> Float { 1 / (1 + Foundation.expf(-x)) } }
    struct SigmoidGradient: BinaryKernel { func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) } }
    /// log(1 + eˣ) without overflow.
    struct Softplus: UnaryKernel {
        func callAsFunction(_ x: Float) -> Float { Swift.max(x, 0) + Foundation.log1pf(Foundation.expf(-Swift.abs(x))) }
    }
    struct SoftplusGradient: BinaryKernel {
        func callAsFunction(_ g: Float, _ x: Float) -> Float { g / (1 + Foundation.expf(-x)) }
    }
    struct Clamp: UnaryKernel {
        let low: Float, high: Float
        func callAsFunction(_ x: Float) -> Float { Swift.min(Swift.max(x, low), high) }
    }
    struct ClampGradient: BinaryKernel {
        let low: Float, high: Float
        func callAsFunction(_ g: Float, _ x: Float) -> Float { (x >= low && x <= high) ? g : 0 }
    }
}
