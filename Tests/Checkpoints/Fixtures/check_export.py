#!/usr/bin/python3
"""Checks a `workbench export` of a fine-tuned run against the run's own model folder, independently of C#.

Plain PyTorch (no `transformers`): its own safetensors reader, the BERT/RoBERTa encoder of
`make_hf_fixtures.py`, and two heads written out here: the exported Hugging Face head
(`BertForSequenceClassification`: pooler + classifier; `RobertaForSequenceClassification`:
classifier.dense + out_proj) and the workbench's (classifier.dense, tanh, out_proj, with R4F's
spectral norm as W / (u . W v) from the stored weight_orig, weight_u, weight_v). Both are run in float64
on random token ids; the script prints the largest logit difference and exits 1 above 1e-5.

    workbench finetune --task fine-foods --method r4f --set max_steps=3 --out /tmp/run
    workbench export --model /tmp/run --out /tmp/hf
    /usr/bin/python3 Tests/Checkpoints/Fixtures/check_export.py /tmp/hf /tmp/run/best
"""
import json, os, struct, sys
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_hf_fixtures import encoder_states  # noqa: E402

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", None)
    tensors = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[start:end]), dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).clone()
    return tensors, metadata


def positions(cfg, mask):
    if cfg.get("model_type") == "roberta":
        return torch.cumsum(mask, dim=1) * mask + cfg["pad_token_id"]
    return torch.arange(mask.shape[1]).expand_as(mask)


def main(export_dir, run_model_dir):
    cfg = json.load(open(os.path.join(export_dir, "config.json")))
    exported, metadata = read_safetensors(os.path.join(export_dir, "model.safetensors"))
    assert metadata == {"format": "pt"}, f"__metadata__ is {metadata}"
    roberta = cfg["model_type"] == "roberta"
    assert cfg["architectures"] == ["RobertaForSequenceClassification" if roberta else "BertForSequenceClassification"], cfg["architectures"]
    labels = [cfg["id2label"][str(i)] for i in range(cfg["num_labels"])]
    assert all(cfg["label2id"][label] == i for i, label in enumerate(labels))
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        assert os.path.exists(os.path.join(export_dir, name)), name

    workbench, _ = read_safetensors(os.path.join(run_model_dir, "model.safetensors"))
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(5, cfg["vocab_size"], (6, 12), generator=generator)
    mask = torch.ones_like(ids)
    mask[3:, 8:] = 0
    ids[0, 0] = 0 if roberta else 2
    types = torch.zeros_like(ids)
    pos = positions(cfg, mask)

    prefix = "roberta." if roberta else "bert."
    cls = encoder_states(exported, cfg, prefix, ids, types, mask, pos)[-1][:, 0]
    d = lambda t: t.double()
    if roberta:
        hidden = torch.tanh(cls @ d(exported["classifier.dense.weight"]).T + d(exported["classifier.dense.bias"]))
        logits_export = hidden @ d(exported["classifier.out_proj.weight"]).T + d(exported["classifier.out_proj.bias"])
    else:
        hidden = torch.tanh(cls @ d(exported["bert.pooler.dense.weight"]).T + d(exported["bert.pooler.dense.bias"]))
        logits_export = hidden @ d(exported["classifier.weight"]).T + d(exported["classifier.bias"])

    cls = encoder_states(workbench, cfg, "bert.", ids, types, mask, pos)[-1][:, 0]
    hidden = torch.tanh(cls @ d(workbench["classifier.dense.weight"]).T + d(workbench["classifier.dense.bias"]))
    if "classifier.out_proj.weight_orig" in workbench:
        w, u, v = (d(workbench["classifier.out_proj." + n]) for n in ("weight_orig", "weight_u", "weight_v"))
        weight = w / (u @ (w @ v))
    else:
        weight = d(workbench["classifier.out_proj.weight"])
    logits_workbench = hidden @ weight.T + d(workbench["classifier.out_proj.bias"])

    difference = (logits_export - logits_workbench).abs().max().item()
    print(f"{cfg['architectures'][0]}, labels {labels}: largest logit difference {difference:.3g} over {ids.shape[0]} sequences")
    return 0 if difference <= 1e-5 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
