import COpenBLAS

/// What the loaded OpenBLAS is doing: which kernels it chose and how many threads it uses.
public enum OpenBLASRuntime {
    /// The kernel family OpenBLAS picked when it loaded (e.g. "Haswell", "SkylakeX"); it depends
    /// on the CPU and on OPENBLAS_CORETYPE at load time.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(clamping: newValue)) }
    }
}
