import Experts
import FileSupport
import Foundation
import Imaging

/// A diagnosis run as tasks on a shared folder (docs/scale.md): `diagnose plan` writes it as
/// RUN/plan.json, `diagnose task RUN --index N` does one task, `diagnose assemble` writes the
/// report once every task is done. The options are stored in full, with absolute paths, so a task
/// on any machine that sees the folder makes the run's choices.
public struct RunPlan: Codable, Equatable {
    static let fileName = "plan.json"
    static let formatName = "diagnose-run-plan"
    /// Bumped whenever tasks, their outputs or their records change meaning.
    static let currentFormatVersion = 3

    var format: String
    var formatVersion: Int
    /// The `diagnose` that made the plan: tasks of another version are refused (their numbers
    /// could differ from this one's).
    var diagnoseVersion: String
    public var options: DiagnosisOptions
    /// Scenes per features task (rounded down to whole extraction batches): the features stage
    /// spreads over as many tasks as the parts have shards. nil: one task per scene range (a run
    /// in one process).
    public var shardScenes: Int?
    /// `Expert.identity` when planned: weights or preprocessing that changed since are refused.
    var expertIdentity: Digest
    public var tasks: [PlanTask]

    /// About a minute of extraction for an ImageNet-size network on two cores (docs/scale.md).
    public static let defaultShardScenes = 2_000
    public static let shardScenesRange = 16...50_000

    public func tasks(of stage: PlanTask.Stage) -> [PlanTask] { tasks.filter { $0.stage == stage } }

    /// The plan of a run with options `o` in the folder `run` (not written), its features cut
    /// into shards of about `shardScenes` scenes.
    static func make(_ o: DiagnosisOptions, run: URL, shardScenes: Int = defaultShardScenes) throws -> RunPlan {
        var o = o
        // Absolute paths: tasks run with another working directory, on other machines.
        o.output = o.output.standardizedFileURL
        o.cacheDirectory = o.cacheDirectory.standardizedFileURL
        o.weightsDirectory = (o.weightsDirectory ?? ProjectFiles.weights).standardizedFileURL
        o.dataDir = o.dataDir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        o.images = o.images.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        o.autoencoder = o.autoencoder?.standardizedFileURL
        o.force = false
        let inputs = try RunInputs.load(o, folder: try ReportFolder(o.output, force: true))
        let trainScenes = try ScenePairs.sources(inputs).train.dataIdentity
        return make(inputs, trainScenes: trainScenes, run: run, shardScenes: shardScenes)
    }

    /// The plan of the run `inputs` describe: features of each scene range (in shards of about
    /// `shardScenes` scenes, or whole), then per translator seed the unconditional flow and each
    /// layer's cINN and MLP, then per seed each layer's evaluation. Paths inside `run` are
    /// relative to it. `trainScenes` is the training side's `ImageSource.dataIdentity`.
    static func make(_ inputs: RunInputs, trainScenes: Digest, run: URL?, shardScenes: Int?) -> RunPlan {
        let o = inputs.options
        let cache = TranslatorCache(directory: o.cacheDirectory)
        func local(_ url: URL) -> String {
            let path = url.standardizedFileURL.path
            guard let root = run.map({ $0.standardizedFileURL.path + "/" }), path.hasPrefix(root) else { return path }
            return String(path.dropFirst(root.count))
        }

        var tasks: [PlanTask] = []
        func add(_ stage: PlanTask.Stage, _ name: String, part: ScenePairs.Part? = nil, scenes: Range<Int>? = nil,
                 translator: TranslatorSpec.Role? = nil, translatorRepeat: Int? = nil, layer: String? = nil,
                 after: [Int], inputs: [String], outputs: [String]) {
            tasks.append(PlanTask(index: tasks.count, stage: stage, name: name, part: part, scenes: scenes, translator: translator,
                                  translatorRepeat: translatorRepeat, layer: layer, after: after, inputs: inputs,
                                  outputs: outputs + [TaskRecord.path(name, .done)]))
        }
        let features = local(o.cacheDirectory.appendingPathComponent("features")) + "/"
        let weights = local(o.weightsDirectory ?? ProjectFiles.weights) + "/"
        for part in ScenePairs.Part.allCases {
            let shards = ScenePairs.shards(part, inputs, shardScenes: shardScenes)
            for (k, r) in shards.enumerated() {
                add(.features, "features-\(part.rawValue)" + (shards.count > 1 ? "-\(k + 1)" : ""), part: part, scenes: r, after: [],
                    inputs: [weights, "\(part.split) scenes \(r.lowerBound)..<\(r.upperBound), seed \(o.seed)"], outputs: [features])
            }
        }
        // Translators train and select on the train and selection scenes; evaluations also read the test scenes.
        let featureTasks = tasks.filter { $0.part != .test }.map(\.index)
        let allFeatureTasks = tasks.map(\.index)
        for r in 0..<o.repeats {
            let seedInputs = inputs.translatorRepeat(r), suffix = r == 0 ? "" : "-seed\(seedInputs.options.translatorSeed)"
            let specs = TrainedTranslators.specs(seedInputs, scenes: trainScenes, layers: inputs.layers)
            let first = tasks.count
            for spec in specs {
                add(.translators, spec.role.description + suffix, translator: spec.role, translatorRepeat: r == 0 ? nil : r,
                    layer: spec.role.layer, after: featureTasks, inputs: [features], outputs: [local(cache.file(spec))])
            }
            for layer in inputs.layers {
                let own = specs.indices.filter { [nil, layer.name].contains(specs[$0].role.layer) }.map { first + $0 }
                add(.evaluation, "evaluation-\(layer.name)" + suffix, translatorRepeat: r == 0 ? nil : r, layer: layer.name,
                    after: allFeatureTasks + own, inputs: [features] + own.map { tasks[$0].outputs[0] },
                    outputs: [StoredEvaluation.folder(layer.name, seed: seedInputs.options.translatorSeed) + "/" + StoredEvaluation.resultFile])
            }
        }
        return RunPlan(format: formatName, formatVersion: currentFormatVersion, diagnoseVersion: DiagnosisPipeline.version,
                       options: o, shardScenes: shardScenes, expertIdentity: inputs.expert.identity, tasks: tasks)
    }

    /// The plan in `run`, checked: a missing, damaged or foreign plan.json is an error that says what to do.
    public static func load(_ run: URL) throws -> RunPlan {
        let file = run.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            let what = FileManager.default.fileExists(atPath: run.path) ? "holds no \(fileName)" : "does not exist"
            throw DiagnosisError("run folder \(run.path) \(what): make the plan first with "
                                 + "`diagnose plan --expert E --layers ... --run \(run.path)`")
        }
        struct Header: Decodable { var format: String?; var formatVersion: Int?; var diagnoseVersion: String? }
        guard let header = try? decoder.decode(Header.self, from: data), header.format == formatName else {
            throw DiagnosisError("\(file.path) is not a plan written by diagnose (damaged or another file): "
                                 + "make the plan again with `diagnose plan ... --run \(run.path) --force`")
        }
        guard header.formatVersion == currentFormatVersion, header.diagnoseVersion == DiagnosisPipeline.version else {
            throw DiagnosisError("\(file.path) was made by diagnose \(header.diagnoseVersion ?? "?") (plan format "
                                 + "\(header.formatVersion.map(String.init) ?? "?")), this is diagnose \(DiagnosisPipeline.version) "
                                 + "(plan format \(currentFormatVersion)): finish the run with the diagnose that planned it, "
                                 + "or plan it again with this one in a new folder (`diagnose plan ... --run NEW`)")
        }
        do {
            let plan = try decoder.decode(RunPlan.self, from: data)
            guard plan.tasks.enumerated().allSatisfy({ $0.offset == $0.element.index }),
                  plan.tasks.allSatisfy({ $0.after.allSatisfy { $0 >= 0 && $0 < plan.tasks.count } }) else {
                throw DiagnosisError("task indices are not 0..<\(plan.tasks.count) in order")
            }
            return plan
        } catch {
            throw DiagnosisError("\(file.path) is damaged (\(error)): make the plan again with "
                                 + "`diagnose plan ... --run \(run.path) --force`")
        }
    }

    /// Writes plan.json atomically.
    func write(to run: URL) throws {
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try AtomicFile.write(Array(try Self.encoder.encode(self)) + [0x0A], to: run.appendingPathComponent(Self.fileName).path)
    }

    public func task(_ index: Int, in run: URL) throws -> PlanTask {
        guard tasks.indices.contains(index) else {
            throw DiagnosisError("--index \(index) is out of range: the plan in \(run.path) has tasks 0...\(tasks.count - 1) "
                                 + "(`diagnose status \(run.path)` lists them)")
        }
        return tasks[index]
    }

    /// A path of the plan as an absolute URL.
    static func url(_ path: String, in run: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : run.appendingPathComponent(path)
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .iso8601
        return d
    }
}

extension RunPlan {
    /// Folders in a run that the tool writes and `plan --force` may therefore remove.
    static let ownFolders = ["tasks", "evaluations", SlurmSubmission.folder]

    /// `diagnose plan`: writes the plan of `o` into `run`, unless the same plan is there already.
    /// A folder holding a plan of other settings is replaced only with `force`, which removes the
    /// old plan's records and evaluations but keeps the caches (their keys hold every setting);
    /// a non-empty folder without a plan is never touched.
    public static func create(_ o: DiagnosisOptions, run: URL, shardScenes: Int = defaultShardScenes,
                              force: Bool) throws -> (plan: RunPlan, unchanged: Bool) {
        let fm = FileManager.default
        guard shardScenesRange.contains(shardScenes) else {
            throw DiagnosisError("--shard-scenes \(shardScenes) is out of range: use \(shardScenesRange.lowerBound)...\(shardScenesRange.upperBound)")
        }
        let plan = try make(o, run: run, shardScenes: shardScenes)
        let file = run.appendingPathComponent(fileName)
        if fm.fileExists(atPath: file.path) {
            let old = try? load(run)
            if old == plan { return (plan, true) }
            guard force else {
                let difference = old.map { Self.difference($0, plan) } ?? "it is damaged or of another version"
                throw DiagnosisError("\(run.path) holds a plan for other settings (\(difference)): choose a new --run, or pass "
                                     + "--force to replace it (its task records and evaluations go; the caches stay)")
            }
            for name in ownFolders { try? fm.removeItem(at: run.appendingPathComponent(name)) }
        } else if let contents = try? fm.contentsOfDirectory(atPath: run.path), !contents.isEmpty {
            throw DiagnosisError("--run \(run.path) is not empty and holds no \(fileName), so it is not a run folder of ours: "
                                 + "choose a new or empty folder")
        }
        try plan.write(to: run)
        return (plan, false)
    }

    /// The first setting in which two plans differ, for the error above.
    static func difference(_ a: RunPlan, _ b: RunPlan) -> String {
        func fields(_ p: RunPlan) -> [String: String] {
            guard let data = try? encoder.encode(p.options),
                  let dict = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
            return dict.mapValues { "\($0)" }
        }
        let (x, y) = (fields(a), fields(b))
        if let key = Set(x.keys).union(y.keys).sorted().first(where: { x[$0] != y[$0] }) {
            return "\(key): \(x[key] ?? "none") there, \(y[key] ?? "none") now"
        }
        if a.shardScenes != b.shardScenes { return "shard_scenes: \(a.shardScenes ?? 0) there, \(b.shardScenes ?? 0) now" }
        return a.expertIdentity != b.expertIdentity ? "the expert's weights changed" : "tasks differ"
    }
}
