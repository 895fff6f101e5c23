import Foundation

/// CIELAB (CIE 1976 L*a*b*) from sRGB, white point D65: a space in which Euclidean distance
/// (ΔE*ab, "ΔE") roughly follows how different two colours look, so spreads measured in it weigh a
/// change of dark and light colours alike. The steps: sRGB's transfer curve undone (IEC 61966-2-1),
/// linear RGB to XYZ with the sRGB matrix, XYZ over the D65 white to L*a*b* with the CIE's cube
/// root and its linear part below (6/29)³. `Tests/Reference/cielab_reference.py` computes the same
/// in double precision with numpy; the tests compare with its values.
public enum CIELab {
    /// The D65 white in XYZ as the sRGB matrix gives it for R = G = B = 1.
    public static let white: (x: Double, y: Double, z: Double) = (0.95047, 1.0, 1.08883)

    /// L*, a*, b* of an sRGB colour with components in 0...1 (clamped: decoded images can leave it).
    public static func fromSRGB(_ r: Float, _ g: Float, _ b: Float) -> (l: Float, a: Float, b: Float) {
        let lr = linear(r), lg = linear(g), lb = linear(b)
        let x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / Float(white.x)
        let y = (0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb) / Float(white.y)
        let z = (0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb) / Float(white.z)
        let fx = f(x), fy = f(y), fz = f(z)
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// A CHW image (3 planes of `plane` values in 0...1) as three planes L*, a*, b* in `out`.
    public static func convert(chw: UnsafeBufferPointer<Float>, plane: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(chw.count >= 3 * plane && out.count >= 3 * plane, "CIELab.convert: buffers smaller than three planes")
        for i in 0..<plane {
            let lab = fromSRGB(chw[i], chw[plane + i], chw[2 * plane + i])
            out[i] = lab.l
            out[plane + i] = lab.a
            out[2 * plane + i] = lab.b
        }
    }

    /// sRGB's transfer curve undone: the linear light of an encoded component.
    @inline(__always)
    static func linear(_ c: Float) -> Float {
        let v = c.isNaN ? 0 : min(max(c, 0), 1)
        return v <= 0.04045 ? v / 12.92 : powf((v + 0.055) / 1.055, 2.4)
    }

    /// The CIE's compression: a cube root, linear below (6/29)³ so that black has a finite slope.
    @inline(__always)
    static func f(_ t: Float) -> Float {
        let delta: Float = 6.0 / 29.0
        return t > delta * delta * delta ? cbrtf(t) : t / (3 * delta * delta) + 4.0 / 29.0
    }
}
