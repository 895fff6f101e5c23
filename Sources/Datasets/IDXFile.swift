/// An IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST): magic 00 00 08 NDIM,
/// NDIM big-endian UInt32 sizes, then the data row-major.
public struct IDXFile: Sendable {
    public let dimensions: [Int]
    public let data: [UInt8]

    /// Parses decompressed IDX bytes; `expectedRank` checks the number of dimensions. `path` labels errors.
    public init(bytes: [UInt8], path: String, expectedRank: Int? = nil) throws {
        guard bytes.count >= 4 else {
            throw DatasetError.idx(path: path, reason: "only \(bytes.count) bytes, too short for the 4-byte magic number")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DatasetError.idx(path: path, reason: "bad magic number \(IDXFile.hex(bytes[0..<4])) (expected 00 00 08 0N)")
        }
        guard bytes[2] == 0x08 else {
            throw DatasetError.idx(path: path, reason: "bad magic number \(IDXFile.hex(bytes[0..<4])): data type 0x\(String(bytes[2], radix: 16)) is not unsigned byte (0x08)")
        }
        let rank = Int(bytes[3])
        if let expectedRank, rank != expectedRank {
            throw DatasetError.idx(path: path, reason: "magic number \(IDXFile.hex(bytes[0..<4])) says \(rank) dimensions, expected \(expectedRank)")
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw DatasetError.idx(path: path, reason: "truncated header: \(bytes.count) bytes, need \(headerSize) for \(rank) dimensions")
        }
        var dims: [Int] = []
        var total = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let size = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            dims.append(size)
            let (t, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow else { throw DatasetError.idx(path: path, reason: "dimensions \(dims) are too large") }
            total = t
        }
        let payload = bytes.count - headerSize
        guard payload == total else {
            let what = payload < total ? "truncated" : "has trailing bytes"
            throw DatasetError.idx(path: path, reason: "\(what): dimensions \(dims.map(String.init).joined(separator: "x")) need \(total) data bytes, found \(payload)")
        }
        self.dimensions = dims
        self.data = Array(bytes[headerSize...])
    }

    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: " ")
    }
}
