import Foundation

/// Finished runs side by side: read from their report.json, checked to measure the same thing
/// (same autoencoder, same test data, same factors), with the layer slots and factors the
/// comparison's tables and figures share. `ComparisonWriter` renders it.
public struct Comparison {
    public struct Run {
        /// How tables and figures name the run: the expert, or the folder where experts repeat.
        public let name: String
        /// The folder as given on the command line.
        public let path: String
        public let result: DiagnosisResult
    }

    public let runs: [Run]
    /// Layer slots in first-seen order: a layer's alias (early, mid, last) where it has one, so the
    /// same depth of different experts shares a row; else its name.
    public let slots: [String]
    /// The factors every run scored, in the first run's table order.
    public let factors: [String]

    /// Reads `paths` (report folders) and checks them; throws `ComparisonError` naming the problem.
    public static func load(paths: [String]) throws -> Comparison {
        guard paths.count >= 2 else { throw ComparisonError.tooFewRuns(count: paths.count) }
        var seen = Set<String>()
        var loaded: [(path: String, result: DiagnosisResult)] = []
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
            guard seen.insert(url.path).inserted else { throw ComparisonError.sameRunTwice(path: path) }
            loaded.append((path, try read(folder: url, as: path)))
        }
        let experts = loaded.map(\.result.expert)
        let runs = loaded.map { run in
            Run(name: experts.filter { $0 == run.result.expert }.count > 1 ? "\(run.result.expert) (\(run.path))" : run.result.expert,
                path: run.path, result: run.result)
        }
        return try Comparison(runs: runs)
    }

    public init(runs: [Run]) throws {
        guard runs.count >= 2 else { throw ComparisonError.tooFewRuns(count: runs.count) }
        for other in runs.dropFirst() { try Comparison.checkComparable(runs[0], other) }
        self.runs = runs
        var slots: [String] = []
        for run in runs {
            for layer in run.result.layers where !slots.contains(ReportFacts.label(layer)) { slots.append(ReportFacts.label(layer)) }
        }
        self.slots = slots
        factors = ReportFacts(runs[0].result).factors
    }

    /// The run's layer in `slot`, if it has one.
    func layer(_ run: Run, slot: String) -> LayerResult? {
        run.result.layers.first { ReportFacts.label($0) == slot }
    }

    /// A factor's score in a run's layer slot, or in its ceiling for `ceilingSlot`, with the
    /// standard deviation over the run's seeds (nil for a single-seed run).
    func score(_ run: Run, slot: String, ceilingSlot: String, factor: String) -> (value: Double?, sd: Double?) {
        if slot == ceilingSlot { return (run.result.invarianceCeiling?[factor], run.result.overSeeds?.sd.invarianceCeiling?[factor]) }
        let l = layer(run, slot: slot)
        return (l?.invariance[factor], l?.overSeeds?.sd.invariance[factor])
    }

    /// The run's seed as the comparison prints it, with K where it has several translator seeds.
    static func seedLabel(_ r: DiagnosisResult) -> String {
        r.seeds.map { $0 > 1 ? "\(r.seed) (K = \($0))" : "\(r.seed)" } ?? "\(r.seed)"
    }

    /// Reads one folder's report.json the way ReportJSON wrote it (snake_case keys, NaN as strings).
    static func read(folder: URL, as path: String) throws -> DiagnosisResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ComparisonError.missingFolder(path: path)
        }
        let file = folder.appendingPathComponent(ReportWriter.jsonFile)
        guard FileManager.default.fileExists(atPath: file.path) else { throw ComparisonError.notAReport(path: path) }
        do {
            return try ReportJSON.decode(Data(contentsOf: file))
        } catch let DecodingError.keyNotFound(key, context) {
            throw ComparisonError.unreadableReport(path: path, reason: "missing \(describe(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ComparisonError.unreadableReport(path: path, reason: "unexpected value at \(describe(context.codingPath))")
        } catch let DecodingError.dataCorrupted(context) {
            throw ComparisonError.unreadableReport(path: path, reason: context.codingPath.isEmpty
                ? "not valid JSON" : "corrupt value at \(describe(context.codingPath))")
        } catch {
            throw ComparisonError.unreadableReport(path: path, reason: String(describing: error))
        }
    }

    /// A coding path as report.json spells it: "layers[1].bits_kept".
    private static func describe(_ path: [CodingKey]) -> String {
        var out = ""
        for key in path {
            if let i = key.intValue { out += "[\(i)]"; continue }
            let snake = key.stringValue.reduce(into: "") { s, ch in
                if ch.isUppercase { s += "_" + ch.lowercased() } else { s.append(ch) }
            }
            out += (out.isEmpty ? "" : ".") + snake
        }
        return out
    }

    /// The hash of the autoencoder's weights: the pipeline records it as "autoencoder".
    static func autoencoderHash(_ r: DiagnosisResult) -> String? {
        r.weightsHashes["autoencoder"] ?? r.weightsHashes.first { $0.key.hasPrefix("autoencoder") }?.value
    }

    /// Two runs measure the same thing when the translators target the same code (autoencoder
    /// weights), the numbers are taken on the same test scenes (seed and count) and the same
    /// factors are scored. Anything else (expert, layers, steps, flow size) may differ: that is
    /// what a comparison is for.
    static func checkComparable(_ a: Run, _ b: Run) throws {
        func refuse(_ field: String, _ x: String, _ y: String, _ why: String) -> ComparisonError {
            .notComparable(first: a.path, second: b.path, field: field, a: x, b: y, why: why)
        }
        let codeWhy = "the translators target different autoencoder codes, so bits kept and samples are not on one scale"
        guard let ha = autoencoderHash(a.result) else { throw ComparisonError.missingField(run: a.path, field: "weights_hashes.autoencoder") }
        guard let hb = autoencoderHash(b.result) else { throw ComparisonError.missingField(run: b.path, field: "weights_hashes.autoencoder") }
        if ha != hb { throw refuse("weights_hashes.autoencoder", ha, hb, codeWhy) }
        if a.result.codeDimensions != b.result.codeDimensions {
            throw refuse("code_dimensions", "\(a.result.codeDimensions)", "\(b.result.codeDimensions)", codeWhy)
        }
        let dataWhy = "the runs were measured on different test scenes; re-run one with the other's --seed and settings"
        if a.result.seed != b.result.seed { throw refuse("seed", "\(a.result.seed)", "\(b.result.seed)", "the seed draws the scenes: " + dataWhy) }
        for key in ["test_scenes"] {
            let x = a.result.configuration[key] ?? "unrecorded", y = b.result.configuration[key] ?? "unrecorded"
            if x != y { throw refuse("configuration.\(key)", x, y, dataWhy) }
        }
        let fa = Set(ReportFacts(a.result).factors), fb = Set(ReportFacts(b.result).factors)
        if fa != fb {
            func list(_ s: Set<String>) -> String { s.isEmpty ? "none" : s.sorted().joined(separator: ", ") }
            throw refuse("factors", "only \(list(fa.subtracting(fb)))", "only \(list(fb.subtracting(fa)))",
                         "the runs score different factor sets, so their invariance columns do not match")
        }
    }
}
