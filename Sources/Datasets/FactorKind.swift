/// How a factor's numeric value is to be read (by read-outs and invariance scores).
public enum FactorKind: Equatable, Sendable {
    /// Integer codes 0..<classes.
    case categorical(classes: Int)
    /// A real value in the closed range.
    case continuous(ClosedRange<Float>)
    /// An angle-like value in 0..<period that wraps round (hue).
    case circular(period: Float)

    /// Numbers per draw that invariance scores compare: class probabilities for a categorical
    /// factor (FactorReadout.scoringValues), one value otherwise.
    public var scoringWidth: Int {
        if case .categorical(let classes) = self { return classes }
        return 1
    }
}
