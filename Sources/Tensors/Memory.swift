#if os(Linux)
/// glibc's malloc_trim(size_t pad) from <malloc.h>, which the Glibc module does not export.
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

public enum Memory {
    /// Hands freed heap memory back to the system. glibc keeps freed blocks for reuse, and
    /// stages that allocate differently sized tensors (one layer's translators, then the next's)
    /// otherwise pile up resident memory that no tensor uses: a default diagnosis reached 4 GB
    /// instead of about 1 GB. Call it between stages, not in loops.
    public static func releaseFreed() {
        #if os(Linux)
        _ = mallocTrim(0)
        #endif
    }
}
