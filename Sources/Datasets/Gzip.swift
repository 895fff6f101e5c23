import CZlib

/// gzip decompression in memory with zlib's inflate, reporting damage as errors.
public enum Gzip {
    /// Compresses bytes into one gzip member (level 9, no file name or time stamp, so the output
    /// depends only on the input and the zlib version).
    public static func compress(_ data: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: write a gzip wrapper; memLevel 8 is zlib's default.
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DatasetError.gzip(path: "<memory>", reason: "zlib could not initialise the compressor")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(data.count)))
        var out = [UInt8](repeating: 0, count: bound)
        var input = data
        let status = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf -> Int32 in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else {
            throw DatasetError.gzip(path: "<memory>", reason: "compression failed with zlib status \(status)")
        }
        out.removeSubrange(Int(stream.total_out)...)
        return out
    }

    /// Decompresses a complete gzip file (one or more members). `path` only labels errors.
    public static func decompress(_ data: [UInt8], path: String) throws -> [UInt8] {
        guard !data.isEmpty else { throw DatasetError.gzip(path: path, reason: "the file is empty") }
        guard data.count >= 18, data[0] == 0x1f, data[1] == 0x8b else {
            throw DatasetError.gzip(path: path, reason: data.count < 18
                ? "only \(data.count) bytes, too short for a gzip stream"
                : "no gzip header (the first bytes are not 1f 8b)")
        }
        let n = data.count
        var capacity = initialCapacity(data)
        var out = [UInt8](repeating: 0, count: capacity)
        var produced = 0

        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip wrapper (and check its CRC), not raw zlib.
        guard inflateInit2_(&stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DatasetError.gzip(path: path, reason: "zlib could not initialise")
        }
        defer { inflateEnd(&stream) }

        var input = data
        return try input.withUnsafeMutableBufferPointer { inBuf -> [UInt8] in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while true {
                if produced == capacity {
                    capacity *= 2
                    out.append(contentsOf: repeatElement(0, count: capacity - out.count))
                }
                let room = capacity - produced
                let chunk = min(room, Int(UInt32.max))
                let status = out.withUnsafeMutableBufferPointer { outBuf -> Int32 in
                    stream.next_out = outBuf.baseAddress! + produced
                    stream.avail_out = UInt32(chunk)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    produced += chunk - Int(stream.avail_out)
                    return s
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    if stream.avail_in == 0 {
                        out.removeSubrange(produced...)
                        return out
                    }
                    // Another gzip member may follow (concatenated gzip is valid).
                    let offset = inBuf.count - Int(stream.avail_in)
                    guard inBuf[offset] == 0x1f, offset + 1 < inBuf.count, inBuf[offset + 1] == 0x8b else {
                        throw DatasetError.gzip(path: path, reason: "\(stream.avail_in) unexpected bytes after the end of the gzip stream")
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw DatasetError.gzip(path: path, reason: "unexpected end of data after \(n) compressed bytes (the file is truncated)")
                case Z_BUF_ERROR:
                    continue  // output was full; the loop grows it
                case Z_MEM_ERROR:
                    throw DatasetError.gzip(path: path, reason: "out of memory while inflating")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw DatasetError.gzip(path: path, reason: "corrupt compressed data (\(message))")
                }
            }
        }
    }

    /// Deflate's largest expansion: a 258-byte match coded in 2 bits makes 1032 bytes out of one,
    /// so no gzip file of `n` bytes unpacks to more than `1032 * n` bytes.
    static let maxExpansion = 1032

    /// The output buffer's first size for a complete gzip file of at least 18 bytes. The trailer's
    /// ISIZE (size mod 2^32 of the last member) is a good guess, but only up to what deflate can
    /// produce from the input: a damaged trailer must not make us allocate gigabytes up front
    /// (found by fuzzing, docs/fuzzing.md). The buffer grows as needed either way.
    static func initialCapacity(_ data: [UInt8]) -> Int {
        let n = data.count
        let isize = Int(data[n - 4]) | Int(data[n - 3]) << 8 | Int(data[n - 2]) << 16 | Int(data[n - 1]) << 24
        return isize > 0 && isize < 1 << 30 && isize <= maxExpansion * n ? isize : 4 * n
    }
}
