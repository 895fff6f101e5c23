import Foundation
import Report

/// `diagnose compare A B ... --out DIR`: reads the runs' report.json, checks that they are
/// comparable and writes the comparison folder with the same staging, publishing and `--force`
/// rules as a diagnosis report (`ReportFolder`, marked by comparison.json).
public enum RunComparison {
    /// Returns the comparison and the folder it was published to.
    public static func run(runs paths: [String], output: URL, force: Bool) throws -> (comparison: Comparison, folder: URL) {
        // Inputs first: a bad run must not cost the user an existing --out folder.
        let comparison = try Comparison.load(paths: paths)
        func resolved(_ url: URL) -> String { url.standardizedFileURL.resolvingSymlinksInPath().path }
        for path in paths where resolved(URL(fileURLWithPath: path)) == resolved(output) {
            throw DiagnosisError("--out \(output.path) is one of the runs being compared; choose another --out, e.g. --out comparison")
        }
        let folder = try ReportFolder(output, force: force, marker: ComparisonWriter.manifestFile)
        try folder.prepareStaging(subfolders: [])
        do {
            try ComparisonWriter.write(comparison, to: folder.staging)
            try folder.publish()
        } catch {
            folder.discardStaging()
            throw error
        }
        return (comparison, folder.url)
    }
}
