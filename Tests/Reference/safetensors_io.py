"""safetensors files for the reference scripts: a writer and a reader with no dependency on the
safetensors package, in the byte layout Sources/SafeTensors reads (dtype order of the safetensors
Rust enum, keys sorted, header padded to 8 bytes, written atomically)."""

import json
import os
import struct

import numpy as np

# Same order as the safetensors Rust enum (and Sources/SafeTensors/SafeTensorsDType.swift).
ST_ORDER = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
ST_DTYPE = {
    np.dtype(np.bool_): "BOOL", np.dtype(np.uint8): "U8", np.dtype(np.int8): "I8",
    np.dtype(np.int16): "I16", np.dtype(np.uint16): "U16", np.dtype(np.float16): "F16",
    np.dtype(np.int32): "I32", np.dtype(np.uint32): "U32", np.dtype(np.float32): "F32",
    np.dtype(np.float64): "F64", np.dtype(np.int64): "I64", np.dtype(np.uint64): "U64",
}


def write_safetensors(path, tensors, metadata=None):
    """tensors: dict key -> numpy array. Writes atomically (temp file, then rename)."""
    items = []
    for key, arr in tensors.items():
        arr = np.asarray(arr)
        dt = ST_DTYPE.get(arr.dtype)
        if dt is None:
            raise ValueError(f"{path}: tensor {key!r} has dtype {arr.dtype}, not writable")
        items.append((key, dt, arr))
    items.sort(key=lambda it: (-ST_ORDER.index(it[1]), it[0].encode("utf-8")))
    header = {}
    if metadata:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    blobs, offset = [], 0
    for key, dt, arr in items:
        data = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        header[key] = {"dtype": dt, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    """Reader for self-checks: returns (metadata, dict key -> array)."""
    inv = {v: k for k, v in ST_DTYPE.items()}
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for k, info in header.items():
        b, e = info["data_offsets"]
        out[k] = np.frombuffer(raw[base + b:base + e], dtype=inv[info["dtype"]].newbyteorder("<")).reshape(info["shape"])
    return meta, out
