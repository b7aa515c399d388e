#!/usr/bin/python3
"""A small random Hugging Face BART folder with reference encoder and decoder states and logits.

An implementation independent of the workbench's C# code: the published BART architecture
(`BartForConditionalGeneration` as transformers computes it) written out in PyTorch, float64, with
no `transformers` here. It reuses `make_hf_fixtures.py`'s safetensors writer and GPT-2 byte-level BPE.

BART as computed here: post-LayerNorm layers; word embeddings (times sqrt(d_model) if
scale_embedding) plus learned positions looked up at p + 2, then `layernorm_embedding`; attention
scales the query by head_size**-0.5 before the product; the decoder's self-attention is causal;
LayerNorm eps 1e-5; logits = h @ shared.T + final_logits_bias.

    /usr/bin/python3 Tests/Checkpoints/Fixtures/make_bart_fixture.py
"""
import argparse, json, math, os
import torch

from make_hf_fixtures import BYTE_ENCODER, CORPUS, bpe, byte_words, gelu, layer_norm, train_merges, write_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))
EPS = 1e-5

PAIRS = [
    {"source": "The quick brown fox jumps over the lazy dog. It's a sunny day.", "target": "Fox jumps over dog."},
    {"source": "Is it raining? No, it isn't; the weather's fine, 42 degrees.", "target": "Fine weather, 42 degrees"},
    {"source": "Café  naïve\tfox   jumps\nover Zebras! 😀", "target": "Zebras 😀"},
]


def attention(w, prefix, x, source, bias, heads):
    B, T, D = x.shape
    S = source.shape[1]
    size = D // heads
    lin = lambda t, n: t @ w[prefix + n + ".weight"].T + w[prefix + n + ".bias"]
    q = lin(x, "q_proj") * size ** -0.5
    k, v = lin(source, "k_proj"), lin(source, "v_proj")
    split = lambda t, n: t.view(B, n, heads, size).transpose(1, 2)
    probs = torch.softmax(split(q, T) @ split(k, S).transpose(-1, -2) + bias, dim=-1)
    context = (probs @ split(v, S)).transpose(1, 2).reshape(B, T, D)
    return lin(context, "out_proj")


def norm(w, name, x):
    return layer_norm(x, w[name + ".weight"], w[name + ".bias"], EPS)


def feed_forward(w, p, x):
    hidden = gelu(x @ w[p + "fc1.weight"].T + w[p + "fc1.bias"])
    return norm(w, p + "final_layer_norm", x + hidden @ w[p + "fc2.weight"].T + w[p + "fc2.bias"])


def bart(w, cfg, src, src_mask, dec, scale_embedding):
    """Every encoder and decoder layer's output, and the logits."""
    w = {k: v.double() for k, v in w.items()}
    scale = math.sqrt(cfg["d_model"]) if scale_embedding else 1.0
    shared = w["model.shared.weight"]
    neg = torch.finfo(torch.float64).min
    src_bias = (1.0 - src_mask.double())[:, None, None, :] * neg

    S = src.shape[1]
    x = shared[src] * scale + w["model.encoder.embed_positions.weight"][torch.arange(S) + 2]
    x = norm(w, "model.encoder.layernorm_embedding", x)
    encoder_states = [x]
    for l in range(cfg["encoder_layers"]):
        p = f"model.encoder.layers.{l}."
        x = norm(w, p + "self_attn_layer_norm", x + attention(w, p + "self_attn.", x, x, src_bias, cfg["encoder_attention_heads"]))
        x = feed_forward(w, p, x)
        encoder_states.append(x)

    T = dec.shape[1]
    causal = torch.triu(torch.full((T, T), neg, dtype=torch.float64), diagonal=1)[None, None]
    y = shared[dec] * scale + w["model.decoder.embed_positions.weight"][torch.arange(T) + 2]
    y = norm(w, "model.decoder.layernorm_embedding", y)
    decoder_states = [y]
    for l in range(cfg["decoder_layers"]):
        p = f"model.decoder.layers.{l}."
        y = norm(w, p + "self_attn_layer_norm", y + attention(w, p + "self_attn.", y, y, causal, cfg["decoder_attention_heads"]))
        y = norm(w, p + "encoder_attn_layer_norm", y + attention(w, p + "encoder_attn.", y, x, src_bias, cfg["decoder_attention_heads"]))
        y = feed_forward(w, p, y)
        decoder_states.append(y)
    logits = y @ shared.T + w["final_logits_bias"]
    return encoder_states, decoder_states, logits


def random_bart(cfg, generator, scale=0.1):
    D, V, P = cfg["d_model"], cfg["vocab_size"], cfg["max_position_embeddings"] + 2
    r = lambda *shape: torch.randn(*shape, generator=generator) * scale
    w = {"model.shared.weight": r(V, D) * 5, "final_logits_bias": r(1, V)}
    w["model.shared.weight"][cfg["pad_token_id"]] = 0
    for stack, layers, ffn in (("encoder", cfg["encoder_layers"], cfg["encoder_ffn_dim"]), ("decoder", cfg["decoder_layers"], cfg["decoder_ffn_dim"])):
        s = f"model.{stack}."
        w[s + "embed_positions.weight"] = r(P, D) * 5
        w[s + "layernorm_embedding.weight"], w[s + "layernorm_embedding.bias"] = 1 + r(D), r(D)
        for l in range(layers):
            p = f"{s}layers.{l}."
            blocks = ["self_attn"] + (["encoder_attn"] if stack == "decoder" else [])
            for block in blocks:
                for n in ("k_proj", "v_proj", "q_proj", "out_proj"):
                    w[f"{p}{block}.{n}.weight"], w[f"{p}{block}.{n}.bias"] = r(D, D), r(D)
                w[f"{p}{block}_layer_norm.weight"], w[f"{p}{block}_layer_norm.bias"] = 1 + r(D), r(D)
            w[p + "fc1.weight"], w[p + "fc1.bias"] = r(ffn, D), r(ffn)
            w[p + "fc2.weight"], w[p + "fc2.bias"] = r(D, ffn), r(D)
            w[p + "final_layer_norm.weight"], w[p + "final_layer_norm.bias"] = 1 + r(D), r(D)
    return w


def pad(rows, pad_id):
    T = max(len(r) for r in rows)
    ids = torch.full((len(rows), T), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), T), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)], mask[i, :len(r)] = torch.tensor(r), 1
    return ids, mask


def floats(t):
    return [[[float(f"{v:.9g}") for v in row] for row in seq] for seq in t.float()]


def make_bart(directory, reference_path, generator):
    merges = train_merges(CORPUS + [p["source"] + " " + p["target"] for p in PAIRS], 120)
    pieces = ["<s>", "<pad>", "</s>", "<unk>"] + [BYTE_ENCODER[b] for b in range(256)] + [a + b for a, b in merges]
    pieces = list(dict.fromkeys(pieces)) + ["<mask>"]
    vocab = {p: i for i, p in enumerate(pieces)}
    ranks = {m: i for i, m in enumerate(merges)}
    bos, pad_id, eos = vocab["<s>"], vocab["<pad>"], vocab["</s>"]
    # bart-base's config.json keys (legacy ones included), at a tiny size.
    cfg = {"_name_or_path": "bart-tiny-random", "activation_dropout": 0.1, "activation_function": "gelu", "add_bias_logits": False,
           "add_final_layer_norm": False, "architectures": ["BartForConditionalGeneration"], "attention_dropout": 0.1, "bos_token_id": bos,
           "classif_dropout": 0.1, "classifier_dropout": 0.0, "d_model": 32, "decoder_attention_heads": 4, "decoder_ffn_dim": 48,
           "decoder_layerdrop": 0.0, "decoder_layers": 2, "decoder_start_token_id": eos, "dropout": 0.1, "early_stopping": True,
           "encoder_attention_heads": 2, "encoder_ffn_dim": 64, "encoder_layerdrop": 0.0, "encoder_layers": 3, "eos_token_id": eos,
           "forced_eos_token_id": eos, "gradient_checkpointing": False, "id2label": {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"},
           "init_std": 0.02, "is_encoder_decoder": True, "label2id": {"LABEL_0": 0, "LABEL_1": 1, "LABEL_2": 2},
           "max_position_embeddings": 40, "model_type": "bart", "no_repeat_ngram_size": 3, "normalize_before": False,
           "normalize_embedding": True, "num_beams": 4, "num_hidden_layers": 3, "pad_token_id": pad_id, "scale_embedding": False,
           "task_specific_params": {"summarization": {"length_penalty": 1.0, "max_length": 128, "min_length": 12, "num_beams": 4}},
           "torch_dtype": "float32", "transformers_version": "4.40.0", "use_cache": True, "vocab_size": len(pieces)}
    w = random_bart(cfg, generator)
    stored = dict(w)
    # Older transformers saved the tied copies of the shared embedding too; loaders must accept them.
    stored["model.encoder.embed_tokens.weight"] = w["model.shared.weight"].clone()
    stored["model.decoder.embed_tokens.weight"] = w["model.shared.weight"].clone()
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "model.safetensors"), stored)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(directory, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))

    encode = lambda t: [bos] + [vocab[p] for word in byte_words(t) for p in bpe(word, ranks)] + [eos]
    texts = [dict(p, source_ids=encode(p["source"]), target_ids=encode(p["target"])) for p in PAIRS]
    sources = [t["source_ids"] for t in texts] + [[bos, 300, 301, 302, eos]]
    labels = [t["target_ids"] for t in texts] + [[bos, 303, 304, 305, 306, 307, eos]]
    src, src_mask = pad(sources, pad_id)
    # Hugging Face's shift_tokens_right: the decoder start token, then the labels without their last token.
    dec, _ = pad([[eos] + l[:-1] for l in labels], pad_id)
    encoder_states, decoder_states, logits = bart(w, cfg, src, src_mask, dec, scale_embedding=False)
    _, _, scaled_logits = bart(w, cfg, src, src_mask, dec, scale_embedding=True)
    reference = {
        "pairs": texts,
        "input_ids": src.tolist(), "attention_mask": src_mask.tolist(), "decoder_input_ids": dec.tolist(),
        "encoder_hidden_states": [floats(s) for s in encoder_states],
        "decoder_hidden_states": [floats(s) for s in decoder_states],
        "logits": floats(logits),
        "logits_with_scale_embedding": floats(scaled_logits),
    }
    with open(reference_path, "w") as f:
        json.dump(reference, f, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    generator = torch.Generator().manual_seed(20240612)
    make_bart(os.path.join(args.out, "hf-bart"), os.path.join(args.out, "hf-bart.reference.json"), generator)


if __name__ == "__main__":
    main()
