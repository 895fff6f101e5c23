import Benchmarks
import Foundation

/// Makes OpenBLAS use its AVX-512 kernels on CPUs that have them, without the user setting
/// anything.
///
/// Debian's OpenBLAS 0.3.21 does not know AMD Zen 5 and falls back to Haswell (AVX2 kernels,
/// ~190 GFLOP/s sgemm on two cores here); with OPENBLAS_CORETYPE=SkylakeX it reaches ~300. (It
/// does know Zen 4, which it runs as Cooperlake, an AVX-512 core: nothing to fix there.)
/// OpenBLAS reads the variable once, when the library loads before `main`, so setting it
/// in-process is too late: we set it and re-execute ourselves. Setting OPENBLAS_CORETYPE to
/// anything (e.g. Haswell) opts out.
enum OpenBLASCoreType {
    static let variable = "OPENBLAS_CORETYPE"
    /// The AVX-512 subsets OpenBLAS's SkylakeX kernels use.
    static let skylakeXFlags: Set<String> = ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"]
    /// OpenBLAS cores that already use AVX-512 kernels (lower-cased `openblas_get_corename()`).
    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]

    /// The core type to set, or nil to leave OpenBLAS alone. Pure, for tests.
    /// - Parameters:
    ///   - current: the variable's value now; any value (ours after the re-exec, or the user's)
    ///     means no change, which is also what stops a re-exec loop.
    ///   - detectedCore: what OpenBLAS chose on its own (`openblas_get_corename()`).
    ///   - cpuinfo: the text of /proc/cpuinfo, nil if unreadable.
    static func coreTypeToSet(current: String?, detectedCore: String, cpuinfo: String?) -> String? {
        guard current == nil, !avx512Cores.contains(detectedCore.lowercased()),
              let cpuinfo, let flags = cpuFlags(cpuinfo) else { return nil }
        return skylakeXFlags.isSubset(of: flags) ? "SkylakeX" : nil
    }

    /// Flags every processor in /proc/cpuinfo has (intersection, so a heterogeneous machine only
    /// counts what all cores support); nil if there is no "flags" line.
    static func cpuFlags(_ cpuinfo: String) -> Set<String>? {
        var common: Set<String>?
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "flags" else { continue }
            let flags = Set(parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
            common = common.map { $0.intersection(flags) } ?? flags
        }
        return common
    }

    /// The value to set now, on this machine (see `coreTypeToSet`); `EarlyEnvironment` sets it
    /// and re-executes the binary.
    static func valueToSet() -> String? {
        #if os(Linux)
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        return coreTypeToSet(current: ProcessInfo.processInfo.environment[variable], detectedCore: OpenBLASRuntime.coreName,
                             cpuinfo: cpuinfo)
        #else
        return nil
        #endif
    }
}
