/// A factor's stable name, its kind and a one-line meaning.
public struct FactorDescriptor: Equatable, Sendable {
    public let name: String
    public let kind: FactorKind
    public let summary: String

    public init(name: String, kind: FactorKind, summary: String) {
        self.name = name
        self.kind = kind
        self.summary = summary
    }
}
