import Foundation

/// Primitives created once per key and kept for the life of the process. Creating one costs
/// 0.1–10 ms (oneDNN generates its kernels' code); a model uses a few dozen shapes. Thread-safe:
/// `Parallel.jobs` asks from several threads.
enum DNNLCache {
    /// Recursive: a backward primitive is made from its forward one, which may be new too.
    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var primitives: [DNNLKey: DNNLPrimitive] = [:]

    /// The primitive for `key`, made by `make` (under the lock, so it is made once) if new.
    static func primitive(_ key: DNNLKey, make: () -> DNNLPrimitive) -> DNNLPrimitive {
        lock.lock()
        defer { lock.unlock() }
        if let known = primitives[key] { return known }
        DNNL.useThreads(key.threads)  // oneDNN reads the team size while it creates the primitive
        let made = make()
        primitives[key] = made
        return made
    }

    /// Primitives created so far (tests check that shapes are not created twice).
    static var count: Int { lock.lock(); defer { lock.unlock() }; return primitives.count }
}
