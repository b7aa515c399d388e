"""PyTorch reference for `workbench bench hf`.

Loads a Hugging Face BERT or RoBERTa folder (config.json + model.safetensors, read here with a
plain safetensors reader; `transformers` is not installed) and times the encoder forward pass at
a given batch, length and thread count, written independently of the workbench. Prints one JSON line.

  OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/hf_forward.py --model DIR --threads 2   (python3-torch libopenblas0-pthread)
"""
import argparse, json, math, statistics, struct, time

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = memoryview(data)[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] not in DTYPES:
            continue
        begin, end = entry["data_offsets"]
        raw = torch.frombuffer(bytearray(body[begin:end]), dtype=DTYPES[entry["dtype"]]) if end > begin else torch.empty(0, dtype=DTYPES[entry["dtype"]])
        tensors[name] = raw.reshape(entry["shape"]).float()
    return tensors


def load(directory):
    with open(f"{directory}/config.json") as f:
        cfg = json.load(f)
    raw = read_safetensors(f"{directory}/model.safetensors")
    prefix = cfg["model_type"] + "."
    if not any(k.startswith(prefix) for k in raw):
        prefix = ""
    w = {}
    for k, v in raw.items():
        if k.startswith(prefix):
            w[k[len(prefix):].replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")] = v
    return cfg, w


def encode(cfg, w, ids, mask):
    eps, heads = cfg["layer_norm_eps"], cfg["num_attention_heads"]
    b, t = ids.shape
    if cfg["model_type"] == "roberta":
        positions = torch.cumsum(mask, 1) * mask + cfg["pad_token_id"]
    else:
        positions = torch.arange(t).expand(b, t)
    x = F.embedding(ids, w["embeddings.word_embeddings.weight"]) + F.embedding(positions, w["embeddings.position_embeddings.weight"]) \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = F.layer_norm(x, x.shape[-1:], w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    h = x.shape[-1]
    bias = ((1 - mask.float()) * -1e9)[:, None, None, :]
    split = lambda y: y.view(b, t, heads, h // heads).transpose(1, 2)
    for l in range(cfg["num_hidden_layers"]):
        p = lambda n: w[f"encoder.layer.{l}.{n}"]
        lin = lambda y, n: F.linear(y, p(n + ".weight"), p(n + ".bias"))
        scores = split(lin(x, "attention.self.query")) @ split(lin(x, "attention.self.key")).transpose(-1, -2) / math.sqrt(h // heads) + bias
        context = (scores.softmax(-1) @ split(lin(x, "attention.self.value"))).transpose(1, 2).reshape(b, t, h)
        x = F.layer_norm(x + lin(context, "attention.output.dense"), (h,), p("attention.output.LayerNorm.weight"), p("attention.output.LayerNorm.bias"), eps)
        x = F.layer_norm(x + lin(F.gelu(lin(x, "intermediate.dense")), "output.dense"), (h,), p("output.LayerNorm.weight"), p("output.LayerNorm.bias"), eps)
    return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    for name, default in [("batch", 32), ("length", 128), ("iterations", 5), ("threads", 1)]:
        p.add_argument("--" + name, type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    start = time.perf_counter()
    cfg, w = load(a.model)
    load_seconds = time.perf_counter() - start
    torch.manual_seed(1)
    ids = torch.randint(5, cfg["vocab_size"], (a.batch, a.length))
    mask = torch.ones_like(ids)

    def forward():
        with torch.no_grad():
            encode(cfg, w, ids, mask)

    forward()
    samples = []
    for _ in range(a.iterations):
        t0 = time.perf_counter()
        forward()
        samples.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "load_seconds": load_seconds, "forward_ms": statistics.median(samples)}))


if __name__ == "__main__":
    main()
