#!/usr/bin/env python3
"""Fixture images and expected photometric factors for PhotometricFactorsTests (DatasetsTests).

Setup and usage (from the repository root):
    pip install pillow numpy      # the values committed were made with Pillow 13.0.0, numpy 2.4.6
    python3 Tests/Reference/photometric_reference.py Tests/DatasetsTests/Fixtures/photometric
Running it again rewrites the same files (seeded generator, deterministic PNG encoder).

It writes a few small PNGs (each chosen to exercise one part of the formulas) and expected.json:
per image, and per formula image `formula-WxH` (CHW values float32(0.5 + 0.5 sin(0.37 k)) for
k = 0, 1, ... over the whole CHW array, which the Swift test rebuilds), the five factors of
docs/images.md computed here in float64 from the 8-bit samples / 255: luma and the Laplacian with
numpy, HSV with Python's own colorsys, one pixel at a time. Missing values are null.
"""
import colorsys
import json
import math
import os
import sys

import numpy as np
import PIL
from PIL import Image

GREY_RESULTANT = 1e-9  # PhotometricFactors.greyResultant


def factors(rgb):
    """rgb: float64 array H x W x 3 in 0...1."""
    height, width, _ = rgb.shape
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    hsv = np.array([colorsys.rgb_to_hsv(*pixel) for pixel in rgb.reshape(-1, 3)])
    hue, saturation = hsv[:, 0], hsv[:, 1]
    angle = 2 * np.pi * hue
    x, y = np.sum(saturation * np.cos(angle)), np.sum(saturation * np.sin(angle))
    mean_hue = None
    if math.hypot(x, y) / (width * height) > GREY_RESULTANT:
        mean_hue = (math.atan2(y, x) / (2 * math.pi)) % 1.0
    sharpness = None
    if width >= 3 and height >= 3:
        laplacian = (luma[:-2, 1:-1] + luma[2:, 1:-1] + luma[1:-1, :-2] + luma[1:-1, 2:] - 4 * luma[1:-1, 1:-1])
        sharpness = float(laplacian.var())
    return {
        "pixel_brightness": float(luma.mean()),
        "pixel_contrast": float(luma.std()),
        "pixel_saturation": float(saturation.mean()),
        "pixel_hue": mean_hue,
        "pixel_sharpness": sharpness,
    }


def hsv_image(width, height, hsv_of):
    pixels = [[colorsys.hsv_to_rgb(*hsv_of(x, y)) for x in range(width)] for y in range(height)]
    return Image.fromarray(np.round(np.array(pixels) * 255).astype(np.uint8), "RGB")


def fixtures():
    rng = np.random.default_rng(31)
    images = {}
    # Photo-like: smooth colour gradients with noise, wider than tall (catches a width/height swap).
    yy, xx = np.mgrid[0:30, 0:40]
    base = np.stack([0.2 + 0.6 * xx / 39, 0.3 + 0.5 * yy / 29, 0.6 - 0.4 * (xx + yy) / 68], axis=-1)
    noisy = np.clip(base + rng.normal(0, 0.06, base.shape), 0, 1)
    images["natural.png"] = Image.fromarray(np.round(noisy * 255).astype(np.uint8), "RGB")
    # Hues on both sides of red (0.95 and 0.05, twice as many at 0.95), grey rows between: the
    # circular mean lies just below 1, where an arithmetic mean of hues would say 0.35.
    images["wrap.png"] = hsv_image(24, 16, lambda x, y: (0.0, 0.0, 0.5) if y % 4 == 3
                                   else ((0.95 if x < 16 else 0.05), 0.3 + 0.04 * x, 0.8))
    # Sharp and grey: a one-pixel checkerboard.
    images["checker.png"] = Image.fromarray(((np.indices((13, 17)).sum(axis=0) % 2) * 255).astype(np.uint8), "L").convert("RGB")
    # Flat grey: contrast 0, hue missing, sharpness 0.
    images["gray-flat.png"] = Image.new("RGB", (9, 7), (128, 128, 128))
    # Too small for a Laplacian.
    images["tiny.png"] = Image.fromarray(np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [250, 240, 10]]], np.uint8), "RGB")
    return images


def formula(width, height):
    values = np.array([0.5 + 0.5 * math.sin(0.37 * k) for k in range(3 * width * height)], dtype=np.float32)
    return values.astype(np.float64).reshape(3, height, width).transpose(1, 2, 0)


def main(out):
    os.makedirs(out, exist_ok=True)
    expected = {}
    for name, image in fixtures().items():
        image.save(os.path.join(out, name))
        with Image.open(os.path.join(out, name)) as reread:
            rgb = np.asarray(reread.convert("RGB"), dtype=np.float64) / 255
        expected[name] = factors(rgb)
    for width, height in [(13, 9), (3, 3)]:
        expected["formula-%dx%d" % (width, height)] = factors(formula(width, height))
    expected["_made_by"] = "Tests/Reference/photometric_reference.py with Pillow %s, numpy %s" % (PIL.__version__, np.__version__)
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/DatasetsTests/Fixtures/photometric")
