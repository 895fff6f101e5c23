#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes with POSIX calls, so a crash or a full disk never leaves a
/// half-written file under the final name.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file in the destination's directory (rename is only atomic
    /// within one file system), flushes it, then renames it over `path`.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let baseName = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(directory)/.\(baseName).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw FileError(path: path, operation: "create a temporary file in \(directory)", reason: errnoString())
        }
        let tempPath = String(cString: template)
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        var written = 0
        let writeError: String? = bytes.withUnsafeBytes { raw -> String? in
            while written < raw.count {
                let n = Glibc_write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errnoString()
                }
                written += n
            }
            return nil
        }
        if let writeError {
            close(fd)
            throw FileError(path: path, operation: "write", reason: writeError)
        }
        // mkstemp creates mode 0600; give the file the usual permissions for a user's output.
        fchmod(fd, 0o644)
        if fsync(fd) != 0 {
            let reason = errnoString()
            close(fd)
            throw FileError(path: path, operation: "flush", reason: reason)
        }
        close(fd)
        guard rename(tempPath, path) == 0 else {
            throw FileError(path: path, operation: "rename the temporary file into place", reason: errnoString())
        }
        ok = true
    }

    /// Reads a whole file.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", reason: errnoString()) }
        defer { close(fd) }
        // The size from fstat is only a hint (pipes and /proc report 0, a file may grow): read up
        // to it straight into the result, uninitialised, then on until end of file.
        var info = stat()
        let expected = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) : 0
        var result = try [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < expected {
                let n = Glibc_read(fd, base + count, expected - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileError(path: path, operation: "read", reason: errnoString())
                }
                if n == 0 { break }
                count += n
            }
        }
        guard result.count == expected else { return result }  // ended before the size fstat gave
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 << 16) { chunk in
            while true {
                let n = Glibc_read(fd, chunk.baseAddress!, chunk.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileError(path: path, operation: "read", reason: errnoString())
                }
                if n == 0 { break }
                result.append(contentsOf: chunk[0..<n])
            }
        }
        return result
    }

    static func errnoString() -> String {
        String(cString: strerror(errno))
    }
}

// The module-level `write`/`read` names are shadowed inside `AtomicFile`; these aliases reach libc.
@inline(__always)
private func Glibc_write(_ fd: Int32, _ buf: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buf, count)
}

@inline(__always)
private func Glibc_read(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buf, count)
}
