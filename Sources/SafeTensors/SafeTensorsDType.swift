/// Element types of the safetensors format, spelled as in the file's header.
///
/// All of them can be read and written as raw bytes; typed accessors convert the common ones
/// (see `SafeTensorsFile.floats(_:)`, `doubles(_:)`, `int64s(_:)`). 8-bit float and sub-byte
/// types are not listed: such files fail with `unknownDType` rather than being misread.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Position in the Python library's dtype ordering (the declaration order of its Rust enum,
    /// which is the case order above). Its writer lays out tensors by this rank, largest first, so
    /// wide types stay aligned; we do the same to produce byte-identical files.
    var layoutRank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
