import Foundation
import XCTest
@testable import Experts
import FileSupport

/// `Probe.decode`, the entry point `scripts/fuzz probe` drives (docs/fuzzing.md): the same result
/// as `Probe.load` for the shipped probes, and a named `corruptProbe` error for bad bytes.
/// Fuzzing found nothing to fix here; inputs it finds later go in this file.
final class ProbeFuzzRegressionTests: XCTestCase {
    func testDecodeOfTheShippedProbesMatchesLoad() throws {
        for name in ExpertCatalog.names {
            let url = ProjectFiles.probes.appendingPathComponent("\(name).json")
            let decoded = try Probe.decode(try Data(contentsOf: url), path: url.path)
            let loaded = try Probe.load(expert: name)
            XCTAssertEqual(decoded.layers, loaded.layers, name)
            XCTAssertEqual(decoded.aliases, loaded.aliases, name)
        }
    }

    func testBadBytesGiveCorruptProbeNamingThePathAndTheProblem() {
        let cases: [(String, String)] = [
            ("", "fuzz.json"),
            ("{\"expert\": 1}", "fuzz.json"),
            ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "fuzz.json"),
            (#"{"expert":"x","description":"","input":[1],"aliases":{"early":"b"},"layers":[{"name":"a","shape":[1],"description":""}]}"#,
             "alias 'early' points to unknown layer 'b'"),
            (#"{"expert":"x","description":"","input":[99999999999999999999],"aliases":{},"layers":[]}"#, "fuzz.json"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try Probe.decode(Data(text.utf8), path: "fuzz.json"), text) { error in
                guard case let ExpertError.corruptProbe(path, reason) = error else { return XCTFail("\(text): unexpected \(error)") }
                XCTAssertEqual(path, "fuzz.json")
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
                XCTAssertFalse(reason.isEmpty)
            }
        }
    }
}
