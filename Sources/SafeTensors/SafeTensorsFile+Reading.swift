import Foundation

extension SafeTensorsFile {
    /// Reads and fully validates a safetensors file. Throws `SafeTensorsError`, never traps.
    public static func read(contentsOf url: URL) throws -> SafeTensorsFile {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SafeTensorsError.fileMissing(file: path)
        }
        guard !isDirectory.boolValue else {
            throw SafeTensorsError.unreadable(file: path, reason: "it is a directory")
        }
        let bytes: Data
        do {
            // Mapping avoids a second full copy: each tensor's bytes are copied out once below.
            bytes = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw SafeTensorsError.unreadable(file: path, reason: error.localizedDescription)
        }
        return try decode(bytes, source: path)
    }

    /// Parses safetensors bytes held in memory; `source` names them in errors.
    public static func decode(_ bytes: Data, source: String = "<memory>") throws -> SafeTensorsFile {
        guard bytes.count >= 8 else {
            throw SafeTensorsError.truncated(
                file: source, detail: "it has \(bytes.count) bytes, fewer than the 8-byte header length prefix")
        }
        let start = bytes.startIndex
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[start + i]) << (8 * UInt64(i)) }
        let afterPrefix = bytes.count - 8
        guard headerLength <= UInt64(afterPrefix) else {
            throw SafeTensorsError.truncated(
                file: source, detail: "the header length prefix says \(headerLength) bytes but only \(afterPrefix) follow it")
        }
        let headerEnd = start + 8 + Int(headerLength)
        let header = try parseHeader(bytes[(start + 8)..<headerEnd], source: source)

        var file = SafeTensorsFile(metadata: header.metadata, source: source)
        let bufferSize = bytes.endIndex - headerEnd
        try checkLayout(header.entries, bufferSize: bufferSize, source: source)
        for item in header.entries {
            let range = (headerEnd + item.begin)..<(headerEnd + item.end)
            // Data(slice) copies into fresh storage, so entries do not pin the whole file.
            file.tensors[item.name] = try TensorEntry(dtype: item.dtype, shape: item.shape, data: Data(bytes[range]))
        }
        return file
    }

    /// One tensor's header record after type checking, before its bytes are looked at.
    struct HeaderItem {
        let name: String
        let dtype: SafeTensorsDType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    /// Parses the JSON header and checks each record on its own (fields, types, dtype, size).
    static func parseHeader(_ json: Data, source: String) throws -> (metadata: [String: String], entries: [HeaderItem]) {
        func corrupt(_ key: String?, _ detail: String) -> SafeTensorsError {
            .corruptHeader(file: source, key: key, detail: detail)
        }
        guard String(data: json, encoding: .utf8) != nil else { throw corrupt(nil, "the header is not valid UTF-8") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        } catch {
            let preview = String(decoding: json.prefix(40), as: UTF8.self)
            throw corrupt(nil, "the header is not valid JSON (it starts with \"\(preview)\")")
        }
        guard let root = parsed as? [String: Any] else {
            throw corrupt(nil, "the header is JSON but not an object")
        }

        var metadata: [String: String] = [:]
        if let raw = root[metadataKey], !(raw is NSNull) {
            guard let map = raw as? [String: Any] else {
                throw corrupt(metadataKey, "expected an object of string values")
            }
            for (key, value) in map {
                guard let text = value as? String else {
                    throw corrupt(metadataKey, "the value of '\(key)' is not a string")
                }
                metadata[key] = text
            }
        }

        var entries: [HeaderItem] = []
        // Sorted so that, when several records are bad, the same one is reported every time.
        for name in root.keys.sorted() where name != metadataKey {
            guard let info = root[name] as? [String: Any] else {
                throw corrupt(name, "expected an object with \"dtype\", \"shape\" and \"data_offsets\"")
            }
            guard let dtypeValue = info["dtype"] else { throw corrupt(name, "the field \"dtype\" is missing") }
            guard let dtypeName = dtypeValue as? String else { throw corrupt(name, "\"dtype\" is not a string") }
            guard let shapeValue = info["shape"] else { throw corrupt(name, "the field \"shape\" is missing") }
            guard let shape = nonNegativeInts(shapeValue) else {
                throw corrupt(name, "\"shape\" is not a list of non-negative integers")
            }
            guard let offsetsValue = info["data_offsets"] else { throw corrupt(name, "the field \"data_offsets\" is missing") }
            guard let offsets = nonNegativeInts(offsetsValue), offsets.count == 2 else {
                throw corrupt(name, "\"data_offsets\" is not a pair [begin, end] of non-negative integers")
            }
            guard offsets[0] <= offsets[1] else {
                throw corrupt(name, "\"data_offsets\" [\(offsets[0]), \(offsets[1])] ends before it begins")
            }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw SafeTensorsError.unknownDType(file: source, key: name, dtype: dtypeName)
            }
            let span = offsets[1] - offsets[0]
            guard let count = TensorEntry.elementCount(of: shape) else {
                throw SafeTensorsError.sizeMismatch(
                    file: source, key: name, detail: "shape \(shape) has more elements than fit in memory")
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, bytes == span else {
                let need = overflow ? "more bytes than fit in memory" : "\(bytes) bytes"
                throw SafeTensorsError.sizeMismatch(
                    file: source, key: name,
                    detail: "shape \(shape) of \(dtype.rawValue) needs \(need) but data_offsets [\(offsets[0]), \(offsets[1])] span \(span)")
            }
            entries.append(HeaderItem(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1]))
        }
        return (metadata, entries)
    }

    /// Checks the records together: every range inside the buffer, and the ranges tiling it
    /// exactly (no overlap, no gap, no trailing bytes), as the reference implementation requires.
    static func checkLayout(_ entries: [HeaderItem], bufferSize: Int, source: String) throws {
        for item in entries where item.end > bufferSize {
            throw SafeTensorsError.offsetsOutOfBounds(
                file: source, key: item.name, begin: item.begin, end: item.end, bufferSize: bufferSize)
        }
        let ordered = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var covered = 0
        var previous: String?
        for item in ordered {
            if item.begin < covered {
                throw SafeTensorsError.offsetsNotContiguous(
                    file: source, key: item.name,
                    detail: "overlap: [\(item.begin), \(item.end)] starts inside the range of '\(previous ?? "?")', which ends at \(covered)")
            }
            if item.begin > covered {
                throw SafeTensorsError.offsetsNotContiguous(
                    file: source, key: item.name,
                    detail: "leave a gap: [\(item.begin), \(item.end)] starts at \(item.begin) but the bytes before it end at \(covered)")
            }
            covered = item.end
            previous = item.name
        }
        if covered != bufferSize {
            throw SafeTensorsError.offsetsNotContiguous(
                file: source, key: nil,
                detail: "cover only \(covered) of the \(bufferSize) data bytes after the header (trailing bytes)")
        }
    }

    /// The value as [Int] if it is a JSON array of integers ≥ 0 (booleans and 3.0 are rejected).
    private static func nonNegativeInts(_ value: Any) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        result.reserveCapacity(array.count)
        for element in array {
            guard let number = element as? NSNumber, !(number is NSDecimalNumber) else { return nil }
            // JSONSerialization gives NSNumber for true/false and for 3.0 too; the objCType tells
            // them apart from integers ("c" is a boolean, "d"/"f" a float).
            let kind = String(cString: number.objCType)
            guard !["c", "d", "f"].contains(kind), let int = element as? Int, int >= 0 else { return nil }
            result.append(int)
        }
        return result
    }
}
