#!/usr/bin/python3
"""Small random Hugging Face BERT and RoBERTa folders with reference hidden states.

An implementation independent of the workbench's C# code: the published BERT and RoBERTa
architectures written out in PyTorch (no `transformers` here), a safetensors writer following the
format (8-byte little-endian header length, JSON header, raw little-endian data), Hugging Face's
BertTokenizer rules and GPT-2's byte-level BPE written out in Python.

    /usr/bin/python3 Tests/Checkpoints/Fixtures/make_hf_fixtures.py            # the committed fixtures
    /usr/bin/python3 Tests/Checkpoints/Fixtures/make_hf_fixtures.py --bert-base DIR --vocab data/vocab/bert-base-uncased-vocab.txt.gz
                                                                               # a random BERT-base-size folder for `bench hf`
"""
import argparse, collections, gzip, json, math, os, struct, unicodedata
import regex
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- safetensors
DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)   # the format pads the header to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# ---------------------------------------------------------------- BERT WordPiece (Hugging Face BertTokenizer rules)
def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_tokenize(text):
    text = "".join(" " if c.isspace() else c for c in text if not (ord(c) == 0 or ord(c) == 0xFFFD or unicodedata.category(c) in ("Cc", "Cf") and not c.isspace()))
    words = []
    for word in text.lower().split():
        word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        current = ""
        for c in word:
            if is_punctuation(c):
                if current:
                    words.append(current)
                words.append(c)
                current = ""
            else:
                current += c
        if current:
            words.append(current)
    return words


def wordpiece(word, vocab):
    pieces, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            piece = ("##" if start > 0 else "") + word[start:end]
            if piece in vocab:
                found = piece
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def bert_encode(text, pair, vocab):
    ids = lambda t: [vocab[p] for w in basic_tokenize(t) for p in wordpiece(w, vocab)]
    a = [vocab["[CLS]"]] + ids(text) + [vocab["[SEP]"]]
    if pair is None:
        return a, [0] * len(a)
    b = ids(pair) + [vocab["[SEP]"]]
    return a + b, [0] * len(a) + [1] * len(b)


# ---------------------------------------------------------------- GPT-2 / RoBERTa byte-level BPE
GPT2_PATTERN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_ENCODER = bytes_to_unicode()


def byte_words(text):
    return ["".join(BYTE_ENCODER[b] for b in w.encode("utf-8")) for w in GPT2_PATTERN.findall(text)]


def train_merges(corpus, count):
    words = collections.Counter(w for line in corpus for w in byte_words(line))
    splits = {w: list(w) for w in words}
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for w, n in words.items():
            s = splits[w]
            for i in range(len(s) - 1):
                pairs[(s[i], s[i + 1])] += n
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        for w in words:
            s, out, i = splits[w], [], 0
            while i < len(s):
                if i < len(s) - 1 and (s[i], s[i + 1]) == best:
                    out.append(s[i] + s[i + 1])
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            splits[w] = out
    return merges


def bpe(word, ranks):
    parts = list(word)
    while len(parts) > 1:
        pairs = [(ranks.get((parts[i], parts[i + 1]), math.inf), i) for i in range(len(parts) - 1)]
        rank, _ = min(pairs)
        if rank == math.inf:
            break
        first, second = min(p for p in ranks if ranks[p] == rank)
        out, i = [], 0
        while i < len(parts):
            if i < len(parts) - 1 and parts[i] == first and parts[i + 1] == second:
                out.append(first + second)
                i += 2
            else:
                out.append(parts[i])
                i += 1
        parts = out
    return parts


def roberta_encode(text, pair, vocab, ranks):
    ids = lambda t: [vocab[p] for w in byte_words(t) for p in bpe(w, ranks)]
    a = [vocab["<s>"]] + ids(text) + [vocab["</s>"]]
    if pair is not None:
        a += [vocab["</s>"]] + ids(pair) + [vocab["</s>"]]
    return a, [0] * len(a)


# ---------------------------------------------------------------- the architectures (float64 reference)
def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * w + b


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def encoder_states(w, cfg, prefix, ids, types, mask, positions):
    """Every layer's output of BERT's encoder (RoBERTa's is the same; only its position ids differ)."""
    g = lambda name: w[prefix + name].double()
    eps = cfg["layer_norm_eps"]
    x = g("embeddings.word_embeddings.weight")[ids] + g("embeddings.position_embeddings.weight")[positions] + g("embeddings.token_type_embeddings.weight")[types]
    x = layer_norm(x, g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"), eps)
    states = [x]
    heads = cfg["num_attention_heads"]
    size = cfg["hidden_size"] // heads
    B, T, _ = x.shape
    bias = (1.0 - mask.double())[:, None, None, :] * torch.finfo(torch.float64).min
    for l in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{l}."
        lin = lambda t, n: t @ g(p + n + ".weight").T + g(p + n + ".bias")
        split = lambda t: t.view(B, T, heads, size).transpose(1, 2)
        q, k, v = (split(lin(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(size) + bias, dim=-1)
        context = (probs @ v).transpose(1, 2).reshape(B, T, heads * size)
        attended = layer_norm(lin(context, "attention.output.dense") + x, g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias"), eps)
        x = layer_norm(lin(gelu(lin(attended, "intermediate.dense")), "output.dense") + attended, g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias"), eps)
        states.append(x)
    return states


def random_encoder(cfg, generator, scale=0.1):
    H, I, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    r = lambda *shape: torch.randn(*shape, generator=generator) * scale
    w = {
        "embeddings.word_embeddings.weight": r(V, H) * 5,
        "embeddings.position_embeddings.weight": r(cfg["max_position_embeddings"], H) * 5,
        "embeddings.token_type_embeddings.weight": r(cfg["type_vocab_size"], H) * 5,
        "embeddings.LayerNorm.weight": 1 + r(H), "embeddings.LayerNorm.bias": r(H),
    }
    for l in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{l}."
        for n in ("query", "key", "value"):
            w[p + f"attention.self.{n}.weight"], w[p + f"attention.self.{n}.bias"] = r(H, H), r(H)
        w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"] = r(H, H), r(H)
        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"] = 1 + r(H), r(H)
        w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"] = r(I, H), r(I)
        w[p + "output.dense.weight"], w[p + "output.dense.bias"] = r(H, I), r(H)
        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"] = 1 + r(H), r(H)
    return w


def pad_batch(items, pad_id):
    T = max(len(ids) for ids, _ in items)
    ids = torch.full((len(items), T), pad_id, dtype=torch.long)
    types = torch.zeros((len(items), T), dtype=torch.long)
    mask = torch.zeros((len(items), T), dtype=torch.long)
    for i, (a, t) in enumerate(items):
        ids[i, :len(a)], types[i, :len(a)], mask[i, :len(a)] = torch.tensor(a), torch.tensor(t), 1
    return ids, types, mask


def write_reference(path, texts, batch, states):
    ids, types, mask = batch
    reference = {
        "texts": texts,
        "input_ids": ids.tolist(), "token_type_ids": types.tolist(), "attention_mask": mask.tolist(),
        "hidden_states": [[[[float(f"{v:.9g}") for v in row] for row in seq] for seq in layer.float()] for layer in states],
    }
    with open(path, "w") as f:
        json.dump(reference, f, separators=(",", ":"))


CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello, world! It's a sunny day and the cat sat on the mat.",
    "Is it raining? No, it isn't; the weather's fine, 42 degrees.",
    "Representational collapse happens when fine-tuning forgets what pretraining learned.",
    "She said: \"we'll probe every layer\" and they did.",
]
TEXTS = [
    {"text": "Hello, world! The cat sat.", "pair": None},
    {"text": "Is it raining?", "pair": "No, it's sunny: 42 degrees."},
    {"text": "Café  naïve\tfox   jumps\nover Zebras!", "pair": None},
]


def make_bert(directory, reference_path, generator):
    words = sorted({p for line in CORPUS for w in basic_tokenize(line) for p in wordpiece_seed(w)})
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)] \
        + [str(d) for d in range(10)] + list(".,!?;:'\"-") + words
    pieces = list(dict.fromkeys(pieces))
    vocab = {p: i for i, p in enumerate(pieces)}
    cfg = {"architectures": ["BertForMaskedLM"], "model_type": "bert", "vocab_size": len(pieces), "hidden_size": 32, "num_hidden_layers": 2,
           "num_attention_heads": 4, "intermediate_size": 64, "max_position_embeddings": 48, "type_vocab_size": 2, "hidden_act": "gelu",
           "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "layer_norm_eps": 1e-12, "pad_token_id": 0, "initializer_range": 0.02,
           "position_embedding_type": "absolute", "transformers_version": "4.40.0", "torch_dtype": "float32", "use_cache": True}
    w = random_encoder(cfg, generator)
    H = cfg["hidden_size"]
    # BertForMaskedLM layout with the pooler of BertForPreTraining and old-style gamma/beta LayerNorm names.
    stored = {"bert." + k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"): v for k, v in w.items()}
    stored["bert.pooler.dense.weight"], stored["bert.pooler.dense.bias"] = torch.randn(H, H, generator=generator), torch.zeros(H)
    stored["cls.predictions.transform.dense.weight"], stored["cls.predictions.transform.dense.bias"] = torch.randn(H, H, generator=generator), torch.zeros(H)
    stored["cls.predictions.transform.LayerNorm.gamma"], stored["cls.predictions.transform.LayerNorm.beta"] = torch.ones(H), torch.zeros(H)
    stored["cls.predictions.bias"] = torch.zeros(cfg["vocab_size"])
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "model.safetensors"), stored)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(directory, "vocab.txt"), "w") as f:
        f.write("\n".join(pieces) + "\n")

    items = [bert_encode(t["text"], t["pair"], vocab) for t in TEXTS]
    texts = [dict(t, input_ids=ids, token_type_ids=types) for t, (ids, types) in zip(TEXTS, items)]
    items.append(([2, 40, 41, 42, 3, 43, 44, 3], [0, 0, 0, 0, 0, 1, 1, 1]))    # ids given directly, two segments
    batch = pad_batch(items, cfg["pad_token_id"])
    positions = torch.arange(batch[0].shape[1]).expand_as(batch[0])
    write_reference(reference_path, texts, batch, encoder_states(w, cfg, "", *batch, positions))


def wordpiece_seed(word):
    """Vocabulary entries for the corpus: whole words up to 5 letters, else a prefix and ## pieces."""
    if len(word) <= 5:
        return [word]
    return [word[:4]] + ["##" + word[i:i + 3] for i in range(4, len(word), 3)]


def make_roberta(directory, reference_path, generator):
    merges = train_merges(CORPUS, 120)
    pieces = ["<s>", "<pad>", "</s>", "<unk>"] + [BYTE_ENCODER[b] for b in range(256)] + [a + b for a, b in merges]
    pieces = list(dict.fromkeys(pieces)) + ["<mask>"]
    vocab = {p: i for i, p in enumerate(pieces)}
    ranks = {m: i for i, m in enumerate(merges)}
    pad = vocab["<pad>"]
    cfg = {"architectures": ["RobertaForMaskedLM"], "model_type": "roberta", "vocab_size": len(pieces), "hidden_size": 32, "num_hidden_layers": 2,
           "num_attention_heads": 4, "intermediate_size": 64, "max_position_embeddings": 50, "type_vocab_size": 1, "hidden_act": "gelu",
           "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "layer_norm_eps": 1e-5, "pad_token_id": pad, "bos_token_id": 0,
           "eos_token_id": 2, "initializer_range": 0.02, "position_embedding_type": "absolute", "transformers_version": "4.40.0", "torch_dtype": "float16"}
    # Stored as float16: the reference runs on the rounded weights, so the test also checks the F16 → float32 conversion.
    w = {k: v.half().float() for k, v in random_encoder(cfg, generator).items()}
    H, V = cfg["hidden_size"], cfg["vocab_size"]
    stored = {"roberta." + k: v.half() for k, v in w.items()}
    stored["lm_head.dense.weight"], stored["lm_head.dense.bias"] = torch.randn(H, H, generator=generator).half(), torch.zeros(H).half()
    stored["lm_head.layer_norm.weight"], stored["lm_head.layer_norm.bias"] = torch.ones(H).half(), torch.zeros(H).half()
    stored["lm_head.bias"] = torch.zeros(V).half()
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "model.safetensors"), stored)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(directory, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))

    items = [roberta_encode(t["text"], t["pair"], vocab, ranks) for t in TEXTS]
    texts = [dict(t, input_ids=ids, token_type_ids=types) for t, (ids, types) in zip(TEXTS, items)]
    items.append(([0, 300, 301, 302, 2, 2, 303, 2], [0] * 8))
    batch = pad_batch(items, pad)
    # RoBERTa: positions count real tokens from padding_idx + 1; padding keeps position padding_idx.
    real = batch[0].ne(pad).long()
    positions = torch.cumsum(real, dim=1) * real + pad
    write_reference(reference_path, texts, batch, encoder_states(w, cfg, "", *batch, positions))


def make_bert_base(directory, vocab_path, generator):
    opener = gzip.open if vocab_path.endswith(".gz") else open
    with opener(vocab_path, "rt", encoding="utf-8") as f:
        pieces = f.read().rstrip("\n").split("\n")
    cfg = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": len(pieces), "hidden_size": 768, "num_hidden_layers": 12,
           "num_attention_heads": 12, "intermediate_size": 3072, "max_position_embeddings": 512, "type_vocab_size": 2, "hidden_act": "gelu",
           "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "layer_norm_eps": 1e-12, "pad_token_id": 0}
    w = random_encoder(cfg, generator, scale=0.02)
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "model.safetensors"), w)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(directory, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(pieces) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--bert-base", help="write only a random BERT-base-size folder here (for `workbench bench hf`)")
    parser.add_argument("--vocab", help="vocab.txt(.gz) for --bert-base")
    args = parser.parse_args()
    generator = torch.Generator().manual_seed(20240611)
    if args.bert_base:
        make_bert_base(args.bert_base, args.vocab, generator)
        return
    make_bert(os.path.join(args.out, "hf-bert"), os.path.join(args.out, "hf-bert.reference.json"), generator)
    make_roberta(os.path.join(args.out, "hf-roberta"), os.path.join(args.out, "hf-roberta.reference.json"), generator)


if __name__ == "__main__":
    main()
