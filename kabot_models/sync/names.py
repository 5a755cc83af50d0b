"""Display names from API ids, in the vendors' own style: what a new entry is called when its dataset gives no name."""

from __future__ import annotations

import re

_NAME_WORDS = {"gpt": "GPT", "glm": "GLM", "oss": "OSS", "vl": "VL", "ai": "AI", "api": "API", "tts": "TTS",
               "llama": "Llama", "qwq": "QwQ", "r1": "R1", "v3": "V3", "v4": "V4", "xl": "XL", "fp8": "FP8",
               "it": "IT", "moe": "MoE", "mimo": "MiMo", "minimax": "MiniMax", "deepseek": "DeepSeek"}
_VENDOR_PREFIX = re.compile(r"^(?:[a-z]{2,6}\.)?[a-z]+\.(?=[a-z])")
_BEDROCK_VERSION = re.compile(r"-v\d+(?::\d+)?$")
_DATE8 = re.compile(r"^(20\d\d)(\d\d)(\d\d)$")
_DASHED_DATE = re.compile(r"-(20\d\d)-(\d\d)-(\d\d)(?=$|-)")
_SHORT_VERSION = re.compile(r"^\d{1,2}(\.\d{1,2})*$")


def display_name(api_id: str) -> str:
    """A readable name from an API id, a starting point to curate.

    `claude-sonnet-5-5` -> `Claude Sonnet 5.5`; `us.anthropic.claude-opus-4-20250514-v1:0` ->
    `Claude Opus 4 (2025-05-14)`: vendor and region prefixes and Bedrock's `-v1:0` go, runs of short
    numbers become a version, an eight-digit date becomes a suffix.
    """
    last = api_id.rsplit("/", 1)[-1].removeprefix("hf:")
    free = last.endswith(":free")
    last = last.removesuffix(":free")
    last = _BEDROCK_VERSION.sub("", _VENDOR_PREFIX.sub("", last))
    last = _DASHED_DATE.sub(r"-\1\2\3", last)
    words = [w for w in re.split(r"[-_ ]+", last) if w]
    out: list[str] = []
    date = ""
    for w in words:
        low = w.lower()
        if _DATE8.match(w):
            date = "-".join(_DATE8.match(w).groups())  # type: ignore[union-attr]
        elif w.isdigit() and len(w) <= 2 and out and _SHORT_VERSION.match(out[-1]):
            out[-1] += "." + w  # 4-5 -> 4.5
        elif low in _NAME_WORDS:
            out.append(_NAME_WORDS[low])
        elif w[0].isalpha() and w.islower():
            out.append(w[0].upper() + w[1:])
        else:
            out.append(w)
    name = " ".join(out) or api_id
    return tidy_name(f"{name} ({date})" if date else name) + (" (free)" if free else "")


#: (pattern, replacement) applied in order by `tidy_name`.
_TIDY = [
    (re.compile(r":free$"), " (free)"),
    # sizes as words of their own (a hyphenated all-lower-case name like `gpt-oss-120b` is the vendor's spelling)
    (re.compile(r"(?<![\w.-])(\d+(?:\.\d+)?|\d+x\d+)([bt])(?![\w-])"), lambda m: m.group(1) + m.group(2).upper()),  # 70b -> 70B
    (re.compile(r"(?<![\w.-])[aAeE](\d+(?:\.\d+)?)[bB](?![\w-])"), lambda m: m.group(0)[0].upper() + m.group(1) + "B"),  # a22b -> A22B
    (re.compile(r"(\d[BT]) (A\d+(?:\.\d+)?B)\b"), r"\1-\2"),  # 235B A22B -> 235B-A22B
    (re.compile(r"^GPT (\d[\w.]*)"), r"GPT-\1"),  # GPT 5.6 -> GPT-5.6
    (re.compile(r"^(GPT-[\w.]+) (Mini|Nano)\b"), lambda m: f"{m.group(1)} {m.group(2).lower()}"),  # GPT-5 Mini -> GPT-5 mini
    (re.compile(r"^(GPT-[\w.]+) Codex\b"), r"\1-Codex"),  # GPT 5.2 Codex -> GPT-5.2-Codex (OpenAI's spelling)
    (re.compile(r"-Codex (Max|Mini|Spark)\b"), r"-Codex-\1"),
    (re.compile(r"^[oO](\d) ([Mm]ini|[Pp]ro|[Pp]review)\b"), lambda m: f"o{m.group(1)}-{m.group(2).lower()}"),  # O3 Pro -> o3-pro
    (re.compile(r"^O(\d)\b"), r"o\1"),  # O3 Deep Research -> o3 Deep Research
    (re.compile(r"^(?:Zai|Z\.ai|Z\.AI) (?=GLM)"), ""),  # a vendor word before the model's own name
    (re.compile(r"^Gemini (?=Gemma\b)"), ""),
    (re.compile(r"\bGLM (\d)"), r"GLM-\1"),  # GLM 5.3 -> GLM-5.3 (Z.ai's spelling)
    (re.compile(r"\bRobotics Er\b"), "Robotics-ER"),
    (re.compile(r"\bCustomtools\b"), "Custom Tools"),
    (re.compile(r"\bLearnlm\b"), "LearnLM"),
]


def tidy_name(name: str) -> str:
    """A display name in the vendors' own style: `Qwen3 VL 235b A22b` -> `Qwen3 VL 235B-A22B`, `GPT 5 Mini` ->
    `GPT-5 mini`, `O3 Pro` -> `o3-pro`, `Llama 3.3 70b:free` -> `Llama 3.3 70B (free)`. Used on names the
    datasets give too, so a catalog's names read alike whichever source they came from."""
    name = re.sub(r"\s+", " ", name).strip()
    for pattern, repl in _TIDY:
        name = pattern.sub(repl, name)
    return name
