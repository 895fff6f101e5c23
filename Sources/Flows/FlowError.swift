/// Errors of building, loading and training translators (divergence is NN's `TrainingDiverged`).
/// Each names what is wrong and, where it helps, what to do about it.
public enum FlowError: Error, CustomStringConvertible {
    /// A block does not fit the network it is put in.
    case blockShape(block: String, index: Int, problem: String)
    /// Input tensors whose shapes do not fit the model.
    case inputShape(String)
    /// Data with NaN or infinite values (rows listed, first few).
    case nonFiniteData(what: String, rows: [Int])
    /// A checkpoint that does not describe this kind of model.
    case checkpoint(String)

    public var description: String {
        switch self {
        case let .blockShape(block, index, problem):
            return "flow block \(index) \(block): \(problem)"
        case let .inputShape(text):
            return text
        case let .nonFiniteData(what, rows):
            let shown = rows.prefix(8).map(String.init).joined(separator: ", ")
            return "\(what) contains NaN or infinite values in \(rows.count) row(s) (\(shown)\(rows.count > 8 ? ", …" : "")); "
                + "remove them or recompute the cache"
        case let .checkpoint(text):
            return "cannot load translator: \(text)"
        }
    }
}
