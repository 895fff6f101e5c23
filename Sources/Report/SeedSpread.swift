import Foundation
import Metrics

/// How a run's numbers spread over its translator seeds (`--seeds K`, K > 1): the standard
/// deviation of each number whose mean the result holds in its usual field, and the numbers of
/// every repeat, so a reader can recompute both. In report.json: `over_seeds` = {`sd`, `per_seed`}.
public struct SeedSpread<Numbers: SeedAveraged>: Codable {
    /// Sample standard deviation over the seeds (n − 1 in the denominator).
    public var sd: Numbers
    /// Each repeat's numbers, in the order of the result's `translator_seeds`.
    public var perSeed: [Numbers]

    public init(sd: Numbers, perSeed: [Numbers]) { (self.sd, self.perSeed) = (sd, perSeed) }

    /// The mean of each number over `perSeed` and the spread around it; at least two repeats.
    public static func over(_ perSeed: [Numbers]) -> (mean: Numbers, spread: SeedSpread) {
        (Numbers.combining(perSeed, SampleStatistics.mean), SeedSpread(sd: Numbers.combining(perSeed, SampleStatistics.standardDeviation),
                                                                       perSeed: perSeed))
    }
}
