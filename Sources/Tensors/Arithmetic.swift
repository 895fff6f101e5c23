import Foundation

// Broadcasting arithmetic. Each op's backward sums the gradient back to its input's shape.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(a, b, +)
        let sa = a.shape, sb = b.shape
        return Autograd.record(out, inputs: [a, b]) { g, need in
            [need[0] ? g.summed(toShape: sa) : nil, need[1] ? g.summed(toShape: sb) : nil]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(a, b, -)
        let sa = a.shape, sb = b.shape
        return Autograd.record(out, inputs: [a, b]) { g, need in
            [need[0] ? g.summed(toShape: sa) : nil, need[1] ? (-g).summed(toShape: sb) : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(a, b, *)
        let av = a.detached, bv = b.detached
        return Autograd.record(out, inputs: [a, b]) { g, need in
            [need[0] ? (g * bv).summed(toShape: av.shape) : nil,
             need[1] ? (g * av).summed(toShape: bv.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(a, b, /)
        let av = a.detached, bv = b.detached
        return Autograd.record(out, inputs: [a, b]) { g, need in
            [need[0] ? (g / bv).summed(toShape: av.shape) : nil,
             need[1] ? (broadcastMap(g, broadcastMap(av, bv) { x, y in -x / (y * y) }, *)).summed(toShape: bv.shape) : nil]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { x * -1 }

    public static func + (a: Tensor, s: Float) -> Tensor {
        Autograd.record(unaryMap(a) { $0 + s }, inputs: [a]) { g in [g] }
    }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (s: Float, a: Tensor) -> Tensor { (a * -1) + s }
    public static func * (a: Tensor, s: Float) -> Tensor {
        Autograd.record(unaryMap(a) { $0 * s }, inputs: [a]) { g in [g * s] }
    }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
    public static func / (s: Float, a: Tensor) -> Tensor {
        let x = a.detached
        return Autograd.record(unaryMap(a) { s / $0 }, inputs: [a]) { g in [broadcastMap(g, x) { g, x in -g * s / (x * x) }] }
    }

    /// In-place `self += other` (same shape, no gradient recorded): gradient accumulation and
    /// optimiser updates use it.
    public mutating func addInPlace(_ other: Tensor, scale: Float = 1) {
        precondition(shape == other.shape, "addInPlace: \(shape) vs \(other.shape)")
        let po = other.storage.pointer
        withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] += scale * po[i] }
        }
    }
}

// Elementwise functions, each with its local derivative.
extension Tensor {
    public func exp() -> Tensor {
        let out = unaryMap(self) { Foundation.expf($0) }
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out, *)] }
    }

    public func log() -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self) { Foundation.logf($0) }, inputs: [self]) { g in [broadcastMap(g, x, /)] }
    }

    public func sqrt() -> Tensor {
        let out = unaryMap(self) { $0.squareRoot() }
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out) { g, y in g * 0.5 / y }] }
    }

    public func squared() -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self) { $0 * $0 }, inputs: [self]) { g in [broadcastMap(g, x) { g, x in 2 * g * x }] }
    }

    public func abs() -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self) { Swift.abs($0) }, inputs: [self]) { g in
            [broadcastMap(g, x) { g, x in x > 0 ? g : (x < 0 ? -g : 0) }]
        }
    }

    public func relu() -> Tensor {
        let out = unaryMap(self) { Swift.max($0, 0) }
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out) { g, y in y > 0 ? g : 0 }] }
    }

    public func leakyRelu(_ slope: Float = 0.2) -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self) { $0 > 0 ? $0 : slope * $0 }, inputs: [self]) { g in
            [broadcastMap(g, x) { g, x in x > 0 ? g : slope * g }]
        }
    }

    public func tanh() -> Tensor {
        let out = unaryMap(self) { Foundation.tanhf($0) }
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out) { g, y in g * (1 - y * y) }] }
    }

    public func sigmoid() -> Tensor {
        let out = unaryMap(self) { 1 / (1 + Foundation.expf(-$0)) }
        return Autograd.record(out, inputs: [self]) { g in [broadcastMap(g, out) { g, y in g * y * (1 - y) }] }
    }

    /// log(1 + eˣ), computed without overflow.
    public func softplus() -> Tensor {
        let x = detached
        let out = unaryMap(self) { Swift.max($0, 0) + Foundation.log1pf(Foundation.expf(-Swift.abs($0))) }
        return Autograd.record(out, inputs: [self]) { g in
            [broadcastMap(g, x) { g, x in g / (1 + Foundation.expf(-x)) }]
        }
    }

    /// Clamps values into [low, high]; the gradient passes only where the value was inside.
    public func clamped(_ low: Float, _ high: Float) -> Tensor {
        let x = detached
        return Autograd.record(unaryMap(self) { Swift.min(Swift.max($0, low), high) }, inputs: [self]) { g in
            [broadcastMap(g, x) { g, x in (x >= low && x <= high) ? g : 0 }]
        }
    }
}
