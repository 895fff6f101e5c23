// libFuzzer target: probe JSON bytes → Probe.decode (JSON and alias checks), then every lookup a
// caller makes. Built and run by scripts/fuzz (docs/fuzzing.md). Any trap, sanitizer report, leak or
// input slower than 1 s is a finding; ExpertError.corruptProbe is expected and ignored.
import Foundation
import Experts

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let probe: Probe
    do {
        probe = try Probe.decode(bytes, path: "fuzz.json")
    } catch ExpertError.corruptProbe(let path, let reason) {
        guard path == "fuzz.json", !reason.isEmpty else { fatalError("corruptProbe without path or reason") }
        return 0
    } catch {
        fatalError("Probe.decode threw something other than corruptProbe: \(error)")
    }
    // Every alias resolves (decode checked it); every layer name resolves to itself.
    for (alias, target) in probe.aliases {
        guard let layers = try? probe.resolve([alias]), layers.count == 1 else {
            fatalError("alias '\(alias)' → '\(target)' does not resolve")
        }
        guard probe.alias(of: target) != nil else { fatalError("layer '\(target)' has alias '\(alias)' but alias(of:) is nil") }
    }
    let names = probe.layers.map(\.name)
    guard let resolved = try? probe.resolve(names + names), resolved.count <= names.count else {
        fatalError("layer names do not resolve, or repeats were kept")
    }
    _ = try? probe.resolve(["early", "mid", "last", "no-such-layer"])
    // What was decoded must encode and decode back to the same layers and aliases.
    guard let json = try? JSONEncoder().encode(probe),
          let again = try? Probe.decode(json, path: "fuzz.json"),
          again.layers == probe.layers, again.aliases == probe.aliases, again.input == probe.input else {
        fatalError("probe does not survive JSON encoding and decoding")
    }
    return 0
}
