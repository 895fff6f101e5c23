import Foundation

extension SafeTensorsFile {
    /// The exact bytes `write(to:)` produces.
    ///
    /// Deterministic: tensors are laid out as the Python library lays them out (by dtype, widest
    /// first, then by name in UTF-8 byte order), the header JSON is compact with fixed key order,
    /// metadata keys are sorted, and the header is padded with spaces to a multiple of 8 bytes.
    /// Metadata is omitted when empty, as Python does when given none.
    public func encoded() -> Data {
        let (header, ordered) = layout()
        var out = Data(capacity: header.count + ordered.reduce(0) { $0 + $1.data.count })
        out.append(header)
        for entry in ordered { out.append(entry.data) }
        return out
    }

    /// Writes atomically: the bytes go to a temporary file in the same directory, which is
    /// flushed and then renamed over `url`. On any failure the temporary file is removed and
    /// `url` is left as it was.
    public func write(to url: URL) throws {
        let path = url.path
        let (header, ordered) = layout()
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UUID().uuidString)"

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw SafeTensorsError.writeFailed(file: path, reason: "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))")
        }
        func fail(_ what: String) -> SafeTensorsError {
            let reason = "\(what): \(String(cString: strerror(errno)))"
            close(fd)
            unlink(temporary)
            return .writeFailed(file: path, reason: reason)
        }
        guard Self.writeAll(fd, header) else { throw fail("write") }
        for entry in ordered {
            guard Self.writeAll(fd, entry.data) else { throw fail("write") }
        }
        // fsync before rename so a crash cannot leave a renamed but empty file behind.
        guard fsync(fd) == 0 else { throw fail("fsync") }
        guard close(fd) == 0 else {
            let reason = "close: \(String(cString: strerror(errno)))"
            unlink(temporary)
            throw SafeTensorsError.writeFailed(file: path, reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = "rename: \(String(cString: strerror(errno)))"
            unlink(temporary)
            throw SafeTensorsError.writeFailed(file: path, reason: reason)
        }
    }

    /// The 8-byte prefix plus padded header, and the entries in data order.
    private func layout() -> (header: Data, ordered: [TensorEntry]) {
        let names = tensors.keys.sorted { a, b in
            let ra = tensors[a]?.dtype.layoutRank ?? 0, rb = tensors[b]?.dtype.layoutRank ?? 0
            return ra != rb ? ra > rb : a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        var records: [String] = []
        if !metadata.isEmpty {
            records.append(HeaderJSON.quoted(Self.metadataKey) + ":" + HeaderJSON.stringMap(metadata))
        }
        var ordered: [TensorEntry] = []
        var offset = 0
        for name in names {
            guard let entry = tensors[name] else { continue }
            let end = offset + entry.data.count
            records.append(HeaderJSON.quoted(name) + ":" + HeaderJSON.tensorRecord(dtype: entry.dtype, shape: entry.shape, begin: offset, end: end))
            ordered.append(entry)
            offset = end
        }
        var json = Array(("{" + records.joined(separator: ",") + "}").utf8)
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        var header = Data(capacity: 8 + json.count)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { header.append(contentsOf: $0) }
        header.append(contentsOf: json)
        return (header, ordered)
    }

    private static func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
            var done = 0
            while done < buffer.count {
                guard let base = buffer.baseAddress else { return false }
                let n = Foundation.write(fd, base + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += n
            }
            return true
        }
    }
}
