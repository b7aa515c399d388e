"""PyTorch reference for `workbench bench encoder --pytorch`.

The same post-LayerNorm BERT encoder and masked-LM training step as the workbench's, written
independently in PyTorch: forward time and training-step time (masked-LM head on the masked
positions only, AdamW) at a given thread count. Prints one JSON line.

Run with Debian's python3-torch and OpenBLAS (python3-torch libopenblas0-pthread; without OpenBLAS,
Debian's torch falls back to the reference BLAS, ~30x slower), BLAS threads = torch threads:
  OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/encoder_step.py --threads 2
"""
import argparse
import json
import math
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, h, heads, ffn):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.up, self.down = nn.Linear(h, ffn), nn.Linear(ffn, h)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, bias):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, h // self.heads).transpose(1, 2)
        scores = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(h // self.heads) + bias
        context = (self.drop(scores.softmax(-1)) @ split(self.v(x))).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(x + self.drop(self.o(context)))
        return self.ln2(x + self.drop(self.down(F.gelu(self.up(x)))))


class MaskedLM(nn.Module):
    def __init__(self, vocab, h, layers, heads, ffn, positions=512):
        super().__init__()
        self.words, self.positions, self.types = nn.Embedding(vocab, h), nn.Embedding(positions, h), nn.Embedding(2, h)
        self.ln, self.drop = nn.LayerNorm(h, eps=1e-12), nn.Dropout(0.1)
        self.layers = nn.ModuleList(Layer(h, heads, ffn) for _ in range(layers))
        self.transform, self.head_ln = nn.Linear(h, h), nn.LayerNorm(h, eps=1e-12)
        self.bias = nn.Parameter(torch.zeros(vocab))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0, 0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def encode(self, ids, mask):
        t = ids.shape[1]
        x = self.drop(self.ln(self.words(ids) + self.positions(torch.arange(t)) + self.types(torch.zeros_like(ids))))
        bias = ((1 - mask.float()) * -1e9)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def masked_logits(self, ids, mask, selected):
        hidden = self.encode(ids, mask)[selected]
        return F.linear(self.head_ln(F.gelu(self.transform(hidden))), self.words.weight, self.bias)


def median_ms(action, warmup, iterations):
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    p = argparse.ArgumentParser()
    for name, default in [("vocab", 30522), ("hidden", 128), ("layers", 2), ("heads", 2), ("ffn", 512),
                          ("batch", 32), ("length", 128), ("iterations", 5), ("threads", 1)]:
        p.add_argument("--" + name, type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = MaskedLM(a.vocab, a.hidden, a.layers, a.heads, a.ffn)
    ids = torch.randint(1000, a.vocab, (a.batch, a.length))
    mask = torch.ones_like(ids)
    selected = torch.rand(a.batch, a.length) < 0.15
    labels = ids[selected]
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def forward():
        with torch.no_grad():
            model.encode(ids, mask)

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model.masked_logits(ids, mask, selected), labels).backward()
        optimizer.step()

    x, y = torch.randn(1024, 1024), torch.randn(1024, 1024)
    gemm_ms = median_ms(lambda: x @ y, 3, 20)

    model.eval()
    forward_ms = median_ms(forward, 1, a.iterations)
    model.train()
    step_ms = median_ms(step, 1, a.iterations)
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "forward_ms": forward_ms,
                      "gemm_gflops": 2 * 1024 ** 3 / (gemm_ms * 1e6),
                      "train_step_ms": step_ms, "masked_positions": int(selected.sum())}))


if __name__ == "__main__":
    main()
