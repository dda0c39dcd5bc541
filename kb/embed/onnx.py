"""The English model run as its local int8 ONNX build (kb.embed.build) with onnxruntime and the
model's own fast tokenizer: no torch at run time, texts batched by token length so little
padding is computed, threads set for the cores this process may use."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from kb.config import thread_count
from kb.embed.build import BUILD_FILE, INPUTS, MODEL_FILE, BuildInfo, build_folder

log = logging.getLogger(__name__)
# One text per run: dynamic int8 quantization scales a whole input tensor, so in a batch a
# text's vector depended on its batch mates (cosine down to 0.986 against the same text alone;
# themes near a threshold flipped with the file a finding came in). Alone, a text always gets
# the same vector, with no padding; measured as fast as sorted batches of 16 on 2 cores.
BATCH_SIZE = 1


class OnnxEmbedder:
    """Sentence vectors from the int8 ONNX build of a sentence-transformers folder; the build
    is made (once, cached) and loaded on first use."""

    def __init__(self, path: Path, model_id: str, dim: int, threads: int | None = None) -> None:
        self.path, self.model_id, self.dim = path, model_id, dim
        self.threads = threads or thread_count()
        self._session = None
        self._tokenizer = None

    def load(self) -> None:
        """Build if needed, then open the session and the tokenizer."""
        if self._session is not None:
            return
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = build_folder(self.path)
        info = BuildInfo.model_validate(json.loads((folder / BUILD_FILE).read_text("utf-8")))
        _quiet_runtime(ort)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # shared cores
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=info.max_seq_length)
        self._tokenizer = tokenizer
        self._session = ort.InferenceSession(str(folder / MODEL_FILE), options,
                                             providers=["CPUExecutionProvider"])
        log.info("loaded the int8 ONNX model %s (%s, %d threads)", folder.name, info.quant.name,
                 self.threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        assert self._tokenizer is not None and self._session is not None
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            rows = order[start:start + BATCH_SIZE]
            out[rows] = self._session.run(None, _feed([encodings[i] for i in rows]))[0]
        return out


def _feed(encodings: list) -> dict[str, np.ndarray]:
    """Pad one batch to its longest text: ids, attention mask and token types as int64."""
    width = max(len(e.ids) for e in encodings)
    arrays = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in INPUTS}
    for row, enc in enumerate(encodings):
        n = len(enc.ids)
        arrays["input_ids"][row, :n] = enc.ids
        arrays["attention_mask"][row, :n] = enc.attention_mask
        arrays["token_type_ids"][row, :n] = enc.type_ids
    return arrays


def _quiet_runtime(ort) -> None:
    """No telemetry (onnxruntime only emits it on Windows; off everywhere) and warnings only."""
    disable = getattr(ort, "disable_telemetry_events", None)
    if disable is not None:
        disable()
    ort.set_default_logger_severity(3)
