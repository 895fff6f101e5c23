import Foundation

/// Environment variables that libraries read once, when they load before `main`, so that setting
/// them in-process is too late: the binary sets them and re-executes itself (same binary, same
/// arguments), once. A variable the user has set is left alone, which also stops a loop.
///
/// - `OPENBLAS_CORETYPE`: OpenBLAS's kernel family (`OpenBLASCoreType`).
/// - `OMP_WAIT_POLICY=PASSIVE`: oneDNN runs on OpenMP (libgomp), whose idle threads otherwise
///   spin for ~300,000 iterations after every parallel region. On two cores shared with our
///   own workers that spinning starves the computation (PyTorch's reference sets the same for the
///   same reason; the measurement is in docs/engine-speed.md).
enum EarlyEnvironment {
    static let waitPolicyVariable = "OMP_WAIT_POLICY"

    /// The wait policy to set, or nil when the user chose one. Pure, for tests.
    static func waitPolicyToSet(current: String?) -> String? { current == nil ? "PASSIVE" : nil }

    /// Sets what is missing and re-executes the binary; returns normally when nothing is to be
    /// done or the exec fails (the run then continues with what the libraries already read).
    /// Call first thing in `main`, before any work or output.
    static func reexecIfNeeded() {
        #if os(Linux)
        var changes: [(String, String)] = []
        if let core = OpenBLASCoreType.valueToSet() { changes.append((OpenBLASCoreType.variable, core)) }
        if let policy = waitPolicyToSet(current: ProcessInfo.processInfo.environment[waitPolicyVariable]) {
            changes.append((waitPolicyVariable, policy))
        }
        guard !changes.isEmpty else { return }
        for (name, value) in changes { setenv(name, value, 1) }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached if exec failed. Keep the variables set: they are right for this machine and
        // stop child processes from trying again.
        #endif
    }
}
