#!/usr/bin/env python3
"""Checks the checkpoint fixtures and the shipped base against Hugging Face `transformers` itself.

`make_hf_fixtures.py` is an independent re-implementation of BERT and RoBERTa; this script closes the
loop with the real library (it needs `transformers`, which this project's machines do not have;
it was run where it is installed):

  1. loads `hf-bert` and `hf-roberta` with `AutoModel` / `AutoTokenizer`, and compares their ids and
     every layer's hidden states with the recorded `*.reference.json`;
  2. loads `hf-bart` with `BartForConditionalGeneration` / `AutoTokenizer` and compares its ids, every
     encoder and decoder layer and the logits with `hf-bart.reference.json` (written by
     `make_bart_fixture.py`);
  3. runs the shipped base (`data/base`) as `BertForMaskedLM` on a few texts (symbols, emoji, tabs,
     a pair, [MASK]) and writes `shipped-base.transformers.json`: the tokenizer's ids, every layer's
     hidden states and the MLM head's top logits at the masked positions, which
     `ShippedBaseMatchesTransformersTests` compares with the workbench's own encoder.

    python3 Tests/Checkpoints/Fixtures/check_with_transformers.py [--out DIR]
"""
import argparse, json, os, sys, traceback
import torch
import transformers
from transformers import AutoModel, AutoTokenizer, BartForConditionalGeneration, BertForMaskedLM, BertTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SHIPPED_TEXTS = [
    {"text": "The film was a quiet triumph.", "pair": None},
    {"text": "Is the museum open on Sundays?", "pair": "Yes, from noon."},
    {"text": "Prices rose 5% to $12 + tax = €13 😀\tin the\nspring", "pair": None},
    {"text": "The [MASK] sat on the mat and the [MASK] barked.", "pair": None},
]
TOP = 5


def encode_each(tokenizer, texts):
    out = []
    for t in texts:
        enc = tokenizer(t["text"], t["pair"]) if t["pair"] is not None else tokenizer(t["text"])
        ids = list(enc["input_ids"])
        types = list(enc["token_type_ids"]) if "token_type_ids" in enc else [0] * len(ids)
        out.append((ids, types))
    return out


def check_fixture(name):
    folder = os.path.join(HERE, name)
    with open(os.path.join(HERE, name + ".reference.json")) as f:
        reference = json.load(f)
    model, info = AutoModel.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", output_loading_info=True)
    model.eval()
    print(f"{name}: {type(model).__name__}; missing {info['missing_keys']}; unexpected {info['unexpected_keys']}")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    for t, (ids, types) in zip(reference["texts"], encode_each(tokenizer, reference["texts"])):
        print(f"  ids {'equal' if ids == t['input_ids'] else 'DIFFER'}; type ids {'equal' if types == t['token_type_ids'] else 'DIFFER'}: {t['text']!r}")
        if ids != t["input_ids"]:
            print(f"    transformers {ids}\n    reference    {t['input_ids']}")
    batch = {k: torch.tensor(reference[k]) for k in ("input_ids", "attention_mask", "token_type_ids")}
    with torch.no_grad():
        states = model(**batch, output_hidden_states=True).hidden_states
    differences = [float((s - torch.tensor(r)).abs().max()) for s, r in zip(states, reference["hidden_states"])]
    print(f"  hidden states, max |difference| per layer: {', '.join(f'{d:.1e}' for d in differences)}")
    return differences


def check_bart():
    folder = os.path.join(HERE, "hf-bart")
    with open(os.path.join(HERE, "hf-bart.reference.json")) as f:
        reference = json.load(f)
    model, info = BartForConditionalGeneration.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", output_loading_info=True)
    model.eval()
    print(f"hf-bart: {type(model).__name__}; missing {info['missing_keys']}; unexpected {info['unexpected_keys']}")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    for pair in reference["pairs"]:
        for text, ids in ((pair["source"], pair["source_ids"]), (pair["target"], pair["target_ids"])):
            got = tokenizer(text)["input_ids"]
            print(f"  ids {'equal' if got == ids else 'DIFFER'}: {text!r}")
    batch = {k: torch.tensor(reference[k]) for k in ("input_ids", "attention_mask", "decoder_input_ids")}
    with torch.no_grad():
        output = model(**batch, output_hidden_states=True)
    difference = lambda a, b: float((a - torch.tensor(b)).abs().max())
    encoder = [difference(s, r) for s, r in zip(output.encoder_hidden_states, reference["encoder_hidden_states"])]
    decoder = [difference(s, r) for s, r in zip(output.decoder_hidden_states, reference["decoder_hidden_states"])]
    logits = difference(output.logits, reference["logits"])
    print(f"  encoder layers {', '.join(f'{d:.1e}' for d in encoder)}; decoder layers {', '.join(f'{d:.1e}' for d in decoder)}; logits {logits:.1e}")
    return encoder + decoder + [logits]


def shipped_base_reference(out_path):
    folder = os.path.join(ROOT, "data", "base")
    model, info = BertForMaskedLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", output_loading_info=True)
    model.eval()
    print(f"shipped base: missing {info['missing_keys']} (the decoder is tied to the word embeddings); unexpected {info['unexpected_keys']}")
    tokenizer = BertTokenizer(os.path.join(folder, "vocab.txt"), do_lower_case=True)
    items = encode_each(tokenizer, SHIPPED_TEXTS)
    for t, (ids, _) in zip(SHIPPED_TEXTS, items):
        print(f"  {t['text']!r}: {tokenizer.convert_ids_to_tokens(ids)}")
    width = max(len(ids) for ids, _ in items)
    pad = lambda row: row + [0] * (width - len(row))
    input_ids = torch.tensor([pad(ids) for ids, _ in items])
    token_type_ids = torch.tensor([pad(types) for _, types in items])
    attention_mask = torch.tensor([pad([1] * len(ids)) for ids, _ in items])
    with torch.no_grad():
        output = model(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask, output_hidden_states=True)
    masked = (input_ids == tokenizer.mask_token_id).nonzero().tolist()
    top = [output.logits[s, p].topk(TOP) for s, p in masked]
    for (s, p), (values, ids) in zip(masked, top):
        print(f"  [MASK] at ({s}, {p}): {tokenizer.convert_ids_to_tokens(ids.tolist())}")
    reference = {
        "transformers_version": transformers.__version__, "torch_version": torch.__version__,
        "texts": [dict(t, input_ids=ids, token_type_ids=types) for t, (ids, types) in zip(SHIPPED_TEXTS, items)],
        "input_ids": input_ids.tolist(), "token_type_ids": token_type_ids.tolist(), "attention_mask": attention_mask.tolist(),
        "hidden_states": [[[[float(f"{v:.8g}") for v in row] for row in seq] for seq in layer.tolist()] for layer in output.hidden_states],
        "masked": [{"sequence": s, "position": p, "top_ids": ids.tolist(), "top_logits": [float(f"{v:.8g}") for v in values.tolist()]}
                   for (s, p), (values, ids) in zip(masked, top)],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(reference, f, separators=(",", ":"), ensure_ascii=False)
    print(f"wrote {out_path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=HERE, help="folder for shipped-base.transformers.json")
    args = parser.parse_args()
    print(f"transformers {transformers.__version__}, torch {torch.__version__}")
    failed = False
    for name in ("hf-bert", "hf-roberta"):
        try:
            failed |= max(check_fixture(name)) > 1e-4
        except Exception:   # report every check, not only the first that breaks
            traceback.print_exc()
            failed = True
    try:
        failed |= max(check_bart()) > 1e-4
    except Exception:
        traceback.print_exc()
        failed = True
    shipped_base_reference(os.path.join(args.out, "shipped-base.transformers.json"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
