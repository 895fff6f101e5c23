import Tensors

/// In-memory training or held-out data: codes z_Θ [N, D] and, for conditional models, expert
/// features z_Φ [N, C, H, W] or [N, F] in the same row order.
public struct TranslationPairs {
    public var codes: Tensor
    public var features: Tensor?

    public init(codes: Tensor, features: Tensor?) throws {
        guard codes.rank == 2 else { throw FlowError.inputShape("codes have shape \(codes.shape), expected [N, D]") }
        if let features, features.rank < 2 || features.shape[0] != codes.shape[0] {
            throw FlowError.inputShape("features \(features.shape) do not pair with codes \(codes.shape) (same N first)")
        }
        self.codes = codes
        self.features = features
    }

    public var count: Int { codes.shape[0] }

    /// Rows `indices` of both tensors.
    public func rows(_ indices: [Int]) -> (codes: Tensor, features: Tensor?) {
        (codes.gather(axis: 0, indices: indices), features?.gather(axis: 0, indices: indices))
    }

    /// Rows that hold NaN or ±∞ in codes or features.
    public func nonFiniteRows() -> [Int] {
        var bad = Set<Int>()
        for t in [codes] + (features.map { [$0] } ?? []) {
            let n = t.shape[0], m = t.count / max(n, 1)
            t.withUnsafeBufferPointer { p in
                for i in 0..<n where !(0..<m).allSatisfy({ p[i * m + $0].isFinite }) { bad.insert(i) }
            }
        }
        return bad.sorted()
    }
}
