import Tensors

/// The values of one run of an execution plan, each kept in the layout its producer wrote it in,
/// and handed out in the layout a reader asks for. A copy in the other layout is made once and
/// kept until the value's last reader has run.
///
/// Only rank-4 float maps are ever channels-last. Asked for channels-last, a float value of lower
/// rank (a broadcast operand such as a [C, 1, 1] bias) is read as rank 4 with leading ones first,
/// so that broadcasting in storage order matches broadcasting in the logical order.
struct LaidOutValues {
    private var stored: [String: Value] = [:]
    private var channelsLast: Set<String> = []
    private var copies: [String: Value] = [:]
    /// Where values not computed in this run come from (the plan's constants).
    private let constant: (String) -> Value?
    /// Copies made into the other layout (tests check that a route avoids them).
    private(set) var conversions = 0

    init(constant: @escaping (String) -> Value?) { self.constant = constant }

    mutating func store(_ name: String, _ value: Value, layout: FeatureMapLayout) {
        stored[name] = value
        if layout == .channelsLast { channelsLast.insert(name) } else { channelsLast.remove(name) }
    }

    /// The layout `name` is stored in (constants are channels-first).
    func layout(of name: String) -> FeatureMapLayout { channelsLast.contains(name) ? .channelsLast : .channelsFirst }

    /// The rank of `name`'s logical shape, if it is known here.
    func rank(of name: String) -> Int? { (stored[name] ?? constant(name))?.shape.count }

    /// `name`'s shape as stored, if it is known here.
    func storedShape(of name: String) -> [Int]? { (stored[name] ?? constant(name))?.shape }

    /// `name` in `layout`: as stored, or converted (once) into it.
    mutating func value(_ name: String, in layout: FeatureMapLayout) -> Value? {
        guard let value = stored[name] ?? constant(name) else { return nil }
        if layout == self.layout(of: name) { return value }
        if let copy = copies[name] { return copy }
        guard case let .float(t) = value else { return value }
        let copy: Value
        if layout == .channelsFirst {
            copy = .float(t.channelsFirst())
        } else {
            precondition(t.rank <= 4, "only maps of rank 4 or less are read channels-last")
            copy = .float((t.rank == 4 ? t : t.reshaped(Array(repeating: 1, count: 4 - t.rank) + t.shape)).channelsLast())
        }
        copies[name] = copy
        conversions += 1
        return copy
    }

    /// Forgets `name` after its last reader.
    mutating func release(_ name: String) {
        stored[name] = nil
        copies[name] = nil
        channelsLast.remove(name)
    }
}
