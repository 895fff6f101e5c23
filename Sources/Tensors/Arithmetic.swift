import Foundation

// Broadcasting arithmetic. Each op's backward sums the gradient back to its input's shape.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(a, b, Kernels.Add())
        let sa = a.shape, sb = b.shape
        return Autograd.record(out, inputs: [a, b]) { g, need in
            [need[0] ? g.summed(toShape: sa) : nil, need[1] ? g.summed(toShape: sb) : nil]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(a, b, Kernels.Subtract())
        let sa = a.shape, sb = b.shape
        return Autograd.record(out, inputs: [a, b]) { g, need in
            [need[0] ? g.summed(toShape: sa) : nil, need[1] ? (-g).summed(toShape: sb) : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(a, b, Kernels.Multiply())
        let av = a.detached, bv = b.detached
        return Autograd.record(out, inputs: [a, b]) { g, need in
            [need[0] ? (g * bv).summed(toShape: av.shape) : nil,
             need[1] ? (g * av).summed(toShape: bv.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(a, b, Kernels.Divide())
        let av = a.detached, bv = b.detached
        return Autograd.record(out, inputs: [a, b]) { g, need in
            [need[0] ? (g / bv).summed(toShape: av.shape) : nil,
             need[1] ? broadcastMap(g, broadcastMap(av, bv, Kernels.QuotientSlope()), Kernels.Multiply()).summed(toShape: bv.shape) : nil]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { x * -1 }

    public static func + (a: Tensor, s: Float) -> Tensor {
        Autograd.record(unaryMap(a, Kernels.AddScalar(s: s)), inputs: [a]) { g in [g] }
    }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (s: Float, a: Tensor) -> Tensor { (a * -1) + s }
    public static func * (a: Tensor, s: Float) -> Tensor {
        Autograd.record(unaryMap(a, Kernels.MultiplyScalar(s: s)), inputs: [a]) { g in [g * s] }
    }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
    public static func / (s: Float, a: Tensor) -> Tensor {
        let x = a.detached
        return Autograd.record(unaryMap(a, Kernels.DivideScalar(s: s)), inputs: [a]) { g in [broadcastMap(g, x, Kernels.DivideScalarGradient(s: s))] }
    }

    /// In-place `self += other` (same shape, no gradient recorded): gradient accumulation and
    /// optimiser updates use it.
    public mutating func addInPlace(_ other: Tensor, scale: Float = 1) {
        precondition(shape == other.shape, "addInPlace: \(shape) vs \(other.shape)")
        let po = other.storage.pointer
        withUnsafeMutableBufferPointer { b in
            let pb = b.baseAddress!
            Parallel.elements(b.count) { range in for i in range { pb[i] += scale * po[i] } }
        }
    }
}

// Elementwise functions, each with its local derivative.
extension Tensor {
    public func exp() -> Tensor {
        let out = unaryMap(self, Kernels.Exp())
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out, Kernels.Multiply())] }
    }

    public func log() -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self, Kernels.Log()), inputs: [self]) { g in [broadcastMap(g, x, Kernels.Divide())] }
    }

    public func sqrt() -> Tensor {
        let out = unaryMap(self, Kernels.SquareRoot())
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out, Kernels.SquareRootGradient())] }
    }

    public func squared() -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self, Kernels.Square()), inputs: [self]) { g in [broadcastMap(g, x, Kernels.SquareGradient())] }
    }

    public func abs() -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self, Kernels.Abs()), inputs: [self]) { g in [broadcastMap(g, x, Kernels.AbsGradient())] }
    }

    public func relu() -> Tensor {
        let out = unaryMap(self, Kernels.ReLU())
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out, Kernels.ReLUGradient())] }
    }

    public func leakyRelu(_ slope: Float = 0.2) -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self, Kernels.LeakyReLU(slope: slope)), inputs: [self]) { g in
            [broadcastMap(g, x, Kernels.LeakyReLUGradient(slope: slope))]
        }
    }

    public func tanh() -> Tensor {
        let out = unaryMap(self, Kernels.Tanh())
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out, Kernels.TanhGradient())] }
    }

    public func sigmoid() -> Tensor {
        let out = unaryMap(self, Kernels.Sigmoid())
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out, Kernels.SigmoidGradient())] }
    }

    /// log(1 + eˣ), computed without overflow.
    public func softplus() -> Tensor {
        let x = detached
        let out = unaryMap(self, Kernels.Softplus())
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, x, Kernels.SoftplusGradient())] }
    }

    /// Clamps values into [low, high]; the gradient passes only where the value was inside.
    public func clamped(_ low: Float, _ high: Float) -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self, Kernels.Clamp(low: low, high: high)), inputs: [self]) { g in
            [broadcastMap(g, x, Kernels.ClampGradient(low: low, high: high))]
        }
    }
}
