"""Build the int8 ONNX form of a local sentence-transformers model (Transformer → mean pooling →
normalise) from its shipped weights, offline: export with torch, fuse the BERT graph with
onnxruntime's transformer optimiser, quantise the weights to int8 for this CPU. Builds are
cached by (weights digest, CPU family, onnxruntime version) and written atomically, so a
second process waits for nothing and never reads half a file."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel

from kb.config import cache_dir, force_offline
from kb.embed.cpu import QuantConfig, quant_config
from kb.errors import KBError

log = logging.getLogger(__name__)
BUILD_VERSION = 2  # bump when the graph or the steps below change
MODEL_FILE = "model.onnx"
BUILD_FILE = "build.json"
SUPPORTED_MODULES = ("sentence_transformers.models.Transformer",
                     "sentence_transformers.models.Pooling",
                     "sentence_transformers.models.Normalize")
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17


class BuildInfo(BaseModel):
    """What a build folder holds and what it was made from (build.json)."""

    version: int
    source: str
    weights_sha256: str
    quant: QuantConfig
    onnxruntime: str
    max_seq_length: int
    dim: int


def convertible(path: Path) -> str | None:
    """None when the folder is a BERT-style Transformer + mean pooling (+ normalise) model this
    module can convert, else the reason why not."""
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        pooling_dir = next(m.get("path", "") for m in modules if m["type"].endswith(".Pooling"))
        pooling = json.loads((path / pooling_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, StopIteration) as err:
        return f"cannot read its sentence-transformers configuration ({err})"
    types = tuple(m["type"] for m in modules)
    if types not in (SUPPORTED_MODULES, SUPPORTED_MODULES[:2]):
        return f"its modules are {', '.join(t.rsplit('.', 1)[-1] for t in types)}"
    if not pooling.get("pooling_mode_mean_tokens") or any(
            v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"):
        return "it does not pool by the mean of its tokens"
    if not (path / "tokenizer.json").is_file():
        return "it has no fast tokenizer (tokenizer.json)"
    return None


def weights_digest(path: Path) -> str:
    """sha256 over the model's weight and configuration files (names and bytes)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (
            ".safetensors", ".bin", ".json", ".txt")):
        digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def build_folder(path: Path, quant: QuantConfig | None = None, root: Path | None = None) -> Path:
    """The cached int8 build of the model at `path`, made now if missing or stale."""
    import onnxruntime

    quant = quant or quant_config()
    digest = weights_digest(path)
    name = f"{path.name}-{digest[:12]}-{quant.name}-ort{onnxruntime.__version__}-v{BUILD_VERSION}"
    target = (root or cache_dir()) / "models" / name
    if (target / BUILD_FILE).is_file() and (target / MODEL_FILE).is_file():
        return target
    reason = convertible(path)
    if reason:
        raise KBError(f"{path}: cannot build an int8 ONNX model: {reason} (set KB_EMBED_BACKEND=torch)")
    log.info("building the int8 ONNX model of %s for %s (once; cached in %s)", path.name, quant.name,
             target.parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{name}-", dir=target.parent) as tmp:
        work = Path(tmp)
        info = _build(path, work, quant, digest)
        (work / "out" / BUILD_FILE).write_text(info.model_dump_json(indent=2) + "\n", encoding="utf-8")
        try:
            os.replace(work / "out", target)
        except OSError:
            if not (target / BUILD_FILE).is_file():  # not a concurrent build that finished first
                raise
    return target


def _build(path: Path, work: Path, quant: QuantConfig, digest: str) -> BuildInfo:
    import onnxruntime

    out = work / "out"
    out.mkdir()
    max_len, dim, heads = _export(path, work / "fp32.onnx")
    _optimise(work / "fp32.onnx", work / "fused.onnx", heads, dim)
    _quantise(work / "fused.onnx", out / MODEL_FILE, quant)
    shutil.copy2(path / "tokenizer.json", out / "tokenizer.json")
    return BuildInfo(version=BUILD_VERSION, source=path.name, weights_sha256=digest, quant=quant,
                     onnxruntime=onnxruntime.__version__, max_seq_length=max_len, dim=dim)


def _export(path: Path, onnx_path: Path) -> tuple[int, int, int]:
    """Trace Transformer + mean pooling + L2 normalisation into one ONNX graph; returns the
    maximum sequence length, the hidden size and the number of attention heads."""
    force_offline()
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(path), attn_implementation="eager").eval()
    max_len = _max_seq_length(path, bert.config.max_position_embeddings)

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    sample = torch.ones((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    with torch.no_grad():
        torch.onnx.export(Pooled(), (sample, sample, torch.zeros_like(sample)), str(onnx_path),
                          input_names=list(INPUTS), output_names=["sentence_embedding"],
                          dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
                          opset_version=OPSET, dynamo=False)
    return max_len, int(bert.config.hidden_size), int(bert.config.num_attention_heads)


def _max_seq_length(path: Path, positions: int) -> int:
    try:
        config = json.loads((path / "sentence_bert_config.json").read_text(encoding="utf-8"))
        return int(config.get("max_seq_length") or positions)
    except (OSError, ValueError):
        return positions


def _optimise(source: Path, target: Path, heads: int, hidden: int) -> None:
    """Fuse embeddings + LayerNorm, attention, bias + GELU and skip + LayerNorm into
    onnxruntime's BERT operators (its transformer optimiser, offline); the fused Attention is
    then quantised as one operator."""
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(str(source), model_type="bert", num_heads=heads, hidden_size=hidden,
                           opt_level=0)
    fused = model.get_fused_operator_statistics()
    if not fused.get("Attention"):
        log.warning("the attention layers of %s were not fused (slower int8 model): %s", source, fused)
    model.save_model_to_file(str(target))


def _quantise(source: Path, target: Path, quant: QuantConfig) -> None:
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # the fused ops (com.microsoft domain) defeat ONNX shape inference: their outputs are float
    quantize_dynamic(str(source), str(target), weight_type=getattr(QuantType, quant.weight_type),
                     per_channel=quant.per_channel, reduce_range=quant.reduce_range,
                     op_types_to_quantize=["MatMul", "Attention", "Gemm"],
                     extra_options={"DefaultTensorType": TensorProto.FLOAT})
