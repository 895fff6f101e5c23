import Foundation

/// A set of numbers measured once per translator seed that can be reduced number by number.
public protocol SeedAveraged: Codable {
    /// The numbers whose every field is `reduce` over the same field of `values` (a factor missing
    /// in one repeat is reduced over the repeats that have it).
    static func combining(_ values: [Self], _ reduce: ([Double]) -> Double) -> Self
}

extension SeedAveraged {
    /// Reduces each factor of per-seed factor → value tables.
    static func combineFactors(_ tables: [[String: Double]], _ reduce: ([Double]) -> Double) -> [String: Double] {
        let factors = Set(tables.flatMap(\.keys))
        return Dictionary(uniqueKeysWithValues: factors.map { f in (f, reduce(tables.compactMap { $0[f] })) })
    }
}
