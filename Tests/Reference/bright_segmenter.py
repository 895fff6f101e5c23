"""Writes Fixtures/bright-segmenter/: an ONNX segmenter whose output is known by construction, for
Tests/ExpertsTests/SegmentationOutputTests.swift, and its probe, which declares the segmentation.

    python3 Tests/Reference/bright_segmenter.py          # needs numpy and onnx

bright.onnx takes [N, 3, 48, 48] images in 0..1 (its probe sets mean 0 and std 1, so the pixels
reach it as they are) and has one node, `scores`, a fixed 1x1 convolution to two class scores per
pixel: class 0 (background) is the constant 0.3, class 1 (object) the luma
0.299 R + 0.587 G + 0.114 B. A pixel is object where its luma is above 0.3, so the object masks
the tool derives from this segmenter can be computed from the images themselves. The input is
48x48, not the autoencoder's 32x32, so the test also checks that the class map, read at the
network's size from the original files, lies on the images at the autoencoder's size.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper as h
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures", "bright-segmenter")
SIZE = 48
THRESHOLD = 0.3


def model():
    w = np.array([[0, 0, 0], [0.299, 0.587, 0.114]], dtype=np.float32).reshape(2, 3, 1, 1)
    b = np.array([THRESHOLD, 0], dtype=np.float32)
    node = h.make_node("Conv", ["input", "scores.w", "scores.b"], ["scores"], kernel_shape=[1, 1])
    graph = h.make_graph([node], "bright_segmenter", [h.make_tensor_value_info("input", TP.FLOAT, ["N", 3, SIZE, SIZE])],
                         [h.make_tensor_value_info("scores", TP.FLOAT, ["N", 2, SIZE, SIZE])],
                         initializer=[numpy_helper.from_array(w, "scores.w"), numpy_helper.from_array(b, "scores.b")])
    m = h.make_model(graph, opset_imports=[h.make_opsetid("", 13)], producer_name="Tests/Reference/bright_segmenter.py")
    onnx.checker.check_model(m)
    return m


def probe():
    return {"expert": "bright.onnx", "description": "pixels brighter than luma 0.3 are the object (a fixed 1x1 convolution)",
            "input": [3, SIZE, SIZE], "aliases": {"last": "scores"},
            "layers": [{"name": "scores", "shape": [2, SIZE, SIZE], "description": "background 0.3, object the luma"}],
            "preprocessing": {"mean": [0, 0, 0], "std": [1, 1, 1], "channel_order": "RGB", "value_range": [0, 1]},
            "segmentation": {"layer": "scores", "background": [0]}}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    onnx.save(model(), os.path.join(OUT, "bright.onnx"))
    with open(os.path.join(OUT, "bright.probe.json"), "w") as f:
        json.dump(probe(), f, indent=1)
        f.write("\n")
    print("wrote", OUT)
