"""Prints the expected values used by the exact-value tests (TorchReferenceTests.swift).

Run with Debian's PyTorch 1.13 (apt-get install python3-torch):
    /usr/bin/python3 Tests/Reference/torch_exact_values.py
Inputs are defined by formula, x[i] = sin(0.37 i + phase) * scale, so both sides build them alike.
"""
import math
import torch
import torch.nn.functional as F

torch.set_printoptions(precision=6)


def seq(shape, phase=0.0, scale=1.0):
    n = math.prod(shape)
    return torch.tensor([math.sin(0.37 * i + phase) * scale for i in range(n)], dtype=torch.float32).reshape(shape)


def show(name, t):
    print(f"{name} = {[round(v, 6) for v in t.flatten().tolist()]}")


x = seq([1, 2, 5, 5])
w = seq([3, 2, 3, 3], phase=1.0, scale=0.5)
b = seq([3], phase=2.0)
show("conv_s2_p1", F.conv2d(x, w, b, stride=2, padding=1))
show("conv_d2_p2", F.conv2d(x, w, None, stride=1, padding=2, dilation=2))
wt = seq([2, 3, 3, 3], phase=0.5, scale=0.5)
show("convT_s2_p1_op1", F.conv_transpose2d(seq([1, 2, 3, 3]), wt, b, stride=2, padding=1, output_padding=1))
small = seq([1, 1, 3, 4])
show("bilinear_5x7", F.interpolate(small, size=(5, 7), mode="bilinear", align_corners=False))
show("bilinear_2x2", F.interpolate(small, size=(2, 2), mode="bilinear", align_corners=False))
show("nearest_5x7", F.interpolate(small, size=(5, 7), mode="nearest"))
logits = seq([2, 4, 3], scale=2.0)
show("cross_entropy", F.cross_entropy(logits, torch.tensor([[0, 3, 1], [2, 2, 0]])).reshape(1))
show("log_softmax", F.log_softmax(logits, 1))
bn = torch.nn.BatchNorm2d(2)
y = bn(seq([3, 2, 2, 2], scale=3.0))
show("bn_train_out", y)
show("bn_running_mean", bn.running_mean)
show("bn_running_var", bn.running_var)
# Two AMSGrad steps on f(p) = sum((p - t)^2 * c), betas (0.5, 0.9), weight decay 0.01.
p = torch.nn.Parameter(seq([5], phase=0.3))
opt = torch.optim.Adam([p], lr=0.1, betas=(0.5, 0.9), weight_decay=0.01, amsgrad=True)
target, c = seq([5], phase=2.5), seq([5], phase=1.5).abs() + 0.5
for _ in range(3):
    opt.zero_grad()
    ((p - target) ** 2 * c).sum().backward()
    opt.step()
show("adam_amsgrad_3_steps", p.detach())
q = torch.nn.Parameter(seq([5], phase=0.3))
sgd = torch.optim.SGD([q], lr=0.1, momentum=0.9, weight_decay=0.01)
for _ in range(3):
    sgd.zero_grad()
    ((q - target) ** 2 * c).sum().backward()
    sgd.step()
show("sgd_momentum_3_steps", q.detach())
show("max_pool_k3_s2_p1", F.max_pool2d(seq([1, 1, 5, 5]), 3, 2, 1))
show("avg_pool_k3_s2_p1", F.avg_pool2d(seq([1, 1, 5, 5]), 3, 2, 1))
sched = torch.optim.lr_scheduler.OneCycleLR(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0), max_lr=1.0, total_steps=10)
lrs = []
for _ in range(10):
    lrs.append(sched.get_last_lr()[0]); sched.optimizer.step(); sched.step()
show("one_cycle_10", torch.tensor(lrs))
