// libFuzzer target: bytes → Gzip.decompress and IDXFile (directly, and of what gunzips).
// Built and run by scripts/fuzz (docs/fuzzing.md). Any trap, sanitizer report, leak or input slower
// than 1 s is a finding; DatasetError is expected and ignored.
import Datasets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    check(idx: bytes)
    if let plain = try? Gzip.decompress(bytes, path: "fuzz.gz") {
        check(idx: plain)
        // What gunzips must gzip and gunzip back to itself.
        guard let packed = try? Gzip.compress(plain) else { fatalError("cannot compress \(plain.count) bytes") }
        guard let unpacked = try? Gzip.decompress(packed, path: "fuzz.gz"), unpacked == plain else {
            fatalError("gzip round trip of \(plain.count) bytes differs")
        }
    }
    return 0
}

private func check(idx bytes: [UInt8]) {
    guard let file = try? IDXFile(bytes: bytes, path: "fuzz.idx") else { return }
    guard file.dimensions.count == Int(bytes[3]),
          file.data.count == file.dimensions.reduce(1, *),
          file.data.count == bytes.count - 4 - 4 * file.dimensions.count else {
        fatalError("IDX dimensions \(file.dimensions) disagree with \(file.data.count) data bytes of \(bytes.count)")
    }
    // A stated rank that matches must parse the same; one that differs must be rejected.
    guard (try? IDXFile(bytes: bytes, path: "fuzz.idx", expectedRank: file.dimensions.count))?.data == file.data else {
        fatalError("IDX with its own rank as expectedRank does not parse the same")
    }
    if (try? IDXFile(bytes: bytes, path: "fuzz.idx", expectedRank: file.dimensions.count + 1)) != nil {
        fatalError("IDX accepted with the wrong expectedRank")
    }
}
