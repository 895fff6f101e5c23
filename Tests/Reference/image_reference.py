#!/usr/bin/env python3
"""Fixtures and expected pixels for the image-reading tests (ImagingTests), computed by Pillow.

Every expected value is what Pillow computes on the file this script writes; nothing is typed in.
Setup and usage (from the repository root):
    pip install pillow            # the values committed were made with Pillow 13.0.0
    python3 Tests/Reference/image_reference.py Tests/ImagingTests/Fixtures
Running it again rewrites the same files (Pillow's encoders are deterministic).

What it writes, all small (a few KB each):
  jpeg/  JPEGs of each kind the decoder handles or refuses, and Pillow's decode of each as PNG;
         photo.jpg (203x155, photo-like) and photo-o6.jpg (the same stored turned, EXIF 6) with
         NAME.rN.expected.png, Pillow's decode after draft() at 1/N (libjpeg's DCT scaling).
  resize/ Pillow's BILINEAR resize and ImageOps.fit of formula images (see `pattern`, which the
         Swift test rebuilds), one PNG per case named in RESIZE_CASES; random.json lists 40 seeded
         random resizes (sizes, crop box) whose results are packed, in order, into random.png.
  png/   PNGs of every colour type and bit depth, each with NAME.expected.png, the RGB bitmap
         ImageFile.read must give: Pillow's convert("RGB") for 8-bit files; for 16-bit files
         round(v * 255 / 65535) of each sample (where Pillow's own result, NAME.pillow.png, keeps
         the high byte of colour and clips grey; the test measures the difference).
"""
import io
import json
import math
import os
import random
import struct
import sys
import zlib

import PIL
from PIL import Image, ImageOps

ORIENTATION = 0x0112


def pattern(width, height, mode):
    """A deterministic image with smooth gradients and fine texture, so both chroma and detail matter."""
    image = Image.new(mode, (width, height))
    bands = len(mode)
    pixels = []
    for y in range(height):
        for x in range(width):
            value = tuple((x * 37 + y * 11 + c * 71 + ((x * y + c) % 7) * 13) % 256 for c in range(bands))
            pixels.append(value if bands > 1 else value[0])
    image.putdata(pixels)
    return image


def blocks():
    """The upright orientation test image: 3x2 flat 8x8 blocks of distinct colours, 24x16, so every
    turn and mirror moves a different colour into the top-left corner and a 4:4:4 JPEG keeps the
    colours within a level or two (flat blocks have only a DC coefficient)."""
    colours = [(220, 30, 30), (30, 200, 40), (40, 60, 230), (240, 230, 40), (200, 40, 210), (40, 220, 220)]
    image = Image.new("RGB", (24, 16))
    for index, colour in enumerate(colours):
        bx, by = index % 3, index // 3
        image.paste(colour, (bx * 8, by * 8, bx * 8 + 8, by * 8 + 8))
    return image


def exif_segment(orientation, little_endian):
    """An APP1 Exif segment whose IFD0 has the one entry Orientation (SHORT, count 1)."""
    e = "<" if little_endian else ">"
    tiff = (b"II" if little_endian else b"MM") + struct.pack(e + "HI", 42, 8)
    tiff += struct.pack(e + "H", 1) + struct.pack(e + "HHI", ORIENTATION, 3, 1)
    tiff += struct.pack(e + "H", orientation) + b"\0\0" + struct.pack(e + "I", 0)
    payload = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def with_segment(jpeg, segment):
    """Inserts a segment after SOI and the JFIF APP0 segment, where cameras put Exif."""
    assert jpeg[:4] == b"\xff\xd8\xff\xe0"
    app0_end = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:app0_end] + segment + jpeg[app0_end:]


def jpeg_bytes(image, **options):
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def save_png(image, path):
    out = io.BytesIO()
    image.save(out, "PNG")
    write(path, out.getvalue())


def plain(image):
    """The pixels alone: convert() keeps a colour key in `info`, and save() would write it back
    as a tRNS chunk, turning the expected RGB file into one read with alpha."""
    return Image.frombytes(image.mode, image.size, image.tobytes())


def pillow_rgb(path):
    """What Pillow shows for a file: decoded, turned upright by its EXIF orientation, as RGB."""
    with Image.open(path) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def jpeg_fixtures(root):
    out = os.path.join(root, "jpeg")
    # Decoding: Pillow's decode (libjpeg-turbo, accurate DCT, fancy upsampling) is the reference.
    photo = pattern(37, 29, "RGB")
    cases = {
        "rgb-420": jpeg_bytes(photo, quality=90),
        "rgb-444": jpeg_bytes(photo, quality=90, subsampling=0),
        "rgb-progressive": jpeg_bytes(photo, quality=85, progressive=True),
        "gray": jpeg_bytes(pattern(37, 29, "L"), quality=90),
    }
    for name, data in cases.items():
        write(f"{out}/{name}.jpg", data)
        with Image.open(f"{out}/{name}.jpg") as image:
            image.load()
            # Grey JPEGs are compared as grey: the decoder keeps them one channel.
            expected = image.copy() if image.mode == "L" else image.convert("RGB")
        save_png(expected, f"{out}/{name}.expected.png")
        print(f"{name}.jpg: {len(data)} bytes, Pillow mode {expected.mode}")

    # Orientation: the upright image stored turned by the inverse of each EXIF orientation, in
    # both TIFF byte orders; Pillow's exif_transpose of each is the reference.
    upright = blocks()
    save_png(upright, f"{out}/blocks-upright.png")
    inverse = {  # the stored image for orientation n is upright.transpose(inverse[n])
        1: None,
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }
    for n, transpose in inverse.items():
        stored = upright if transpose is None else upright.transpose(transpose)
        body = jpeg_bytes(stored, quality=95, subsampling=0)
        for order, little in (("le", True), ("be", False)):
            path = f"{out}/blocks-o{n}-{order}.jpg"
            write(path, with_segment(body, exif_segment(n, little)))
            with Image.open(path) as image:
                assert image.getexif().get(ORIENTATION) == n, (path, image.getexif())
            shown = pillow_rgb(path)
            assert shown.size == upright.size, (path, shown.size)
            worst = max(abs(a - b) for a, b in zip(shown.tobytes(), upright.tobytes()))
            assert worst <= 3, (path, worst)
            if little:
                save_png(shown, f"{out}/blocks-o{n}.expected.png")
        print(f"blocks-o{n}: stored {stored.size}, Pillow upright within {worst} of the original")

    # Refused: a CMYK JPEG (Pillow writes it with an Adobe marker, colour space CMYK).
    write(f"{out}/cmyk.jpg", jpeg_bytes(pattern(16, 8, "CMYK"), quality=90))


def photo_like(width, height):
    """A photo-like image, the recipe of ../shared/bench/torch_reference.py's image set: a colour
    gradient at an angle, a flat disc with a sharp edge, Gaussian noise (sigma 6), seeded."""
    rng = random.Random(64)
    a, b, disc = [[rng.uniform(0, 255) for _ in range(3)] for _ in range(3)]
    angle, steep = rng.uniform(0, 6.3), rng.uniform(0.5, 2)
    radius, cx, cy = 0.3 * min(width, height), 0.45 * width, 0.55 * height
    ca, sa = math.cos(angle), math.sin(angle)
    data = bytearray()
    for y in range(height):
        for x in range(width):
            t = min(max((ca * x / width + sa * y / height) * steep, 0), 1)
            inside = (x - cx) ** 2 + (y - cy) ** 2 < radius ** 2
            for c in range(3):
                v = disc[c] if inside else a[c] * (1 - t) + b[c] * t
                data.append(min(max(int(v + rng.gauss(0, 6)), 0), 255))
    return Image.frombytes("RGB", (width, height), bytes(data))


def reduced_jpeg_fixtures(root):
    """Decoding at a reduced size: Pillow's draft() (libjpeg's scale_denom) is the reference."""
    out = os.path.join(root, "jpeg")
    photo = photo_like(203, 155)
    write(f"{out}/photo.jpg", jpeg_bytes(photo, quality=90))
    turned = photo.transpose(Image.Transpose.ROTATE_90)  # stored so that EXIF 6 turns it upright
    write(f"{out}/photo-o6.jpg", with_segment(jpeg_bytes(turned, quality=90), exif_segment(6, True)))
    cases = [("photo", 2), ("photo", 4), ("photo", 8), ("photo-o6", 4), ("gray", 2), ("rgb-progressive", 4)]
    for name, r in cases:
        with Image.open(f"{out}/{name}.jpg") as image:
            w, h = image.size
            image.draft(image.mode, (w // r, h // r))
            assert image.size == ((w + r - 1) // r, (h + r - 1) // r), (name, r, image.size)
            image.load()
            shown = ImageOps.exif_transpose(image)
            expected = shown.copy() if shown.mode == "L" else shown.convert("RGB")
        save_png(expected, f"{out}/{name}.r{r}.expected.png")
        print(f"{name}.jpg at 1/{r}: {expected.size}, Pillow mode {expected.mode}")


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png16(width, height, colour_type, samples, gamma=None):
    """A 16-bit PNG written by hand (Pillow writes 16 bits only for grey): colour type 0 grey,
    2 RGB, 4 grey+alpha, 6 RGBA; `samples` row-major, big-endian as PNG stores them."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    assert len(samples) == width * height * channels
    raw = b""
    for y in range(height):
        row = samples[y * width * channels:(y + 1) * width * channels]
        raw += b"\0" + struct.pack(f">{len(row)}H", *row)
    ihdr = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    extra = png_chunk(b"gAMA", struct.pack(">I", gamma)) if gamma is not None else b""
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")


def sixteen_bit_samples(width, height, channels):
    """16-bit samples spread over the range; the first four are 0, 65535 and two whose rounded
    reduction differs from the high byte: 0xFF00 (254, high byte 255) and 0x00FF (1, high byte 0)."""
    values = []
    for i in range(width * height * channels):
        values.append((i * 40503 + (i // channels) * 911) % 65536)
    values[:4] = [0, 65535, 0xFF00, 0x00FF]
    return values


def png_fixtures(root):
    out = os.path.join(root, "png")
    width, height = 13, 7
    rgb = pattern(width, height, "RGB")
    grey = pattern(width, height, "L")
    rgba = pattern(width, height, "RGBA")
    # Fully transparent pixels that still hold a colour: dropping alpha must keep it.
    rgba.putpixel((0, 0), (200, 100, 50, 0))
    la = pattern(width, height, "LA")
    palette = rgb.quantize(colors=16)
    files = {}

    def pillow_png(image, **options):
        buffer = io.BytesIO()
        image.save(buffer, "PNG", **options)
        return buffer.getvalue()

    files["gray"] = pillow_png(grey)
    files["gray-1bit"] = pillow_png(grey.point(lambda v: 255 if v > 127 else 0).convert("1"))
    files["gray-alpha"] = pillow_png(la)
    files["gray-colour-key"] = pillow_png(grey, transparency=int(grey.getpixel((0, 0))))
    files["rgb"] = pillow_png(rgb)
    files["rgb-colour-key"] = pillow_png(rgb, transparency=rgb.getpixel((1, 0)))
    files["rgba"] = pillow_png(rgba)
    files["palette"] = pillow_png(palette)
    files["palette-alpha"] = pillow_png(palette, transparency=bytes((i * 17) % 256 for i in range(16)))
    # gAMA 1.0 (linear): libpng re-encodes such a file to sRGB, Pillow ignores gAMA (the test
    # measures the difference the ImageFile doc comment states).
    ihdr_end = 8 + 12 + 13
    files["rgb-gamma1"] = files["rgb"][:ihdr_end] + png_chunk(b"gAMA", struct.pack(">I", 100000)) + files["rgb"][ihdr_end:]
    for name, data in files.items():
        write(f"{out}/{name}.png", data)
        with Image.open(f"{out}/{name}.png") as image:
            mode = image.mode
            save_png(plain(image.convert("RGB")), f"{out}/{name}.expected.png")
        print(f"png/{name}.png: Pillow opens it as {mode}")

    # 16-bit: the expected reduction is round(v * 255 / 65535), half up.
    for name, colour_type, channels in (("gray16", 0, 1), ("rgb16", 2, 3), ("gray-alpha16", 4, 2), ("rgba16", 6, 4)):
        samples = sixteen_bit_samples(width, height, channels)
        if channels in (2, 4):  # a fully transparent pixel that keeps its colour
            samples[channels - 1] = 0
        write(f"{out}/{name}.png", png16(width, height, colour_type, samples))
        reduced = [(v * 255 + 32767) // 65535 for v in samples]
        rgb_bytes = bytearray()
        for p in range(width * height):
            pixel = reduced[p * channels:(p + 1) * channels]
            rgb_bytes += bytes(pixel[:3]) if channels >= 3 else bytes([pixel[0]] * 3)
        save_png(Image.frombytes("RGB", (width, height), bytes(rgb_bytes)), f"{out}/{name}.expected.png")
        with Image.open(f"{out}/{name}.png") as image:
            mode = image.mode
            save_png(plain(image.convert("RGB")), f"{out}/{name}.pillow.png")
        print(f"png/{name}.png: Pillow opens it as {mode}")


# name: (mode, source width, source height, operation, target width, target height)
RESIZE_CASES = {
    "down7": ("RGB", 448, 448, "resize", 64, 64),
    "down1.5": ("RGB", 96, 72, "resize", 64, 48),
    "up2": ("RGB", 20, 15, "resize", 40, 30),
    "uneven": ("RGB", 333, 250, "resize", 64, 27),
    "gray-down": ("L", 100, 80, "resize", 33, 27),
    "fit-wide": ("RGB", 150, 100, "fit", 64, 64),
    "fit-tall": ("RGB", 90, 160, "fit", 48, 64),
    "fit-up": ("L", 21, 13, "fit", 50, 40),
    # Pillow 13 runs the vertical pass first when the height loses more than twice as many
    # pixels as the width; these two sit either side of that rule.
    "tall-vertical-first": ("RGB", 40, 65, "resize", 20, 20),
    "tall-tie": ("RGB", 40, 60, "resize", 20, 20),
}


def resize_fixtures(root):
    out = os.path.join(root, "resize")
    for name, (mode, width, height, operation, target_width, target_height) in RESIZE_CASES.items():
        source = pattern(width, height, mode)
        if operation == "resize":
            result = source.resize((target_width, target_height), Image.Resampling.BILINEAR)
        else:
            result = ImageOps.fit(source, (target_width, target_height), Image.Resampling.BILINEAR)
        save_png(result, f"{out}/{name}.png")
        print(f"resize/{name}.png: {mode} {width}x{height} {operation} to {result.size}")

    # Random sizes and crop boxes (seeded): shrinking and enlarging on either axis, both pass
    # orders, fractional boxes. All results go in one file, one row of the strip per case.
    rng = random.Random(31)
    cases, strip = [], b""
    while len(cases) < 40:
        width, height = rng.randint(2, 70), rng.randint(2, 70)
        target = (rng.randint(1, 32), rng.randint(1, 32))
        box = [0, 0, width, height]
        if rng.random() < 0.4:
            x0, y0 = rng.uniform(0, width / 3), rng.uniform(0, height / 3)
            box = [x0, y0, rng.uniform(x0 + 1, width), rng.uniform(y0 + 1, height)]
        result = pattern(width, height, "RGB").resize(target, Image.Resampling.BILINEAR, box=tuple(box))
        cases.append({"source": [width, height], "target": list(target), "box": box, "offset": len(strip)})
        strip += result.tobytes()
    side = 1
    while side * side * 3 < len(strip):
        side += 1
    strip += bytes(side * side * 3 - len(strip))
    save_png(Image.frombytes("RGB", (side, side), strip), f"{out}/random.png")
    with open(f"{out}/random.json", "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(case) for case in cases) + "\n]\n")
    print(f"resize/random.png: {len(cases)} random resizes, their samples packed into a {side}x{side} image")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    print(f"Pillow {PIL.__version__}")
    jpeg_fixtures(root)
    reduced_jpeg_fixtures(root)
    png_fixtures(root)
    resize_fixtures(root)


if __name__ == "__main__":
    main()
