import Foundation

/// One task of a `RunPlan`: what it does, which tasks it waits for and the files it reads and
/// writes. Paths are relative to the run folder when inside it, else absolute.
public struct PlanTask: Codable, Equatable {
    /// The stages a plan splits into; the tasks of one stage are independent of each other and
    /// become one Slurm job array.
    public enum Stage: String, Codable, CaseIterable {
        /// Features of every layer and codes of one shard of a scene range (train, selection, test).
        case features
        /// One translator of one seed: the unconditional flow, or one layer's cINN or MLP baseline.
        case translators
        /// One layer's numbers with one seed's translators, its contact sheet (first seed) and
        /// translators, as the report will hold them.
        case evaluation

        /// Stages run in this order; the tasks of a stage in any order.
        var order: Int { Self.allCases.firstIndex(of: self)! }
    }

    public var index: Int
    public var stage: Stage
    /// Unique in the plan; also the name of the task's records in `tasks/`.
    public var name: String
    /// The scene range of a features task, and the shard of it that the task extracts.
    var part: ScenePairs.Part?
    var scenes: Range<Int>?
    /// The translator a translators task trains.
    var translator: TranslatorSpec.Role?
    /// Which translator seed of `--seeds K` a translators or evaluation task is for; nil for the
    /// first (`DiagnosisOptions.translatorRepeat`).
    var translatorRepeat: Int?
    /// The layer of a cINN, MLP or evaluation task.
    public var layer: String?
    /// Tasks whose outputs this one reads: it refuses to start before they are done.
    public var after: [Int]
    public var inputs: [String]
    /// What the task writes; the task is done when its record and all of these exist.
    public var outputs: [String]
}
