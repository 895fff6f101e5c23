#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/corpus/ (committed; run again only to change them).

Small valid files of every kind each parser accepts, from the committed fixtures and probes and
generated here with the standard library only: safetensors of every dtype, IDX of rank 0-3 raw and
gzipped (one and two members), PNGs of every colour type and bit depth (interlaced too), probes,
CSV/TSV image tables with every column kind, JPEGs (the Imaging tests' Pillow-written fixtures:
4:2:0, 4:4:4, progressive, grey, CMYK, EXIF orientations) and the smallest ONNX fixtures of each
operator family.
Usage, from the repository root: python3 Fuzz/make-seeds.py
"""
import gzip, json, os, shutil, struct, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")


def out(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- safetensors -------------------------------------------------------------------------------
def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, bytes), laid out in the given order."""
    header, offset, blob = {}, 0, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blob += data
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + blob


for name in ["torch_written.safetensors", "torch_dtypes.safetensors"]:
    with open(os.path.join(ROOT, "Fixtures", "safetensors", name), "rb") as f:
        out("safetensors", name, f.read())
out("safetensors", "empty.safetensors", safetensors([]))
out("safetensors", "metadata-only.safetensors", safetensors([], {"format": "pt", "note": "é\n\"\\"}))
out("safetensors", "all-dtypes.safetensors", safetensors([
    ("f64", "F64", [2], struct.pack("<2d", 1.5, -0.0)),
    ("i64", "I64", [1, 2], struct.pack("<2q", -1, 2**62)),
    ("u64", "U64", [1], struct.pack("<Q", 2**64 - 1)),
    ("f32", "F32", [2, 1], struct.pack("<2f", 3.25, float("nan"))),
    ("i32", "I32", [1], struct.pack("<i", -7)),
    ("u32", "U32", [1], struct.pack("<I", 2**32 - 1)),
    ("f16", "F16", [2], struct.pack("<2H", 0x3C00, 0x7C00)),
    ("bf16", "BF16", [2], struct.pack("<2H", 0x3F80, 0x0001)),
    ("i16", "I16", [1], struct.pack("<h", -300)),
    ("u16", "U16", [1], struct.pack("<H", 65535)),
    ("i8", "I8", [2], struct.pack("<2b", -128, 127)),
    ("u8", "U8", [2], b"\x00\xff"),
    ("bool", "BOOL", [2], b"\x00\x01"),
], {"k": "v"}))
out("safetensors", "scalar-and-empty.safetensors", safetensors([
    ("scalar", "F32", [], struct.pack("<f", 2.0)), ("none", "F32", [0, 5], b""), ("", "U8", [1], b"\x01"),
]))

# --- IDX and gzip --------------------------------------------------------------------------------
def idx(dims, data):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + bytes(data)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


mnist = os.path.join(ROOT, "Fixtures", "fashion-mnist-subset")
with gzip.open(os.path.join(mnist, "t10k-images-idx3-ubyte.gz")) as f:
    images = f.read()
with gzip.open(os.path.join(mnist, "t10k-labels-idx1-ubyte.gz")) as f:
    labels = f.read()
two_images = idx([2, 28, 28], images[16:16 + 2 * 784])
ten_labels = idx([10], labels[8:18])
out("idx", "images-2x28x28.idx", two_images)
out("idx", "images-2x28x28.idx.gz", gz(two_images))
out("idx", "labels-10.idx", ten_labels)
out("idx", "labels-10.idx.gz", gz(ten_labels))
out("idx", "labels-two-members.idx.gz", gz(ten_labels[:9]) + gz(ten_labels[9:]))
out("idx", "rank0.idx", idx([], [42]))
out("idx", "rank2-empty.idx.gz", gz(idx([0, 3], [])))
out("idx", "stored-block.gz", gzip.compress(ten_labels, compresslevel=0, mtime=0))

# --- PNG -----------------------------------------------------------------------------------------
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(width, height, depth, colour, rows, extra=b"", interlace=0):
    """rows: the raw scanline bytes (without filter bytes) of a non-interlaced image, or for an
    interlaced one the already filtered stream."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    raw = rows if interlace else b"".join(b"\x00" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ramp(n, start=0, step=17):
    return bytes((start + step * i) & 0xFF for i in range(n))


W, H = 5, 4
out("png", "gray8.png", png(W, H, 8, 0, [ramp(W, 10 * y) for y in range(H)]))
out("png", "gray16.png", png(W, H, 16, 0, [ramp(2 * W, 3 * y, 29) for y in range(H)]))
out("png", "gray1.png", png(W, H, 1, 0, [bytes([0b10110000 >> y]) for y in range(H)]))
out("png", "gray4-trns.png", png(W, H, 4, 0, [ramp(3, y, 0x35) for y in range(H)], chunk(b"tRNS", b"\x00\x03")))
out("png", "gray-alpha8.png", png(W, H, 8, 4, [ramp(2 * W, 5 * y) for y in range(H)]))
out("png", "rgb8-gama-sbit.png", png(W, H, 8, 2, [ramp(3 * W, 7 * y) for y in range(H)],
                                     chunk(b"gAMA", struct.pack(">I", 45455)) + chunk(b"sBIT", b"\x05\x06\x05")))
out("png", "rgb16.png", png(W, H, 16, 2, [ramp(6 * W, y, 13) for y in range(H)]))
out("png", "rgba8.png", png(W, H, 8, 6, [ramp(4 * W, 11 * y) for y in range(H)]))
palette = chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]))
out("png", "palette2.png", png(W, H, 2, 3, [bytes([0b00011011, 0b10000000]) for _ in range(H)], palette))
out("png", "palette8-trns.png", png(W, H, 8, 3, [bytes((x + y) % 4 for x in range(W)) for y in range(H)],
                                     palette + chunk(b"tRNS", b"\xff\x80\x00")))
# Adam7 interlaced 8x8 gray: 7 passes, each row with filter byte 0.
passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
stream = b""
for x0, y0, dx, dy in passes:
    cols = len(range(x0, 8, dx))
    for y in range(y0, 8, dy):
        stream += b"\x00" + bytes((x * 31 + y * 7) & 0xFF for x in range(x0, 8, dx))[:cols]
out("png", "gray8-interlaced.png", png(8, 8, 8, 0, stream, interlace=1))

# --- probes --------------------------------------------------------------------------------------
for name in ["deeplab.json", "resnet.json", "oracle.json"]:
    with open(os.path.join(ROOT, "probes", name), "rb") as f:
        out("probe", name, f.read())
out("probe", "minimal.json", json.dumps({
    "expert": "x", "description": "", "input": [1], "aliases": {"early": "a"},
    "layers": [{"name": "a", "shape": [1], "description": "d"}]}).encode())
out("probe", "weights-and-lists.json", json.dumps({
    "expert": "y", "description": "two layers", "weights": "y.safetensors", "input": [3, 8, 8],
    "aliases": {"early": "a", "mid": "b", "last": "b"},
    "layers": [{"name": "a", "shape": [3, 8, 8], "description": "", "keeps": ["hue"], "ignores": [], "partial": None},
               {"name": "b", "shape": [], "description": "\u00e9\\n", "keeps": None, "ignores": ["class"], "partial": ["value"]}]},
    indent=1).encode())

# --- image tables --------------------------------------------------------------------------------
out("table", "kinds.csv", (
    "path,label,size,score,hue[circular:360],digit[categorical:10],age[continuous],site[categorical]\n"
    "a.png,cat,10,0.5,-10,3,41,7\n"
    "sub/b.png,dog,2,1.25,370,0,,x\n"
    "/abs/c.jpg,cat,,-3e-1,90,9,2.5e1,7\n").encode())
out("table", "excel.csv", (
    "\ufeffpath,note,\"weird, name\"\r\n"
    "a.png,\"big, fluffy\",1\r\n"
    "\r\n"
    "b.png,\"says \"\"woof\"\"\",2\r\n"
    "\"c\nd.png\",\"two\r\nlines\",\r\n").encode())
out("table", "turns.tsv", (
    "path\tturn [ circular : 1 ]\tlight\n"
    "x/1.png\t0.25\t0.5\n"
    "x/2.png\t-0.75\t\n"
    "./x/../x/3.png\t1\t1e-3\n").encode())
out("table", "quoted.tsv", (
    "\"path\"\t\"class\"\n"
    "\"a b.png\"\t\"tab\there\"\n"
    "c.png\t \"\"\n"
    "d.png\t\"x\"\r").encode())
out("table", "path-only.csv", b"path\r1.png\r2.png")

# --- JPEG ----------------------------------------------------------------------------------------
jpegs = os.path.join(ROOT, "Tests", "ImagingTests", "Fixtures", "jpeg")
for name in ["rgb-420.jpg", "rgb-444.jpg", "rgb-progressive.jpg", "gray.jpg", "cmyk.jpg",
             "blocks-o3-le.jpg", "blocks-o6-be.jpg", "blocks-o7-le.jpg"]:
    with open(os.path.join(jpegs, name), "rb") as f:
        out("jpeg", name, f.read())

# --- ONNX ----------------------------------------------------------------------------------------
# The smallest fixture of each kind: elementwise, shape arithmetic, pooling, resize, padding,
# convolution and matrix products, and one small network exported by PyTorch.
onnx = os.path.join(ROOT, "Fixtures", "onnx")
for name in ["relu.onnx", "add_channel_c11.onnx", "softmax13_axis1_4d.onnx", "transpose_nhwc.onnx",
             "flatten_axis2.onnx", "avgpool_ceil_pads_exclude.onnx", "conv_autopad_same_upper.onnx",
             "convtranspose_stride2_pads_outpad.onnx", "gemm_transB_alpha_beta.onnx", "dynamic_hw.onnx",
             "concat_axis_neg1_const.onnx", "maxpool_ceil_pads.onnx", "globalaveragepool.onnx",
             "resize13_linear_halfpixel_scales.onnx", "resize11_nearest_halfpixel_rpf_sizes.onnx",
             "pad_reflect.onnx", "pad18_axes_reflect.onnx", "reducemean_hw_keepdims0.onnx",
             "matmul_batched_broadcast.onnx", "slice_all_inputs.onnx", "split13_input.onnx",
             "shape_chain_resize_sizes.onnx", "reshape_0_minus1.onnx", "batchnorm_opset15.onnx",
             "constantofshape_default_then_cast.onnx", "cast_float_int64_float.onnx", "clip_min_max.onnx",
             "prelu_scalar_slope.onnx", "torch_mini_segmenter_opset17.onnx"]:
    with open(os.path.join(onnx, name), "rb") as f:
        out("onnx", name, f.read())
