/// Widening conversions from the 16-bit float formats to `Float`; both are exact.
///
/// Written out by hand because `Float16` is not available on every platform Swift targets.
enum HalfPrecision {
    /// IEEE 754 binary16 bits to Float, keeping signed zeros, subnormals, infinities and NaN payloads.
    static func float(fromF16 bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = UInt32((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24, exact in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// bfloat16 is the top half of a Float's bits.
    static func float(fromBF16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
