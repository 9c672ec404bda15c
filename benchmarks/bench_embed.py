"""Prints passage-embedding throughput and agreement: sentence-transformers (torch) against ONNX
Runtime, fp32 and int8, on the same passages of the shipped corpus.

    python benchmarks/bench_embed.py [--passages 1000] [--threads 2]

The ONNX graphs are exported here from the prepared e5 folder (torch.onnx, then onnxruntime's
dynamic int8 quantisation) into a temporary folder; nothing is downloaded. Agreement is the cosine
of each passage's vector with torch's (min and mean over the passages); the issue's bar for
adopting a faster path is cosine >= 0.99 on 1,000 passages.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def corpus_passages(count: int) -> list[str]:
    from juesuan_qa.ingest.document import build_group, group_sources, read_source, unique_sources
    from juesuan_qa.kb import expand

    files, _ = expand([ROOT / "corpus"])
    sources, _ = unique_sources([read_source(f) for f in files])
    texts = [p.indexed_text() for group in group_sources(sources) for p in build_group(group).passages]
    return texts[:count]


def export(model_dir: Path, folder: Path) -> tuple[Path, Path]:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)

    class Encoder(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    sample = tokenizer(["passage: 一般公共预算财政拨款收入"], return_tensors="pt")
    fp32, int8 = folder / "e5.onnx", folder / "e5-int8.onnx"
    names = ["input_ids", "attention_mask", "last_hidden_state"]
    torch.onnx.export(Encoder(model), (sample["input_ids"], sample["attention_mask"]), str(fp32),
                      input_names=names[:2], output_names=names[2:], opset_version=17, dynamo=False,
                      dynamic_axes={n: {0: "batch", 1: "sequence"} for n in names})
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return fp32, int8


def onnx_encoder(path: Path, model_dir: Path, threads: int):
    import onnxruntime
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    tokenizer.enable_padding()

    def encode(texts: list[str], batch: int = 32) -> np.ndarray:
        # by length, as sentence-transformers batches, so neither pays for the other's padding
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        ordered = [texts[i] for i in order]
        out = []
        for start in range(0, len(ordered), batch):
            encoded = tokenizer.encode_batch(ordered[start:start + batch])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        vectors = np.empty((len(texts), out[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(out)
        return vectors

    return encode


def timed(encode, texts: list[str]) -> tuple[np.ndarray, float]:
    encode(texts[:8])  # warm
    started = time.perf_counter()
    vectors = encode(texts)
    return vectors, len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    import torch

    from juesuan_qa.config import Settings
    from juesuan_qa.store.embedding import make_embedder

    torch.set_num_threads(args.threads)
    settings = Settings.from_env()
    texts = [settings.passage_prefix + t for t in corpus_passages(args.passages)]
    reference = make_embedder(settings.model_dir, settings.model_name)  # prefixes already applied
    base, base_rate = timed(lambda t: reference._encode(t, 32), texts)
    result = {"model": settings.model_name, "passages": len(texts), "threads": args.threads,
              "load_average": [round(x, 2) for x in os.getloadavg()],
              "sentence_transformers_per_s": round(base_rate, 1)}
    with tempfile.TemporaryDirectory() as folder:
        fp32, int8 = export(settings.model_dir, Path(folder))
        for name, path in (("onnx_fp32", fp32), ("onnx_int8", int8)):
            vectors, rate = timed(onnx_encoder(path, settings.model_dir, args.threads), texts)
            cosine = (vectors * base).sum(1)
            result[name] = {"per_s": round(rate, 1), "speedup": round(rate / base_rate, 2),
                            "cosine_min": round(float(cosine.min()), 4), "cosine_mean": round(float(cosine.mean()), 5),
                            "size_mb": round(path.stat().st_size / 2**20, 1)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
