"""Reference values for CIELab (Sources/Imaging/CIELab.swift) and the per-pixel variation map
(Sources/Metrics/PixelVariation.swift), in double precision with numpy.

sRGB (IEC 61966-2-1) -> linear RGB -> XYZ (sRGB matrix, D65) -> CIE 1976 L*a*b* over the D65 white
(0.95047, 1, 1.08883). Variation of k images at a pixel: the root mean squared Euclidean distance
(Delta E*ab) of the k Lab colours to their mean, divisor k.

    python3 Tests/Reference/cielab_reference.py

prints the Swift literals that Tests/ImagingTests/CIELabTests.swift and
Tests/MetricsTests/PixelVariationTests.swift hold.
"""
import numpy as np

M = np.array([[0.4124564, 0.3575761, 0.1804375],
              [0.2126729, 0.7151522, 0.0721750],
              [0.0193339, 0.1191920, 0.9503041]])
WHITE = np.array([0.95047, 1.0, 1.08883])


def lab(rgb):
    c = np.clip(np.asarray(rgb, dtype=np.float64), 0, 1)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = (lin @ M.T) / WHITE
    d = 6 / 29
    f = np.where(xyz > d ** 3, np.cbrt(xyz), xyz / (3 * d * d) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def variation(samples):
    """samples: [k, 3] sRGB colours of one pixel -> RMS Delta E to their mean."""
    l = lab(samples)
    return float(np.sqrt(((l - l.mean(axis=0)) ** 2).sum(axis=1).mean()))


COLOURS = [(0, 0, 0), (1, 1, 1), (1, 0, 0), (0, 1, 0), (0, 0, 1), (0.5, 0.5, 0.5),
           (0.2, 0.4, 0.6), (0.9, 0.7, 0.1), (0.01, 0.02, 0.03), (0.04, 0.5, 0.96)]
print("// colour, L*, a*, b*")
for c in COLOURS:
    l = lab(c)
    print(f"(({c[0]}, {c[1]}, {c[2]}), ({l[0]:.6f}, {l[1]:.6f}, {l[2]:.6f})),")

PIXEL = [(0.2, 0.4, 0.6), (0.9, 0.7, 0.1), (0.5, 0.5, 0.5)]
print(f"// variation of {PIXEL}: {variation(PIXEL):.6f}")
PIXEL2 = [(1, 0, 0), (0, 0, 1)]
print(f"// variation of {PIXEL2}: {variation(PIXEL2):.6f}")
