import Foundation

/// How numbers and names look in every human-readable output, so the Markdown, HTML, LaTeX and
/// terminal tables agree digit for digit.
enum ReportFormat {
    /// Shown for NaN/±inf: a missing measurement must look missing, not like a number.
    static let missing = "n/a"

    /// Fixed-point with `digits` decimals; "-0.00" is printed as "0.00".
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return missing }
        let s = String(format: "%.\(digits)f", value)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    static func bits(_ v: Double) -> String { fixed(v, 1) }
    static func nll(_ v: Double) -> String { fixed(v, 3) }
    static func frechet(_ v: Double) -> String { fixed(v, 1) }
    static func diversity(_ v: Double) -> String { fixed(v, 3) }
    static func calibration(_ v: Double) -> String { fixed(v, 2) }
    static func score(_ v: Double) -> String { fixed(v, 2) }
    static func seconds(_ v: Double) -> String { fixed(v, 1) }
    static func deltaE(_ v: Double) -> String { fixed(v, 1) }
    static func ratio(_ v: Double) -> String { fixed(v, 2) }

    /// A standard error of a ΔE: one decimal more than the mean, as bits kept's s.e. has.
    static func deltaEError(_ v: Double) -> String { fixed(v, 2) }

    /// "mean ± s.e." of a variation number, the mean in `format`'s digits and the error in
    /// `errorFormat`'s (default the same); `missing` where there is none (no label maps, or no
    /// such region).
    static func withError(_ e: MeanWithError?, _ format: (Double) -> String, _ errorFormat: ((Double) -> String)? = nil,
                          plusMinus: String = " ± ") -> String {
        guard let e else { return missing }
        return format(e.mean) + plusMinus + (errorFormat.map { $0(e.standardError) } ?? format(e.standardError))
    }

    /// "mean ± sd" where the run has a spread over translator seeds (`sd` not nil), else the value
    /// alone; both in `format`'s digits. LaTeX passes its own plus-minus.
    static func withSD(_ value: Double, _ sd: Double?, _ format: (Double) -> String, plusMinus: String = " ± ") -> String {
        guard let sd else { return format(value) }
        return format(value) + plusMinus + format(sd)
    }

    /// A score with its spread over seeds, as every table prints it.
    static func score(_ value: Double?, sd: Double?, plusMinus: String = " ± ") -> String {
        value.map { withSD($0, sd, score, plusMinus: plusMinus) } ?? missing
    }

    /// Bits kept as the Markdown and HTML tables print it: one seed "12.3 ± 0.45" (± the standard
    /// error over test scenes); several "12.3 ± 0.4 (s.e. 0.45)" (± the standard deviation over
    /// seeds, s.e. the mean of the seeds' standard errors); † where the cINN's marginal is the baseline.
    static func bitsWithErrors(_ l: LayerResult, dagger: Bool = true) -> String {
        let se = l.bitsKeptStandardError.map { fixed($0, 2) }
        let errors = l.overSeeds.map { " ± " + bits($0.sd.bitsKept) + (se.map { " (s.e. \($0))" } ?? "") } ?? se.map { " ± " + $0 } ?? ""
        return bits(l.bitsKept) + errors + (dagger && l.bitsBaseline == .marginal ? " †" : "")
    }

    static func shape(_ shape: [Int]) -> String {
        shape.isEmpty ? missing : shape.map(String.init).joined(separator: "x")
    }

    /// A short factor name for narrow columns: the scenes' long names ("background_saturation")
    /// become "bg_sat"; anything still too long is cut, keeping it unique is the caller's job.
    static func abbreviate(_ name: String, maxLength: Int = 7) -> String {
        guard name.count > maxLength else { return name }
        var s = name
        for (long, short) in [("background", "bg"), ("saturation", "sat"), ("offset", "off"),
                              ("value", "val"), ("class", "cls"), ("colour", "col"), ("color", "col")] {
            s = s.replacingOccurrences(of: long, with: short)
        }
        return s.count > maxLength ? String(s.prefix(maxLength)) : s
    }

    /// Abbreviations for a list of names, made unique by a numeric suffix where cutting collides.
    static func abbreviations(_ names: [String], maxLength: Int = 7) -> [String] {
        var seen: [String: Int] = [:]
        return names.map { name in
            var a = abbreviate(name, maxLength: maxLength)
            if let n = seen[a] {
                seen[a] = n + 1
                let suffix = String(n + 1)
                a = String(a.prefix(max(maxLength - suffix.count, 1))) + suffix
            } else {
                seen[a] = 1
            }
            return a
        }
    }
}
