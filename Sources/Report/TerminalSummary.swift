import Foundation

/// The one-screen summary printed at the end of a run: at most `maxLines` lines of at most
/// `maxColumns` characters, whatever the names and the number of warnings.
enum TerminalSummary {
    static let maxColumns = 100
    static let maxLines = 25
    static let factorColumns = 4

    static func render(_ result: DiagnosisResult, reportPath: String?) -> String {
        let facts = ReportFacts(result)
        let telling = facts.tellingFactors(count: factorColumns)
        // A trailing * marks factors whose read-out is too weak to trust (explained below the table).
        let tellingHeaders = zip(telling, ReportFormat.abbreviations(telling, maxLength: 7))
            .map { facts.isTrusted(factor: $0) ? $1 : $1 + "*" }

        var lines: [String] = []
        let seeds = result.seeds.map { $0 > 1 ? ", \($0) translator seeds" : "" } ?? ""
        lines += wrap("diagnose \(result.expert), seed \(result.seed)\(seeds): \(result.layers.count) layers, "
            + "\(result.codeDimensions)-d code, unconditional NLL \(ReportFormat.nll(result.unconditionalNllNatsPerDim)) nats/dim, "
            + "Frechet floor \(ReportFormat.frechet(result.frechetReconstruction))", indent: "  ")

        func row(_ layer: String, _ cells: [String], _ factorCells: [String]) -> String {
            let widths = [7, 7, 8, 8, 7, 6]
            var s = pad(cut(layer, 12), 12, right: false)
            for (c, w) in zip(cells, widths) { s += " " + pad(c, w, right: true) }
            s += " |"
            for c in factorCells { s += " " + pad(c, 8, right: true) }
            return s
        }
        lines.append(row("layer", ["bits", "NLL", "Fr.cINN", "Fr.MLP", "div", "calib"], tellingHeaders))
        lines.append(String(repeating: "-", count: min(lines.last!.count, maxColumns)))
        for l in result.layers {
            lines.append(row(ReportFacts.label(l),
                             [ReportFormat.bits(l.bitsKept), ReportFormat.nll(l.nllConditionalNatsPerDim),
                              ReportFormat.frechet(l.frechetCinn), ReportFormat.frechet(l.frechetMlp),
                              ReportFormat.diversity(l.diversityCinn), ReportFormat.calibration(l.calibration)],
                             telling.map { l.invariance[$0].map(ReportFormat.score) ?? ReportFormat.missing }))
            // Several seeds: the standard deviations on a line of their own under the means.
            if let sd = l.overSeeds?.sd {
                lines.append(row("  ± sd", [ReportFormat.bits(sd.bitsKept), ReportFormat.nll(sd.nllConditionalNatsPerDim),
                                           ReportFormat.frechet(sd.frechetCinn), ReportFormat.frechet(sd.frechetMlp),
                                           ReportFormat.diversity(sd.diversityCinn), ReportFormat.calibration(sd.calibration)],
                                 telling.map { sd.invariance[$0].map(ReportFormat.score) ?? ReportFormat.missing }))
            }
        }
        if let ceiling = facts.ceilingScores(telling) {
            lines.append(row("ceiling", Array(repeating: "", count: 6), ceiling.map(ReportFormat.score)))
            if let sd = facts.ceilingSDs(telling) {
                lines.append(row("  ± sd", Array(repeating: "", count: 6), sd.map(ReportFormat.score)))
            }
        }
        lines.append("invariance: 0 = kept, 1 = ignored; Frechet in our classifier's feature space (not FID)")
        if let k = result.seeds, k > 1 { lines.append("means over \(k) translator seeds; ± sd rows: standard deviation over them") }
        if result.invarianceCeiling != nil { lines.append("ceiling: scores of unconditional samples, which ignore everything") }
        if tellingHeaders.contains(where: { $0.hasSuffix("*") }) { lines.append("* weak read-out: scores unreliable") }
        if let reportPath { lines.append("report: \(reportPath)") }

        if result.warnings.isEmpty {
            lines.append("warnings: none")
        } else {
            lines.append("warnings (\(result.warnings.count)):")
            var shown = 0
            for w in result.warnings {
                let wrapped = wrap("  - " + w, indent: "    ")
                // Keep one line free for the "more" note unless this is the last warning.
                let reserve = shown + 1 == result.warnings.count ? 0 : 1
                guard lines.count + wrapped.count + reserve <= maxLines else { break }
                lines += wrapped
                shown += 1
            }
            if shown < result.warnings.count {
                lines.append("  ... \(result.warnings.count - shown) more in the report")
            }
        }
        // Many layers can still overflow the screen: keep the head and say what was cut.
        if lines.count > maxLines {
            let cutCount = lines.count - maxLines + 1
            lines = Array(lines.prefix(maxLines - 1)) + ["... \(cutCount) more lines in the report"]
        }
        return lines.map { cut($0, maxColumns) }.joined(separator: "\n") + "\n"
    }

    /// `s` broken at spaces into lines of at most `maxColumns`, continuation lines indented
    /// (a word longer than a line is cut later, like any over-long line).
    private static func wrap(_ s: String, indent: String) -> [String] {
        var lines: [String] = [], rest = s
        while rest.count > maxColumns,
              let space = rest.prefix(maxColumns + 1).dropFirst(indent.count + 1).lastIndex(of: " ") {
            lines.append(String(rest[..<space]))
            rest = indent + rest[rest.index(after: space)...]
        }
        return lines + [rest]
    }

    private static func cut(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(width - 1)) + "~"
    }

    private static func pad(_ s: String, _ width: Int, right: Bool) -> String {
        let t = cut(s, width)
        let fill = String(repeating: " ", count: max(width - t.count, 0))
        return right ? fill + t : t + fill
    }
}
