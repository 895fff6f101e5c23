import FileSupport
import Flows
import Foundation

/// Trained translators on disk, one file per `TranslatorSpec` named by its digest: an
/// interrupted run resumes from the ones already trained, and a change of any setting trains anew.
struct TranslatorCache {
    let directory: URL

    /// `cacheDirectory` is the run's (`--cache`); translators live in its `translators` folder.
    init(directory cacheDirectory: URL) { directory = cacheDirectory.appendingPathComponent("translators") }

    /// Where the translator of `spec` is kept.
    func file(_ spec: TranslatorSpec) -> URL { directory.appendingPathComponent(spec.fileName) }

    /// The job's translator from the cache, or trained (and then cached). A file that does not
    /// load as a translator of the job's role is trained again, never trusted.
    func trained(_ job: TranslatorJob, report: @escaping (Int, String) -> Void) throws -> TrainedTranslator {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let spec = job.spec, file = self.file(spec)
        if let (model, meta) = try? TranslatorStore.load(file), spec.role.isRole(of: model) {
            report(spec.training.steps, "reused \(file.lastPathComponent)")
            return TrainedTranslator(spec: spec, model: model, bestStep: Int(meta["best_step"] ?? "") ?? spec.training.steps)
        }
        let model = try spec.make()
        let result = try TranslatorTrainer(model: model, configuration: spec.training)
            .train(training: job.training, heldOut: job.heldOut) { p in
                let held = p.bestHeldOutLoss.map { String(format: " best held-out %.3f %@", $0, model.lossUnit) } ?? ""
                report(p.step, String(format: "loss %.3f", p.trainLoss) + held)
            }
        try TranslatorStore.save(result.best, to: file, extra: ["best_step": "\(result.bestStep)", "spec_digest": spec.digest.hex])
        KillPoint.translators.reached()
        return TrainedTranslator(spec: spec, model: model, bestStep: result.bestStep)
    }
}

/// A translator of a spec, trained or loaded, with the step of its best held-out loss.
struct TrainedTranslator {
    let spec: TranslatorSpec
    let model: any Translator
    let bestStep: Int
}

extension TranslatorSpec.Role {
    /// Whether `model` is the kind of translator this role trains.
    func isRole(of model: any Translator) -> Bool {
        switch self {
        case .unconditional: return model is UnconditionalFlow
        case .cinn: return model is ConditionalFlow
        case .mlp: return model is MLPBaseline
        }
    }
}
