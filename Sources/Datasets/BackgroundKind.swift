/// The background pattern of a scene. Patterns are coarse (bands a quarter of the scene wide,
/// fixed phase) so that a 64-dimensional autoencoder can reproduce them.
public enum BackgroundKind: Int, CaseIterable, Sendable, CustomStringConvertible {
    case solid = 0
    case horizontalStripes = 1
    case verticalStripes = 2
    case checker = 3

    public var description: String {
        switch self {
        case .solid: return "solid"
        case .horizontalStripes: return "h-stripes"
        case .verticalStripes: return "v-stripes"
        case .checker: return "checker"
        }
    }

    /// Whether pixel (x, y) takes the second colour; `band` is the stripe/cell width in pixels.
    @inline(__always)
    public func usesSecondColor(x: Int, y: Int, band: Int) -> Bool {
        switch self {
        case .solid: return false
        case .horizontalStripes: return (y / band) & 1 == 1
        case .verticalStripes: return (x / band) & 1 == 1
        case .checker: return ((x / band) + (y / band)) & 1 == 1
        }
    }
}
