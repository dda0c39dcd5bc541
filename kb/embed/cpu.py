"""Which int8 kernel family this CPU has (avx512_vnni, avx2, arm64), and the dynamic quantisation
settings each family is built with. A lookup table, apart from the code that quantises."""

from __future__ import annotations

import platform
from pathlib import Path

from pydantic import BaseModel

CPUINFO = Path("/proc/cpuinfo")


class QuantConfig(BaseModel, frozen=True):
    """Settings for onnxruntime's dynamic quantisation of the MatMul/Gemm weights."""

    name: str
    weight_type: str  # onnxruntime.quantization.QuantType member name
    per_channel: bool
    reduce_range: bool  # 7-bit weights: avoids the u8×s8 saturation of AVX2/AVX-512 without VNNI


#: avx512_vnni and arm64 (sdot/i8mm) multiply u8×s8 without saturating: full-range signed
#: weights, one scale per output channel. Plain AVX2's vpmaddubsw saturates 16-bit sums of u8×s8
#: pairs, so there the weights lose one bit (onnxruntime's own advice for non-VNNI x86).
CONFIGS: dict[str, QuantConfig] = {
    "avx512_vnni": QuantConfig(name="avx512_vnni", weight_type="QInt8", per_channel=True,
                               reduce_range=False),
    "avx2": QuantConfig(name="avx2", weight_type="QInt8", per_channel=True, reduce_range=True),
    "arm64": QuantConfig(name="arm64", weight_type="QInt8", per_channel=True, reduce_range=False),
}


def cpu_flags(cpuinfo: Path = CPUINFO) -> set[str]:
    """The feature flags the kernel reports for the first CPU (empty where there is no cpuinfo)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return set(value.split())
    return set()


def cpu_family(machine: str | None = None, flags: set[str] | None = None) -> str:
    """The key of CONFIGS for this machine: arm64, avx512_vnni, else avx2 (the x86-64 baseline
    that onnxruntime's int8 kernels need)."""
    machine = (machine or platform.machine()).lower()
    if machine in ("arm64", "aarch64"):
        return "arm64"
    flags = cpu_flags() if flags is None else flags
    if "avx512_vnni" in flags or "avx_vnni" in flags:
        return "avx512_vnni"
    return "avx2"


def quant_config(family: str | None = None) -> QuantConfig:
    """The quantisation settings for a CPU family (default: this machine's)."""
    return CONFIGS[family or cpu_family()]
