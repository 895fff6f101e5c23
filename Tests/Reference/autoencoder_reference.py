"""Writes the fixtures of AutoencoderSizeTests: the autoencoder family at 64x64 and 128x128 in
PyTorch, with weights, an input batch and the eval-mode outputs.

Run with Debian's PyTorch 1.13 (apt-get install python3-torch), from the repository root:
    /usr/bin/python3 Tests/Reference/autoencoder_reference.py

The reference architecture is `Autoencoder64` in ../shared/bench/torch_reference.py (widths
32/64/128/256, 128-d latent: about 3M parameters, 12 MB of weights). To keep the fixtures small,
`ScaledAutoencoder` below defines the same architecture with every channel width scaled by
`width / 32` (as ConvAutoencoder's `width` does) and any image size 32 * 2^k: each doubling adds a
stride-2 conv that doubles the channels at the end of the encoder and an upsample + conv that
halves them at the start of the decoder, which is how Autoencoder64 extends the 32x32
`Autoencoder`. The script first checks, when ../shared/bench/torch_reference.py is there, that
ScaledAutoencoder(size=32, width=32, z=64) and (size=64, width=32, z=128) have exactly the state
dict keys and shapes of `Autoencoder` and `Autoencoder64`, and that with the same weights they
compute the same outputs.

Each fixture case NAME writes Tests/ExpertsTests/Fixtures/NAME.safetensors: the state dict under
PyTorch's keys with the metadata `size`, `latent_dim`, `width` that ExpertCatalog.loadAutoencoder
reads; and NAME.io.safetensors: `input` [N,3,S,S] (uniform in 0..1), `mean` and `log_variance`
[N,z] of the encoder, `reconstruction` = decoder(fc(mean)) [N,3,S,S], all in eval mode. Weights
are seeded; the BatchNorm running statistics and affine parameters are drawn away from their
initial 0/1 so that eval-mode normalisation is exercised, and the last conv's weights are scaled
by 8 so the reconstructions spread over the sigmoid's range.
"""
import importlib.util
import os
import sys

import numpy as np
import torch
import torch.nn as nn

from safetensors_io import write_safetensors

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "ExpertsTests", "Fixtures")
TORCH_REFERENCE = os.path.join(ROOT, "..", "shared", "bench", "torch_reference.py")

# (name, image size, width, latent size, batch)
CASES = [("autoencoder64-w4", 64, 4, 16, 2), ("autoencoder128-w2", 128, 2, 8, 1)]


class ScaledAutoencoder(nn.Module):
    """torch_reference's Autoencoder (size 32) / Autoencoder64 (size 64) with widths scaled."""

    def __init__(self, size=64, width=32, z=128):
        super().__init__()
        extra = {32: 0, 64: 1, 128: 2}[size]
        w1, w2, w4 = width, 2 * width, 4 * width
        top = w4 << extra
        act = lambda c: nn.Sequential(nn.BatchNorm2d(c), nn.LeakyReLU(0.2, True))
        down = [nn.Conv2d(3, w1, 3, 1, 1), act(w1), nn.Conv2d(w1, w2, 4, 2, 1), act(w2),
                nn.Conv2d(w2, w2, 3, 1, 1), act(w2), nn.Conv2d(w2, w4, 4, 2, 1), act(w4),
                nn.Conv2d(w4, w4, 4, 2, 1), act(w4)]
        for stage in range(extra):
            c = w4 << stage
            down += [nn.Conv2d(c, 2 * c, 4, 2, 1), act(2 * c)]
        self.encoder = nn.Sequential(*down, nn.Flatten(), nn.Linear(top * 16, 2 * z))
        self.fc = nn.Linear(z, top * 16)
        up = lambda: nn.Upsample(scale_factor=2)
        dec = [act(top)]
        for stage in reversed(range(extra)):
            c = w4 << (stage + 1)
            dec += [up(), nn.Conv2d(c, c // 2, 3, 1, 1), act(c // 2)]
        dec += [up(), nn.Conv2d(w4, w2, 3, 1, 1), act(w2), up(), nn.Conv2d(w2, w2, 3, 1, 1), act(w2),
                up(), nn.Conv2d(w2, w1, 3, 1, 1), act(w1), nn.Conv2d(w1, w1, 3, 1, 1), act(w1),
                nn.Conv2d(w1, 3, 3, 1, 1), nn.Sigmoid()]
        self.decoder = nn.Sequential(*dec)
        self.top = top

    def encode(self, x):
        return self.encoder(x).chunk(2, 1)

    def decode(self, z):
        return self.decoder(self.fc(z).view(-1, self.top, 4, 4))


def check_against_torch_reference():
    if not os.path.exists(TORCH_REFERENCE):
        print(f"note: {TORCH_REFERENCE} not found; skipped the check against Autoencoder/Autoencoder64")
        return
    spec = importlib.util.spec_from_file_location("torch_reference", TORCH_REFERENCE)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    for size, z, reference in [(32, 64, ref.Autoencoder(z=64)), (64, 128, ref.Autoencoder64(z=128))]:
        ours = ScaledAutoencoder(size=size, width=32, z=z)
        a, b = ours.state_dict(), reference.state_dict()
        assert list(a) == list(b), f"size {size}: keys differ"
        assert all(a[k].shape == b[k].shape for k in a), f"size {size}: shapes differ"
        ours.load_state_dict(b)
        ours.eval(), reference.eval()
        x = torch.rand(2, 3, size, size, generator=torch.Generator().manual_seed(size))
        with torch.no_grad():
            mu, logvar = ours.encode(x)
            rmu, rlogvar = reference.encoder(x).chunk(2, 1)
            assert torch.equal(mu, rmu) and torch.equal(logvar, rlogvar), f"size {size}: encoders differ"
            assert torch.equal(ours.decode(mu), reference.decoder(reference.fc(mu).view(-1, ours.top, 4, 4))), \
                f"size {size}: decoders differ"
        print(f"size {size}: same keys, shapes and outputs as torch_reference.{type(reference).__name__} "
              f"({sum(p.numel() for p in reference.parameters())} parameters)")


def write_case(name, size, width, z, batch):
    torch.manual_seed(size * 1000 + width)
    model = ScaledAutoencoder(size=size, width=width, z=z)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_(0, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.7, 1.3)
                m.bias.normal_(0, 0.2)
                m.num_batches_tracked.fill_(7)
        # Default initialisation leaves the images within 0.45...0.57; a larger last layer spreads
        # them over the sigmoid so the comparison sees real differences.
        model.decoder[-2].weight.mul_(8)
    model.eval()
    x = torch.rand(batch, 3, size, size)
    with torch.no_grad():
        mu, logvar = model.encode(x)
        y = model.decode(mu)
    weights = {k: v.numpy() for k, v in model.state_dict().items()}
    meta = {"size": str(size), "latent_dim": str(z), "width": str(width),
            "architecture": "ConvAutoencoder", "written_by": "Tests/Reference/autoencoder_reference.py"}
    write_safetensors(os.path.join(OUT, name + ".safetensors"), weights, meta)
    io = {"input": x.numpy(), "mean": mu.numpy(), "log_variance": logvar.numpy(), "reconstruction": y.numpy()}
    write_safetensors(os.path.join(OUT, name + ".io.safetensors"), io, {"written_by": "Tests/Reference/autoencoder_reference.py"})
    print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters; mean std {mu.std():.4f}, "
          f"log-variance std {logvar.std():.4f}, reconstruction min {y.min():.4f} max {y.max():.4f} std {y.std():.4f}")


def main():
    torch.set_num_threads(1)
    check_against_torch_reference()
    os.makedirs(OUT, exist_ok=True)
    for case in CASES:
        write_case(*case)


if __name__ == "__main__":
    sys.exit(main())
