#!/usr/bin/env python3
"""Regenerate the starter catalog (`catalog/providers/*.yaml`) from LiteLLM's map and genai-prices.

This is the internal sibling of `draft_from_litellm.py`: the same entry conversion, plus the curated
choices a whole catalog needs (which providers, which LiteLLM entries, Kabot's ids and aliases,
`base` links from gateway copies to first-party models, known LiteLLM errors). It overwrites the
provider files; after a run, `git diff` is the review. Routing facts come from Kabot's
`providers.tsv` (`../shared/kabot/` next to the checkout, or `--kabot DIR`).

    python scripts/build_starter_catalog.py [--kabot DIR] [--checked YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draft_from_litellm import (  # noqa: E402
    ROOT,
    SCHEMA_LINE,
    api_id_for,
    display_name,
    entry_from_litellm,
    tidy_name,
    to_yaml_node,
    yaml_rt,
)

from kabot_models.audit import GENAI_PRICES_REPO_URL, dataset_version, genai_number, load_genai_providers, load_litellm_map  # noqa: E402

MODEL_ID = re.compile(r"^(?!.*\.\./)[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")

# --- providers -------------------------------------------------------------------------------------
# Kabot name -> catalog id and provider aliases (the rest keep Kabot's name).
RENAMES = {"gemini": ("google", ["gemini"]), "zhipu": ("zai", ["zhipu"])}
PROVIDER_ALIASES = {"moonshot": ["kimi", "moonshotai"], "dashscope": ["qwen"], "xai": ["x-ai"]}

#: What providers.tsv does not say: API flavor, auth header, docs/pricing pages, kind overrides.
#: URLs are the provider's root docs or pages that LiteLLM/genai-prices cite as sources.
EXTRA: dict[str, dict[str, Any]] = {
    "openrouter": {"flavor": "openrouter", "docs_url": "https://openrouter.ai/docs", "pricing_url": "https://openrouter.ai/models"},
    "aihubmix": {"docs_url": "https://aihubmix.com", "pricing_url": "https://aihubmix.com/api/v1/models"},
    "anthropic": {"flavor": "anthropic", "header": "x-api-key", "base_url": "https://api.anthropic.com/v1",
                  "docs_url": "https://platform.claude.com/docs", "pricing_url": "https://platform.claude.com/docs/en/about-claude/pricing"},
    "openai-codex": {"docs_url": "https://developers.openai.com/codex"},
    "openai": {"base_url": "https://api.openai.com/v1", "docs_url": "https://developers.openai.com/api/docs",
               "pricing_url": "https://developers.openai.com/api/docs/pricing"},
    "mistral": {"docs_url": "https://docs.mistral.ai", "pricing_url": "https://mistral.ai/pricing/api"},
    "deepseek": {"base_url": "https://api.deepseek.com", "docs_url": "https://api-docs.deepseek.com",
                 "pricing_url": "https://api-docs.deepseek.com/quick_start/pricing"},
    "google": {"flavor": "gemini", "header": "x-goog-api-key", "base_url": "https://generativelanguage.googleapis.com/v1beta",
               "docs_url": "https://ai.google.dev/gemini-api/docs", "pricing_url": "https://ai.google.dev/gemini-api/docs/pricing"},
    "zai": {"docs_url": "https://docs.z.ai", "pricing_url": "https://docs.z.ai/guides/overview/pricing"},
    "dashscope": {"docs_url": "https://www.alibabacloud.com/help/en/model-studio/", "pricing_url": "https://www.alibabacloud.com/help/en/model-studio/models"},
    "moonshot": {"docs_url": "https://platform.kimi.ai/docs", "pricing_url": "https://platform.kimi.ai/docs/pricing/chat"},
    "minimax": {"docs_url": "https://platform.minimax.io/docs", "pricing_url": "https://platform.minimax.io/docs/pricing/overview"},
    "together": {"flavor": "together", "docs_url": "https://docs.together.ai", "pricing_url": "https://www.together.ai/pricing"},
    "huggingface": {"docs_url": "https://huggingface.co/docs/inference-providers", "pricing_url": "https://huggingface.co/inference/models"},
    "nvidia": {"docs_url": "https://docs.api.nvidia.com"},
    "xai": {"kind": "first-party", "docs_url": "https://docs.x.ai/docs/models", "pricing_url": "https://docs.x.ai/docs/models"},
    "cerebras": {"docs_url": "https://inference-docs.cerebras.ai", "pricing_url": "https://www.cerebras.ai/pricing"},
    "xiaomi": {"flavor": "anthropic", "header": "x-api-key", "pricing_url": "https://platform.xiaomimimo.com/static/docs/price/pay-as-you-go.md"},
    "volcengine": {"docs_url": "https://www.volcengine.com/docs/82379/1544106"},
    "synthetic": {"flavor": "anthropic", "header": "x-api-key"},
    "letta": {"flavor": "none", "required": False},
    "vllm": {"required": False},
    "ollama": {"flavor": "ollama", "required": False, "base_url": "http://localhost:11434"},
    "groq": {"base_url": "https://api.groq.com/openai/v1", "docs_url": "https://console.groq.com/docs/models", "pricing_url": "https://groq.com/pricing"},
    "vercel-ai-gateway": {"docs_url": "https://vercel.com/docs/ai-gateway"},
    "cloudflare-ai-gateway": {"docs_url": "https://developers.cloudflare.com/ai-gateway/"},
}

#: Providers Kabot's table lacks (or names only in its model ids): full blocks.
NEW_PROVIDERS: dict[str, dict[str, Any]] = {
    "openai-codex": {},  # in providers.tsv
    "google-gemini-cli": {"name": "Gemini CLI (Google sign-in)", "kind": "first-party", "api": {"flavor": "none"},
                          "auth": {"env": [], "header": "bearer"}, "keywords": ["gemini-cli"],
                          "docs_url": "https://github.com/google-gemini/gemini-cli"},
    "kimi-coding": {"name": "Kimi Code", "kind": "first-party", "api": {"flavor": "anthropic"},
                    "auth": {"env": ["KIMI_API_KEY"], "header": "x-api-key"}, "keywords": ["kimi-coding"]},
    "qwen-portal": {"name": "Qwen Portal (Qwen Code sign-in)", "kind": "first-party", "api": {"flavor": "none"},
                    "auth": {"env": [], "header": "bearer"}, "keywords": ["qwen-portal"]},
    "volcengine-plan": {"name": "Volcano Engine Coding Plan", "kind": "gateway", "api": {"flavor": "openai"},
                        "auth": {"env": ["VOLCANO_ENGINE_API_KEY"]}, "litellm": {"strip_model_prefix": True}, "keywords": ["volcengine-plan"]},
    "byteplus-plan": {"name": "BytePlus Coding Plan", "kind": "gateway", "api": {"flavor": "openai"},
                      "auth": {"env": ["BYTEPLUS_API_KEY"]}, "litellm": {"strip_model_prefix": True}, "keywords": ["byteplus-plan"]},
    "google-vertex": {"name": "Google Vertex AI", "aliases": ["vertex", "vertex-ai"], "kind": "cloud", "api": {"flavor": "none"},
                      "auth": {"env": ["GOOGLE_APPLICATION_CREDENTIALS"], "header": "bearer"},
                      "litellm": {"prefix": "vertex_ai", "skip_prefixes": ["vertex_ai/"]}, "keywords": ["vertex"],
                      "docs_url": "https://cloud.google.com/vertex-ai/generative-ai/docs",
                      "pricing_url": "https://cloud.google.com/vertex-ai/generative-ai/pricing"},
    "amazon-bedrock": {"name": "Amazon Bedrock", "aliases": ["bedrock", "aws"], "kind": "cloud", "api": {"flavor": "none"},
                       "auth": {"env": ["AWS_BEARER_TOKEN_BEDROCK"], "header": "bearer"},
                       "litellm": {"prefix": "bedrock", "skip_prefixes": ["bedrock/"]}, "keywords": ["bedrock"],
                       "docs_url": "https://docs.aws.amazon.com/bedrock/", "pricing_url": "https://aws.amazon.com/bedrock/pricing/"},
    "azure": {"name": "Azure OpenAI", "kind": "cloud", "api": {"flavor": "openai"},
              "auth": {"env": ["AZURE_API_KEY"], "header": "api-key"},
              "litellm": {"prefix": "azure", "skip_prefixes": ["azure/"]}, "keywords": ["azure"], "api_kw": "openai.azure.com",
              "docs_url": "https://learn.microsoft.com/en-us/azure/ai-foundry/openai/",
              "pricing_url": "https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/"},
    "fireworks": {"name": "Fireworks AI", "aliases": ["fireworks-ai"], "kind": "cloud",
                  "api": {"base_url": "https://api.fireworks.ai/inference/v1", "flavor": "openai", "base_url_keyword": "fireworks.ai"},
                  "auth": {"env": ["FIREWORKS_API_KEY"]}, "litellm": {"prefix": "fireworks_ai", "skip_prefixes": ["fireworks_ai/"]},
                  "keywords": ["fireworks"], "docs_url": "https://docs.fireworks.ai", "pricing_url": "https://fireworks.ai/pricing"},
    "deepinfra": {"name": "DeepInfra", "kind": "cloud",
                  "api": {"base_url": "https://api.deepinfra.com/v1/openai", "flavor": "openai", "base_url_keyword": "deepinfra.com"},
                  "auth": {"env": ["DEEPINFRA_API_KEY"]}, "litellm": {"prefix": "deepinfra", "skip_prefixes": ["deepinfra/"]},
                  "keywords": ["deepinfra"], "docs_url": "https://deepinfra.com/docs", "pricing_url": "https://deepinfra.com/pricing"},
    "perplexity": {"name": "Perplexity", "aliases": ["perplexityai"], "kind": "first-party",
                   "api": {"base_url": "https://api.perplexity.ai", "flavor": "openai", "base_url_keyword": "perplexity.ai"},
                   "auth": {"env": ["PERPLEXITY_API_KEY", "PERPLEXITYAI_API_KEY"], "key_prefix": "pplx-"},
                   "litellm": {"prefix": "perplexity", "skip_prefixes": ["perplexity/"]}, "keywords": ["perplexity", "sonar"],
                   "docs_url": "https://docs.perplexity.ai", "pricing_url": "https://docs.perplexity.ai/docs/getting-started/pricing"},
    "cohere": {"name": "Cohere", "kind": "first-party", "api": {"flavor": "none", "base_url_keyword": "cohere.com"},
               "auth": {"env": ["COHERE_API_KEY", "CO_API_KEY"]}, "litellm": {"prefix": "cohere_chat", "skip_prefixes": ["cohere/", "cohere_chat/"]},
               "keywords": ["cohere", "command"], "docs_url": "https://docs.cohere.com/docs/models", "pricing_url": "https://cohere.com/pricing"},
    "lmstudio": {"name": "LM Studio (Local)", "aliases": ["lm-studio"], "kind": "local",
                 "api": {"base_url": "http://localhost:1234/v1", "flavor": "openai", "base_url_keyword": "localhost:1234"},
                 "auth": {"env": ["LM_STUDIO_API_KEY"], "required": False}, "litellm": {"prefix": "lm_studio", "skip_prefixes": ["lm_studio/"]},
                 "keywords": ["lmstudio", "lm_studio"], "docs_url": "https://lmstudio.ai/docs"},
    "nebius": {"name": "Nebius Token Factory", "kind": "cloud", "api": {"flavor": "openai", "base_url_keyword": "nebius"},
               "auth": {"env": ["NEBIUS_API_KEY"]}, "litellm": {"prefix": "nebius", "skip_prefixes": ["nebius/"]},
               "keywords": ["nebius"], "pricing_url": "https://nebius.com/prices"},
    "novita": {"name": "Novita AI", "kind": "cloud", "api": {"flavor": "openai", "base_url_keyword": "novita.ai"},
               "auth": {"env": ["NOVITA_API_KEY"]}, "litellm": {"prefix": "novita", "skip_prefixes": ["novita/"]},
               "keywords": ["novita"], "pricing_url": "https://novita.ai/pricing"},
}

#: catalog provider -> [(LiteLLM provider, key filter)] whose chat entries it offers.
LITELLM_SOURCES: dict[str, list[tuple[str, Any]]] = {
    "openai": [("openai", lambda k: not k.startswith(("ft:", "openai/")))],
    "anthropic": [("anthropic", None)],
    "google": [("gemini", lambda k: k.startswith("gemini/") and "lyria" not in k)],
    "mistral": [("mistral", None)],
    "deepseek": [("deepseek", lambda k: k.startswith("deepseek/"))],
    "moonshot": [("moonshot", None)],
    "xai": [("xai", None)],
    "dashscope": [("dashscope", None)],
    "zai": [("zai", None)],
    "minimax": [("minimax", None)],
    "groq": [("groq", lambda k: "prompt-guard" not in k)],
    "together": [("together_ai", lambda k: k.startswith("together_ai/"))],
    "cerebras": [("cerebras", None)],
    "xiaomi": [("xiaomi_mimo", None)],
    "volcengine": [("volcengine", None)],
    "perplexity": [("perplexity", lambda k: not k.startswith("perplexity/preset/"))],
    "vercel-ai-gateway": [("vercel_ai_gateway", None)],
    "aihubmix": [("aihubmix", None)],
    "deepinfra": [("deepinfra", None)],
    "nebius": [("nebius", None)],
    "novita": [("novita", None)],
    "fireworks": [("fireworks_ai", lambda k: k.startswith("fireworks_ai/accounts/fireworks/models/"))],
    "azure": [("azure", lambda k: k.count("/") == 1 and k != "azure/container")],
    "amazon-bedrock": [("bedrock_converse", lambda k: "/" not in k and not re.match(r"^(us|eu|apac|jp|au|global|us-gov|ca)\.", k))],
    "google-vertex": [("vertex_ai-language-models", None), ("vertex_ai-anthropic_models", lambda k: "@" not in k), ("vertex_ai", None)],
    "cohere": [("cohere_chat", None)],
    "openai-codex": [("chatgpt", None)],
    "ollama": [("ollama", None)],
}
#: LiteLLM key prefix to strip for the API id, where it is not the provider's `litellm.prefix`.
KEY_PREFIX = {"together": "together_ai", "xai": "xai", "xiaomi": "xiaomi_mimo", "volcengine": "volcengine",
              "vercel-ai-gateway": "vercel_ai_gateway", "aihubmix": "aihubmix", "google-vertex": "vertex_ai",
              "fireworks": "fireworks_ai", "openai-codex": "chatgpt", "cerebras": "cerebras"}

#: vendor part of a gateway id -> first-party catalog provider, for `base` links.
VENDORS = {"anthropic": "anthropic", "openai": "openai", "google": "google", "x-ai": "xai", "xai": "xai",
           "moonshotai": "moonshot", "deepseek": "deepseek", "deepseek-ai": "deepseek", "z-ai": "zai", "zai-org": "zai",
           "minimax": "minimax", "minimaxai": "minimax", "mistralai": "mistral", "mistral": "mistral"}
FIRST_PARTY = ["openai", "anthropic", "google", "mistral", "deepseek", "moonshot", "xai", "dashscope", "zai", "minimax"]

#: genai-prices provider for catalog providers whose lineup (or Kabot ids) it prices.
GENAI_PROVIDER = {"openai": "openai", "anthropic": "anthropic", "google": "google", "mistral": "mistral",
                  "deepseek": "deepseek", "moonshot": "moonshotai", "xai": "x-ai", "zai": "zai", "minimax": "minimax",
                  "groq": "groq", "together": "together", "cerebras": "cerebras", "openrouter": "openrouter",
                  "fireworks": "fireworks", "novita": "novita", "perplexity": "perplexity", "cohere": "cohere",
                  "azure": "azure", "amazon-bedrock": "aws", "deepinfra": None, "dashscope": None}

OPENROUTER_VENDORS = ("anthropic/", "openai/", "google/", "x-ai/", "moonshotai/", "deepseek/", "z-ai/", "minimax/",
                      "qwen/", "mistralai/", "meta-llama/")

#: Kabot's older ids no dataset lists any more (LiteLLM's map holds the current lineup, with
#: deprecation dates for what is going away). Kept so old configs resolve; marked retired.
RETIRED_KABOT = {"openai/o1-preview", "openai/o1-mini", "anthropic/claude-3-5-sonnet-20241022", "anthropic/claude-3-5-sonnet-20240620",
                 "anthropic/claude-3-5-haiku-20241022", "anthropic/claude-3-opus-20240229", "google/gemini-1.5-pro",
                 "google/gemini-1.5-flash", "groq/llama3-70b-8192", "groq/mixtral-8x7b-32768", "groq/gemma2-9b-it"}

#: Kabot ids whose `base` is a differently spelled first-party id (set by hand: the spellings vary).
KABOT_BASES = {
    "openai-codex/gpt-5.3-codex": "openai/gpt-5.3-codex",
    "google-gemini-cli/gemini-3-pro-preview": None,
    "google-gemini-cli/gemini-3.1-pro": "google/gemini-3.1-pro",
    "minimax/MiniMax-M2.5-Lightning": "minimax/MiniMax-M2.5-lightning",
    "google/gemini-3.1-pro": "google/gemini-3.1-pro-preview",
    "kimi-coding/k2p5": "moonshot/kimi-k2.5",
    "kilocode/anthropic/claude-opus-4.6": "anthropic/claude-opus-4-6",
    "kilocode/openai/gpt-5.2": "openai/gpt-5.2",
    "kilocode/anthropic/claude-sonnet-4.5": "anthropic/claude-sonnet-4-5",
    "kilocode/google/gemini-3-flash-preview": "google/gemini-3-flash-preview",
    "kilocode/x-ai/grok-code-fast-1": "xai/grok-code-fast-1",
    "kilocode/moonshotai/kimi-k2.5": "moonshot/kimi-k2.5",
    "zai/glm-4.7": None,
    "venice/claude-opus-45": "anthropic/claude-opus-4-5",
    "venice/claude-sonnet-45": "anthropic/claude-sonnet-4-5",
    "venice/openai-gpt-52": "openai/gpt-5.2",
    "venice/openai-gpt-52-codex": "openai/gpt-5.2-codex",
    "venice/gemini-3-flash-preview": "google/gemini-3-flash-preview",
    "venice/grok-code-fast-1": "xai/grok-code-fast-1",
    "venice/deepseek-v3.2": "deepseek/deepseek-v3.2",
    "venice/zai-org-glm-4.7": "zai/glm-4.7",
    "venice/minimax-m21": "minimax/MiniMax-M2.1",
    "venice/kimi-k2-thinking": "moonshot/kimi-k2-thinking",
    "huggingface/openai/gpt-oss-120b": None,
    "qianfan/deepseek-v3.2": "deepseek/deepseek-v3.2",
    "opencode/claude-opus-4-6": "anthropic/claude-opus-4-6",
    "opencode/claude-opus-4-5": "anthropic/claude-opus-4-5",
    "opencode/gpt-5.1-codex": "openai/gpt-5.1-codex",
    "opencode/gpt-5.1-codex-mini": "openai/gpt-5.1-codex-mini",
    "opencode/gpt-5.1-codex-max": "openai/gpt-5.1-codex-max",
    "opencode/gpt-5.1": "openai/gpt-5.1",
    "opencode/gpt-5.2": "openai/gpt-5.2",
    "opencode/glm-4.7": "zai/glm-4.7",
    "opencode/gemini-3-flash": "google/gemini-3-flash-preview",
    "volcengine-plan/glm-4.7": "zai/glm-4.7",
    "volcengine-plan/kimi-k2-thinking": "moonshot/kimi-k2-thinking",
    "volcengine-plan/kimi-k2.5": "moonshot/kimi-k2.5",
    "byteplus-plan/glm-4.7": "zai/glm-4.7",
    "byteplus-plan/kimi-k2-thinking": "moonshot/kimi-k2-thinking",
    "byteplus-plan/kimi-k2.5": "moonshot/kimi-k2.5",
    "byteplus/glm-4-7-251222": "volcengine/glm-4-7-251222",
    "synthetic/hf:MiniMaxAI/MiniMax-M2.1": "minimax/MiniMax-M2.1",
    "synthetic/hf:moonshotai/Kimi-K2-Thinking": "moonshot/kimi-k2-thinking",
    "synthetic/hf:zai-org/GLM-4.7": "zai/glm-4.7",
    "synthetic/hf:zai-org/GLM-4.5": "zai/glm-4.5",
    "synthetic/hf:zai-org/GLM-4.6": "zai/glm-4.6",
    "synthetic/hf:zai-org/GLM-5": "zai/glm-5",
    "synthetic/hf:moonshotai/Kimi-K2.5": "moonshot/kimi-k2.5",
    "synthetic/hf:deepseek-ai/DeepSeek-V3.2": "deepseek/deepseek-v3.2",
    "cloudflare-ai-gateway/claude-sonnet-4-5": "anthropic/claude-sonnet-4-5",
    "vercel-ai-gateway/anthropic/claude-opus-4-6": "anthropic/claude-opus-4-6",
    "vercel-ai-gateway/claude-opus-4.6": "anthropic/claude-opus-4-6",
    "vercel-ai-gateway/opus-4.6": "anthropic/claude-opus-4-6",
    "openrouter/anthropic/claude-sonnet-4-5": "anthropic/claude-sonnet-4-5",
    "openrouter/anthropic/claude-opus-4-5": "anthropic/claude-opus-4-5",
    "openrouter/deepseek-chat": "deepseek/deepseek-chat",
    "openrouter/google/gemini-3.1-pro": "google/gemini-3.1-pro-preview",
    "openrouter/x-ai/grok-4.1-fast": None,
    "together/moonshotai/Kimi-K2.5": "moonshot/kimi-k2.5",
    "together/deepseek-ai/DeepSeek-R1": "deepseek/deepseek-r1",
    "huggingface/deepseek-ai/DeepSeek-R1": "deepseek/deepseek-r1",
    "huggingface/deepseek-ai/DeepSeek-V3.2": "deepseek/deepseek-v3.2",
    "cerebras/zai-glm-4.7": "zai/glm-4.7",
    "volcengine/kimi-k2-5-260127": "moonshot/kimi-k2.5",
    "byteplus/kimi-k2-5-260127": "moonshot/kimi-k2.5",
    "volcengine-plan/doubao-seed-code-preview-251028": "volcengine/doubao-seed-code-preview-251028",
}

#: Aliases: Kabot's (aliases.tsv), re-pointed at what the name means today where that changed.
#: `None` drops an alias that equals a model's api id (the short name already resolves).
ALIAS_TARGETS: dict[str, str | None] = {
    "sonnet": "anthropic/claude-sonnet-5-5",
    "opus": "anthropic/claude-opus-5-5",
    "haiku": "anthropic/claude-haiku-5-5",
    "gemini": "google/gemini-3.1-pro-preview",
    "flash": "google/gemini-3.8-flash",
    "gemini-3.1-pro": None,
    "o1": None,
    "doubao": "volcengine/doubao-seed-2-1-pro-260915",
    "xiaomi": "xiaomi/mimo-v2.6-flash",
    "codex": "openai/gpt-5.3-codex",
    "kimi": "moonshot/kimi-k3",
    "minimax": "minimax/MiniMax-M3",
    "minimax-fast": "minimax/MiniMax-M2.5-lightning",
    "glm": "zai/glm-5.3",
    "xai": "xai/grok-4.7",
    "together-kimi": "together/moonshotai/Kimi-K3",
    "or-sonnet": "openrouter/anthropic/claude-sonnet-5.5",
    "or-qwen-vl": "openrouter/qwen/qwen2.5-vl-72b-instruct:free",
}
#: Extra aliases the catalog adds (each pointing at an entry LiteLLM names as a provider's `-latest`).
NEW_ALIASES = {"fable": "anthropic/claude-fable-5-1", "grok": "xai/grok-4.7"}

#: Sourced disagreements with a dataset (the audit fails on any other).
ACKNOWLEDGED = {
    "google-vertex/gemini-omni-1.2-flash": [{
        "dataset": "litellm", "field": "max_output",
        "reason": ("LiteLLM's vertex_ai entry gives max_output_tokens 260640, above its own max_input_tokens 131072, "
                   "which cannot hold; the catalog keeps the 65536 that LiteLLM's Gemini API entry for the same model gives"),
        "source": "https://ai.google.dev/gemini-api/docs/pricing",
    }],
}

GP_URL = "https://github.com/pydantic/genai-prices"
XAI_RETIREMENT = "https://docs.x.ai/developers/migration/may-15-retirement"
MINIMAX_CTX = {
    "set": {"context_window": 204800},
    "note": ("context window 204800 as genai-prices' `minimax:MiniMax-M2` record (which matches the M2.x ids) and LiteLLM's "
             "own novita entries for M2.1/M2.5 give; LiteLLM's minimax entry says 1000000"),
    "ack": [{"dataset": "litellm", "field": "context_window",
             "reason": ("MiniMax M2-family models take 204,800 tokens (genai-prices 0.2.3 minimax:MiniMax-M2, matching M2.x ids; "
                        "LiteLLM's novita/minimax/minimax-m2.1 and -m2.5 entries agree); LiteLLM's minimax entry's 1000000 is M1's window"),
             "source": "https://platform.minimax.io/docs/pricing/overview"}],
}
GROK_CODE_FAST_1 = {
    "pricing": {"input_1m": 0.2, "output_1m": 1.5, "cache_read_1m": 0.02, "tiers": None},
    "set": {"status": "retired", "deprecation_date": dt.date(2026, 5, 15), "successor": "xai/grok-build-0.1"},
    "note": ("prices are grok-code-fast-1's own (genai-prices x-ai:grok-code-fast-1, and OpenRouter's x-ai/grok-code-fast-1): "
             "LiteLLM's 1/2/0.2 with a 200k tier are grok-build-0.1's, which xAI's model list now shows for the retired id; "
             f"retired 2026-05-15 ({XAI_RETIREMENT})"),
    "ack": [{"dataset": "litellm", "field": f, "reason": ("grok-code-fast-1 was priced 0.20/1.50 with 0.02 cached input while it was served "
                                                          "(genai-prices 0.2.3 x-ai:grok-code-fast-1); LiteLLM carries its successor grok-build-0.1's prices"),
             "source": "https://docs.x.ai/docs/models"} for f in ("pricing.input_1m", "pricing.output_1m", "pricing.cache_read_1m")],
}
MISTRAL_LATEST_NOTE = ("genai-prices marks its `{gp}` record deprecated, but that record is an older version; LiteLLM's entry for this "
                       "-latest id cites {card}, the current model it serves, so it stays active")

#: Keywords Kabot's table lacks for providers the catalog treats as first-party (their product names).
EXTRA_KEYWORDS = {"xai": ["xai", "grok"]}

#: Single-model corrections, each backed by a dataset or a provider page: `set` replaces fields,
#: `pricing` merges into the prices (None removes one), `note` is added to source.note, `ack`
#: adds acknowledged differences. Applied last, after successors and bases are settled.
CURATED: dict[str, dict[str, Any]] = {
    "openrouter/auto": {
        # Kabot's id keeps the api id `auto`; OpenRouter's slug for the router is `openrouter/auto`.
        "set": {"litellm_id": "openrouter/openrouter/auto", "context_window": 2000000,
                "source": {"url": "https://openrouter.ai/openrouter/auto", "checked": dt.date(2026, 11, 26),
                           "note": ("Kabot's id; neither LiteLLM nor genai-prices lists it. OpenRouter's page gives the slug "
                                    "`openrouter/auto` (litellm_id sends that) and a 2,000,000-token context; no price: "
                                    "each call is billed at the routed model's rate")}},
    },
    "mistral/codestral-2508": {
        "set": {"context_window": 256000},
        "note": "context window 256000 from genai-prices mistral:codestral-2508; LiteLLM says 128000",
        "ack": [{"dataset": "litellm", "field": "context_window",
                 "reason": "Codestral 25.08 takes 256k tokens (genai-prices 0.2.3 mistral:codestral-2508: 256000); LiteLLM's 128000 is an older Codestral's",
                 "source": "https://docs.mistral.ai/models/model-cards/codestral-25-08"}],
    },
    "mistral/codestral-latest": {
        "set": {"context_window": 256000},
        "note": "context window 256000 from genai-prices mistral:codestral (LiteLLM cites the Codestral 25.08 card and says 128000)",
        "ack": [{"dataset": "litellm", "field": "context_window",
                 "reason": "codestral-latest serves Codestral 25.08 (LiteLLM's own source), which takes 256k tokens (genai-prices 0.2.3 mistral:codestral-2508 and mistral:codestral: 256000)",
                 "source": "https://docs.mistral.ai/models/model-cards/codestral-25-08"}],
    },
    "mistral/open-mistral-nemo": {
        "pricing": {"input_1m": 0.15, "output_1m": 0.15, "cache_read_1m": None},
        "note": ("prices 0.15/0.15 from genai-prices mistral:mistral-nemo (Mistral's price since its 2024 cut); LiteLLM's 0.3/0.3 is the launch price, "
                 "and its cache read 0.03 was derived from that, so cache_read_1m is left out"),
        "ack": [{"dataset": "litellm", "field": f, "reason": "Mistral NeMo is 0.15/0.15 per 1M tokens (genai-prices 0.2.3 mistral:mistral-nemo); LiteLLM keeps the old 0.3",
                 "source": "https://mistral.ai/pricing/api"} for f in ("pricing.input_1m", "pricing.output_1m")],
    },
    "mistral/mistral-tiny": {"set": {"status": "deprecated"}, "note": "deprecated per genai-prices mistral:mistral-tiny (no date in either dataset)"},
    "mistral/magistral-medium-latest": {"note": MISTRAL_LATEST_NOTE.format(gp="magistral-medium", card="the Mistral Medium 3.5 card")},
    "mistral/magistral-small-latest": {"note": MISTRAL_LATEST_NOTE.format(gp="magistral-small", card="the Mistral Small 4 card")},
    "mistral/devstral-small-latest": {"note": MISTRAL_LATEST_NOTE.format(gp="devstral-small", card="the Devstral Small 2 (25.12) card")},
    "mistral/mistral-medium-3-5": {"note": "LiteLLM dates this id's shutdown but not `mistral-medium-3.5`'s (same card); neither dataset says the dotted id goes too"},
    "mistral/mistral-large-2512": {"note": "LiteLLM dates this id's shutdown but not `mistral-large-3`'s (same card); neither dataset says the alias goes too"},
    "mistral/mistral-large-latest": {"note": ("LiteLLM gives this id Mistral Large 3's figures and card; neither dataset says it serves "
                                              "mistral-large-4 yet, so the flagship mark is on mistral/mistral-large-4")},
    "xai/grok-code-fast-1": {**GROK_CODE_FAST_1, "set": {k: v for k, v in GROK_CODE_FAST_1["set"].items() if k != "successor"}},
    "xai/grok-code-fast": GROK_CODE_FAST_1,
    "xai/grok-code-fast-1-0825": GROK_CODE_FAST_1,
    "minimax/MiniMax-M2.5": MINIMAX_CTX,
    "minimax/MiniMax-M2.5-lightning": MINIMAX_CTX,
    "minimax/MiniMax-M2.1": MINIMAX_CTX,
    "minimax/MiniMax-M2.1-lightning": MINIMAX_CTX,
    "minimax/MiniMax-M2.5-Lightning": {"note": ("the same model as `minimax/MiniMax-M2.5-lightning` (the id differs in case only); "
                                                "its price is MiniMax's for that id, but a base's price is never inherited")},
    **{f"zai/{mid}": {"pricing": {"cache_read_1m": cr}, "note": f"cache read {cr} from genai-prices zai:{gp} (LiteLLM has none)"}
       for mid, gp, cr in (("glm-4.5", "GLM-4.5", 0.11), ("glm-4.5-air", "GLM-4.5-Air", 0.03), ("glm-4.5-airx", "GLM-4.5-AirX", 0.22),
                           ("glm-4.5-x", "GLM-4.5-X", 0.45), ("glm-4.5v", "GLM-4.5V", 0.11))},
    "groq/openai/gpt-oss-safeguard-20b": {
        "pricing": {"cache_read_1m": 0.0375},
        "note": "cache read 0.0375 (half the input price) from genai-prices groq:openai/gpt-oss-safeguard-20b; LiteLLM's 0.037 is truncated",
        "ack": [{"dataset": "litellm", "field": "pricing.cache_read_1m",
                 "reason": "Groq bills cached input at half of 0.075, 0.0375 (genai-prices 0.2.3 groq:openai/gpt-oss-safeguard-20b); LiteLLM's 3.7e-08 drops a digit",
                 "source": "https://console.groq.com/docs/models"}],
    },
    "together/Qwen/Qwen3.8-2.4T-A95B": {"note": ("genai-prices together:Qwen/Qwen3.8-2.4T-A95B gives cache read 0.5; LiteLLM (Together's "
                                                  "model API) 0.25 is kept: no provider page settles it. Successor is LiteLLM's (Together's deprecations page)")},
    "together/meta-llama/Llama-3.3-70B-Instruct-Turbo": {"note": ("genai-prices together gives 0.88/0.88; LiteLLM (Together's model API) "
                                                                  "1.04 is kept: no provider page settles it")},
    "together/mistralai/Mixtral-8x7B-Instruct-v0.1": {"note": ("genai-prices together gives 0.9/0.9; LiteLLM (Together's model API) "
                                                               "0.6 is kept: no provider page settles it")},
    "cerebras/llama-3.1-8b": {"set": {"status": "retired", "deprecation_date": dt.date(2026, 5, 27)},
                              "note": ("the same model as cerebras/llama3.1-8b, which LiteLLM retires on 2026-05-27 and genai-prices "
                                       "says Cerebras no longer lists")},
    "cerebras/llama-3.1-70b": {"note": "an old id that is likely retired, but neither dataset says so"},
    "cerebras/zai-glm-4.7": {"set": {"status": "retired", "deprecation_date": dt.date(2026, 8, 17)},
                             "note": "retired: Cerebras deprecated it on 2026-08-17 and dropped it from its catalog (genai-prices, citing https://inference-docs.cerebras.ai/support/change-log)"},
    "cerebras/gemma-4-31b": {"set": {"status": "deprecated"},
                             "note": "deprecated per genai-prices cerebras:gemma-4-31b (Cerebras' public model API no longer lists it; no date)"},
    "openrouter/qwen/qwen2.5-vl-72b-instruct": {"note": "OpenRouter also lists the model as `qwen/qwen-2.5-vl-72b-instruct`, which genai-prices prices differently (0.6/0.6)"},
    "openrouter/qwen/qwen-2.5-vl-72b-instruct": {"note": "OpenRouter also lists the model as `qwen/qwen2.5-vl-72b-instruct`, which genai-prices prices differently"},
    "nebius/nvidia/Llama-3.1-Nemotron-Ultra-253B-v1": {"note": ("Nebius' catalog page spells this model `nvidia/Llama-3_1-Nemotron-Ultra-253B-v1` "
                                                                 "(131072 tokens); LiteLLM lists both spellings")},
    "openrouter/anthropic/claude-sonnet-4-5": {"note": ("OpenRouter spells this model `anthropic/claude-sonnet-4.5` (priced there); "
                                                         "the `or-sonnet` alias now points at `openrouter/anthropic/claude-sonnet-5.5`")},
    "openrouter/qwen/qwen-2.5-vl-72b-instruct:free": {"note": ("OpenRouter's free listing of this model is `qwen/qwen2.5-vl-72b-instruct:free` "
                                                                "(genai-prices), where the `or-qwen-vl` alias now points")},
    "together/moonshotai/Kimi-K2.5": {"note": ("its base moonshot/kimi-k2.5 is retired; LiteLLM's together_ai/kimi-latest is "
                                               "together_ai/moonshotai/Kimi-K3, where the `together-kimi` alias now points")},
    "anthropic/claude-sonnet-4-5": {"note": ("no long-context tier: genai-prices' >200k tier describes usage before the 1M-context beta "
                                             "was retired on 2026-04-30; requests over 200k now fail")},
    "anthropic/claude-sonnet-4-5-20250929": {"note": ("no long-context tier: genai-prices' >200k tier describes usage before the 1M-context beta "
                                                      "was retired on 2026-04-30; requests over 200k now fail")},
    "google/gemini-4-argon": {"note": ("max_output is LiteLLM's gemini figure (equal to the context window); LiteLLM's opencode_go and kyma "
                                       "entries give 65536, but no first-party figure is in either dataset")},
    "google/gemini-2.5-flash": {"set": {"successor": "google/gemini-3.8-flash"},
                                "note": ("successor: LiteLLM's gemini entry names gemini-3.5-flash-lite (a Flash-Lite model); its vertex_ai "
                                         "entry for the same model names gemini-3.8-flash, the same family")},
}

#: Providers whose long-context price starts AT a threshold (">= N"), where LiteLLM's `_above_<N>k_tokens`
#: keys give N: the catalog's tier fires on "more than", so it is written as N - 1.
INCLUSIVE_TIERS = {
    "xai": (200000, "https://docs.x.ai/developers/pricing",
            "xAI bills prompts of 200k tokens or more at the long-context rate (its pricing table reads \">= 200k tokens\"; "
            "genai-prices x-ai:grok-4.7 and grok-build-0.1 use 199999 for the same reason)"),
}

#: Display names the datasets get wrong and no rule fixes (genai-prices' own slips, bare family names).
NAMES = {
    "google/gemini-1.5-pro": "Gemini 1.5 Pro",
    "openai/o4-mini": "o4-mini",  # genai-prices calls it "o4 Mini High"
    "google/gemini-omni-1.1-flash": "Gemini Omni 1.1 Flash",
    "deepseek/deepseek-v3": "DeepSeek V3",
    "deepseek/deepseek-reasoner": "DeepSeek Reasoner",
}

#: Curated flagships.
PREMIUM = {"anthropic/claude-opus-5-5", "anthropic/claude-fable-5-1", "openai/gpt-6-astra", "openai/gpt-6.1-sol",
           "google/gemini-4-argon", "xai/grok-4.7", "moonshot/kimi-k3.1-pro", "zai/glm-5.3", "dashscope/qwen3.8-max",
           "deepseek/deepseek-v4-pro", "mistral/mistral-large-4", "minimax/MiniMax-M3"}
RECOMMENDED = {
    "openai": ["gpt-6.1-sol", "gpt-6-luna", "gpt-5.4-mini"], "anthropic": ["claude-sonnet-5-5", "claude-opus-5-5", "claude-haiku-5-5"],
    "google": ["gemini-pro-latest", "gemini-flash-latest", "gemini-flash-lite-latest"], "mistral": ["mistral-large-latest", "mistral-medium-latest"],
    "deepseek": ["deepseek-v4-pro", "deepseek-v4-flash"], "moonshot": ["kimi-k3", "kimi-k2.7-code"], "xai": ["grok-4.7", "grok-build-0.1"],
    "dashscope": ["qwen3.8-max", "qwen3.8-flash"], "zai": ["glm-5.3", "glm-5.3-flash"], "minimax": ["MiniMax-M3"],
    "perplexity": ["sonar-pro", "sonar"], "cohere": ["command-a-plus-05-2026"], "xiaomi": ["mimo-v2.6-pro", "mimo-v2.6-flash"],
}


GENAI_PRICE_FIELDS = (("input_mtok", "input_1m"), ("output_mtok", "output_1m"), ("cache_read_mtok", "cache_read_1m"),
                      ("cache_write_mtok", "cache_write_1m"))


def describe_prices(prices: dict[str, Any] | None) -> str:
    """`input 2, output 12, cache read 0.2 (above 200000: input 4, ...)` for a note."""
    if not prices:
        return "no prices"
    words = {"input_1m": "input", "output_1m": "output", "cache_read_1m": "cache read", "cache_write_1m": "cache write"}
    text = ", ".join(f"{w} {prices[k]}" for k, w in words.items() if k in prices)
    for tier in prices.get("tiers") or []:
        text += f" (above {tier['above_input_tokens']}: " + ", ".join(f"{w} {tier[k]}" for k, w in words.items() if k in tier) + ")"
    return text


def gp_name(name: str | None, api_id: str) -> str:
    """A genai-prices name in the catalog's style: tidied (`o3 Mini` -> `o3-mini`), and rebuilt from the id
    when genai-prices gives a lower-case, spaced-out one (`gpt 4o mini` -> `GPT-4o mini`; a vendor's own
    lower-case spelling such as `gpt-oss-120b` stays)."""
    name = (name or "").strip()
    if not name:
        return display_name(api_id)
    if name == name.lower() and " " in name and "-" not in name.split(" ")[0]:
        return display_name(api_id)
    return tidy_name(name)


def _norm(model: str) -> str:
    return re.sub(r"[._]", "-", model.lower())


class Builder:
    """Collects provider blocks and model entries, then writes one file per provider."""

    def __init__(self, kabot_dir: Path, checked: dt.date) -> None:
        self.kabot_dir = kabot_dir
        self.checked = checked
        self.lmap = load_litellm_map()
        self.genai = {p.id: p for p in load_genai_providers()}
        self.providers: dict[str, dict[str, Any]] = {}
        self.models: dict[str, dict[str, dict[str, Any]]] = {}
        self.litellm_successor: dict[str, str] = {}
        self.ll_version = dataset_version("litellm")
        self.gp_version = dataset_version("genai-prices")

    # -- providers ---------------------------------------------------------------------------
    def load_providers(self) -> None:
        with open(self.kabot_dir / "providers.tsv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        for row in rows:
            pid, aliases = RENAMES.get(row["name"], (row["name"], PROVIDER_ALIASES.get(row["name"], [])))
            extra = EXTRA.get(pid, {})
            kind = "local" if row["is_local"] == "yes" else "gateway" if row["is_gateway"] == "yes" else "first-party"
            kind = extra.get("kind", kind)
            api: dict[str, Any] = {}
            if row["default_api_base"] or extra.get("base_url"):
                api["base_url"] = row["default_api_base"] or extra["base_url"]
            api["flavor"] = extra.get("flavor", "openai")
            if row["detect_by_base_keyword"]:
                api["base_url_keyword"] = row["detect_by_base_keyword"]
            auth: dict[str, Any] = {"env": [row["env_key"]] if row["env_key"] else []}
            if extra.get("header"):
                auth["header"] = extra["header"]
            if row["detect_by_key_prefix"]:
                auth["key_prefix"] = row["detect_by_key_prefix"]
            if extra.get("required") is False:
                auth["required"] = False
            litellm: dict[str, Any] = {}
            if row["litellm_prefix"]:
                litellm["prefix"] = row["litellm_prefix"]
            if row["skip_prefixes"]:
                litellm["skip_prefixes"] = row["skip_prefixes"].split()
            if row["strip_model_prefix"] == "yes":
                litellm["strip_model_prefix"] = True
            block: dict[str, Any] = {"name": row["display_name"]}
            if aliases:
                block["aliases"] = aliases
            block["kind"] = kind
            block["api"] = api
            block["auth"] = auth
            if litellm:
                block["litellm"] = litellm
            block["keywords"] = row["keywords"].split() + [k for k in EXTRA_KEYWORDS.get(pid, ()) if k not in row["keywords"].split()]
            for k in ("docs_url", "pricing_url"):
                if extra.get(k):
                    block[k] = extra[k]
            self.providers[pid] = block
        for pid, spec in NEW_PROVIDERS.items():
            if pid in self.providers:
                continue
            block = {k: v for k, v in spec.items() if k != "api_kw"}
            if spec.get("api_kw"):
                block["api"] = {**block["api"], "base_url_keyword": spec["api_kw"]}
            self.providers[pid] = block
        for pid in self.providers:
            self.models.setdefault(pid, {})

    # -- models from LiteLLM -----------------------------------------------------------------
    def litellm_models(self) -> None:
        # first-party providers first, so gateway entries can find their `base`
        order = FIRST_PARTY + [p for p in LITELLM_SOURCES if p not in FIRST_PARTY]
        for pid in order:
            prefix = (self.providers[pid].get("litellm") or {}).get("prefix")
            key_prefix = KEY_PREFIX.get(pid, prefix)
            for ll_provider, keep in LITELLM_SOURCES[pid]:
                for key, info in self.lmap.items():
                    if info.get("litellm_provider") != ll_provider or info.get("mode") not in ("chat", "responses"):
                        continue
                    if keep is not None and not keep(key):
                        continue
                    api_id = api_id_for(key, key_prefix)
                    if not MODEL_ID.match(api_id) or api_id in self.models[pid]:
                        continue
                    entry = entry_from_litellm(key, info, checked=self.checked)
                    if "pricing" not in entry and "context_window" not in entry:
                        continue  # nothing to offer beyond the id
                    derived = f"{prefix}/{api_id}" if prefix else api_id
                    if key != derived:
                        entry["litellm_id"] = key
                    if entry.pop("_successor", None):
                        self.litellm_successor[f"{pid}/{api_id}"] = info["successor_model"]
                    full = f"{pid}/{api_id}"
                    base = self.find_base(pid, api_id)
                    if base:
                        entry = {"base": base, **entry}
                    else:
                        entry = {"name": self.name_for(pid, api_id), **entry}
                    self.models[pid][api_id] = entry
                    _ = full

    def name_for(self, pid: str, api_id: str) -> str:
        gp = GENAI_PROVIDER.get(pid)
        if gp and gp in self.genai:
            try:
                model = self.genai[gp].find_model(api_id)
            except Exception:  # noqa: BLE001 - genai-prices' matcher is not ours to trust blindly
                model = None
            if model is not None and model.name and _norm(model.id) == _norm(api_id):
                return gp_name(model.name, api_id)
        return display_name(api_id)

    def find_base(self, pid: str, api_id: str) -> str | None:
        """The first-party entry a gateway/cloud entry offers, when the id says so unambiguously."""
        if pid in FIRST_PARTY:
            return None
        parts = api_id.split("/")
        model = parts[-1].removeprefix("hf:")
        vendor = parts[-2].lower().removeprefix("hf:") if len(parts) >= 2 else None
        candidates = [VENDORS[vendor]] if vendor in VENDORS else ([] if vendor else FIRST_PARTY)
        hits = []
        for fp in candidates:
            for fid in self.models.get(fp, {}):
                if _norm(fid.rsplit("/", 1)[-1]) == _norm(model):
                    hits.append(f"{fp}/{fid}")
        return hits[0] if len(hits) == 1 else None

    # -- models from genai-prices ------------------------------------------------------------
    def genai_entry(self, gp: str, model: Any, api_id: str, *, exact: bool = True) -> dict[str, Any]:
        provider = self.genai[gp]
        url = (provider.pricing_urls or [GENAI_PRICES_REPO_URL])[0]
        entry: dict[str, Any] = {}
        if model.context_window:
            entry["context_window"] = model.context_window
        pricing, since, history, price_notes = self.genai_pricing(model)
        if api_id.endswith(":free") and pricing is None:
            pricing = {"input_1m": 0, "output_1m": 0, "free": True}
        if pricing:
            if since:
                pricing["since"] = since
            if history:
                pricing["history"] = history
            entry["pricing"] = pricing
        note = f"figures from genai-prices {self.gp_version} provider `{gp}` model `{model.id}`"
        if model.price_comments:
            note += "; genai-prices: " + model.price_comments.split(". ")[0].rstrip(".")
        if price_notes:
            note += "; " + "; ".join(price_notes)
        entry["source"] = {"url": url, "checked": self.checked, "note": note}
        return entry

    def genai_pricing(self, model: Any) -> tuple[dict[str, Any] | None, dt.date | None, list[dict[str, Any]], list[str]]:
        """(current prices with tiers, their start date, earlier dated prices, notes) of a genai-prices model.

        genai-prices tries a model's conditional prices last to first: a dated price applies from its
        start date, the undated first price before every dated one (from a day it does not record).
        The format's history needs a start date and records no tiers and no future or time-of-day
        prices, so what it cannot hold is written into the notes instead of being dropped silently.
        """
        from genai_prices.types import ModelPrice, StartDateConstraint, TimeOfDateConstraint

        if isinstance(model.prices, ModelPrice):
            return self.genai_price_set(model.prices), None, [], []
        notes: list[str] = []
        dated = sorted(((c.constraint.start_date, c.prices) for c in model.prices
                        if isinstance(c.constraint, StartDateConstraint) and c.constraint.start_date <= self.checked),
                       key=lambda x: x[0])
        future = sorted(((c.constraint.start_date, c.prices) for c in model.prices
                         if isinstance(c.constraint, StartDateConstraint) and c.constraint.start_date > self.checked),
                        key=lambda x: x[0])
        undated = [c.prices for c in model.prices if c.constraint is None]
        for c in model.prices:
            if isinstance(c.constraint, TimeOfDateConstraint):
                notes.append(f"genai-prices has a time-of-day price {describe_prices(self.genai_price_set(c.prices))} "
                             f"from {c.constraint.start_time:%H:%M} to {c.constraint.end_time:%H:%M} UTC, which the format cannot hold")
        for day, mp in future:
            notes.append(f"genai-prices schedules {describe_prices(self.genai_price_set(mp))} from {day}; "
                         "the format records no future price")
        if not dated:
            return (self.genai_price_set(undated[0]) if undated else None), None, [], notes
        current_since, current = dated[-1]
        history = []
        for day, mp in dated[:-1]:
            prices = self.genai_price_set(mp) or {}
            if prices.pop("tiers", None):
                notes.append(f"the price from {day} had long-context tiers, which a history entry cannot hold")
            if prices:
                history.append({"since": day, **prices})
        if undated and self.genai_price_set(undated[0]):
            notes.append(f"before {dated[0][0]} genai-prices records {describe_prices(self.genai_price_set(undated[0]))} "
                         "with no start date, so it is not a history entry (a history entry needs its first day)")
        return self.genai_price_set(current), current_since, history, notes

    def genai_price_set(self, mp: Any) -> dict[str, Any] | None:
        """The base prices and tiers of one genai-prices ModelPrice, or None when it has none."""
        out: dict[str, Any] = {}
        for src, dst in GENAI_PRICE_FIELDS:
            v = genai_number(getattr(mp, src, None))
            if v is not None:
                out[dst] = v
        tiers = self.genai_tiers(mp)
        if out and tiers:
            out["tiers"] = tiers
        return out or None

    def genai_tiers(self, mp: Any) -> list[dict[str, Any]]:
        tiers: dict[int, dict[str, Any]] = {}
        for src, dst in GENAI_PRICE_FIELDS:
            value = getattr(mp, src, None)
            for tier in getattr(value, "tiers", None) or []:
                tiers.setdefault(tier.start, {"above_input_tokens": tier.start})[dst] = genai_number(tier.price)
        return [tiers[t] for t in sorted(tiers)]

    def openrouter_models(self) -> None:
        gp = self.genai["openrouter"]
        for model in gp.models:
            mid = model.id
            if not mid.startswith(OPENROUTER_VENDORS) or mid.endswith(":batch") or not MODEL_ID.match(mid):
                continue
            self.add_openrouter(mid, model)

    def add_openrouter(self, api_id: str, model: Any) -> None:
        entry = self.genai_entry("openrouter", model, api_id)
        base = self.find_base("openrouter", api_id.removesuffix(":free"))
        if base:
            head: dict[str, Any] = {"base": base}
            if model.name:
                head["name"] = gp_name(model.name, api_id)
            entry = {**head, **entry}
        else:
            entry = {"name": gp_name(model.name, api_id), **entry}
        self.models["openrouter"][api_id] = entry

    # -- Kabot ids ---------------------------------------------------------------------------
    def kabot_ids(self) -> None:
        ids = [line.strip() for line in open(self.kabot_dir / "catalog-ids.txt", encoding="utf-8") if line.strip()]
        for full in ids:
            pid, api_id = full.split("/", 1)
            if api_id in self.models.setdefault(pid, {}):
                continue
            self.models[pid][api_id] = self.kabot_entry(full, pid, api_id)

    def kabot_entry(self, full: str, pid: str, api_id: str) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        base = KABOT_BASES.get(full) if full in KABOT_BASES else self.find_base(pid, api_id)
        if base and self.exists(base):
            entry["base"] = base
        gp = GENAI_PROVIDER.get(pid)
        gmodel = None
        if gp:
            try:
                gmodel = self.genai[gp].find_model(api_id)
            except Exception:  # noqa: BLE001
                gmodel = None
        if gmodel is not None:
            entry.update(self.genai_entry(gp, gmodel, api_id))
            if "base" not in entry:
                entry = {"name": gp_name(gmodel.name, api_id), **entry}
            if gmodel.deprecated:
                entry["status"] = "deprecated"
        else:
            if "base" not in entry:
                entry["name"] = display_name(api_id)
            if pid == "openrouter" and api_id.endswith(":free"):
                pass  # a :free id genai-prices does not list: its price is unknown, not free
            url = self.providers[pid].get("pricing_url") or self.providers[pid].get("docs_url") or (
                self.providers[pid].get("api") or {}).get("base_url") or GENAI_PRICES_REPO_URL
            note = "Kabot's id; neither LiteLLM nor genai-prices lists it, so only its name is curated"
            if "base" in entry:
                note = (f"Kabot's id; neither LiteLLM nor genai-prices lists it. Figures are inherited from `{entry['base']}`: "
                        "its price is left out (a base's price is never inherited, and this provider's own price is in neither dataset)")
            entry["source"] = {"url": url, "checked": self.checked, "note": note}
        if full in RETIRED_KABOT:
            entry["status"] = "retired"
            entry["source"]["note"] += f"; retired: not in LiteLLM {self.ll_version}'s map of the current lineup"
        if pid == "synthetic" and api_id.startswith("hf:"):
            entry["open_weights"] = True
            entry["source"]["note"] += f"; open weights: the id names the Hugging Face repo https://huggingface.co/{api_id[3:]}"
        return entry

    def exists(self, full: str) -> bool:
        pid, api_id = full.split("/", 1)
        return api_id in self.models.get(pid, {})

    # -- curation ------------------------------------------------------------------------------
    def curate(self) -> None:
        # successors LiteLLM names, when that model is in the catalog
        for full, succ in self.litellm_successor.items():
            pid, api_id = full.split("/", 1)
            entry = self.models[pid][api_id]
            prefix = (self.providers[pid].get("litellm") or {}).get("prefix")
            target = f"{pid}/{api_id_for(succ, KEY_PREFIX.get(pid, prefix))}"
            if self.exists(target) and target != full:
                entry["successor"] = target
            else:
                entry["source"]["note"] += f"; LiteLLM names successor `{succ}`, which this catalog does not list"
        for pid, models in self.models.items():
            for api_id, entry in models.items():
                base = entry.get("base")
                if base and "context_window" in entry and "max_output" not in entry:
                    inherited = self.get(base).get("max_output")
                    if inherited and inherited > entry["context_window"]:
                        entry["source"]["note"] += (f"; its context window {entry['context_window']} is below the max_output "
                                                    f"{inherited} it would inherit from `{base}`, so both are left to the base")
                        del entry["context_window"]
        for full, fix in CURATED.items():
            self.apply_fix(full, fix)
        for full, name in NAMES.items():
            if "name" in self.get(full):
                self.get(full)["name"] = name
        self.follow_successors()
        self.inclusive_tiers()
        self.drop_unreachable_tiers()
        self.genai_schedule_notes()
        for full in PREMIUM:
            self.get(full)["is_premium"] = True
        for full, acks in ACKNOWLEDGED.items():
            self.get(full).setdefault("acknowledged", []).extend(acks)
        for pid, ids in RECOMMENDED.items():
            self.providers[pid]["recommended"] = [i for i in ids if i in self.models[pid]]
        self.aliases()

    def note(self, entry: dict[str, Any], text: str) -> None:
        entry["source"]["note"] = (entry["source"].get("note", "") + "; " + text).lstrip("; ")

    def apply_fix(self, full: str, fix: dict[str, Any]) -> None:
        """One CURATED correction."""
        entry = self.get(full)
        for key, value in (fix.get("set") or {}).items():
            entry[key] = value
        if fix.get("pricing"):
            pricing = entry.setdefault("pricing", {})
            for key, value in fix["pricing"].items():
                if value is None:
                    pricing.pop(key, None)
                else:
                    pricing[key] = value
            order = ["input_1m", "output_1m", "cache_read_1m", "cache_write_1m"]
            entry["pricing"] = {**{k: pricing[k] for k in order if k in pricing}, **{k: v for k, v in pricing.items() if k not in order}}
        if fix.get("note"):
            self.note(entry, fix["note"])
        if fix.get("ack"):
            entry.setdefault("acknowledged", []).extend(fix["ack"])

    def follow_successors(self) -> None:
        """A successor that is itself retired is replaced by the first non-retired model down its chain."""
        for models in self.models.values():
            for entry in models.values():
                succ, seen = entry.get("successor"), []
                while succ and self.exists(succ) and self.get(succ).get("status") == "retired" and self.get(succ).get("successor") \
                        and succ not in seen:
                    seen.append(succ)
                    succ = self.get(succ)["successor"]
                if seen:
                    entry["successor"] = succ
                    self.note(entry, f"successor: the named successor `{seen[0]}` is retired too; followed its successors to `{succ}`")

    def inclusive_tiers(self) -> None:
        for pid, (threshold, url, why) in INCLUSIVE_TIERS.items():
            for entry in self.models[pid].values():
                tiers = (entry.get("pricing") or {}).get("tiers") or []
                if "LiteLLM" in entry["source"].get("note", "") and any(t["above_input_tokens"] == threshold for t in tiers):
                    for t in tiers:
                        if t["above_input_tokens"] == threshold:
                            t["above_input_tokens"] = threshold - 1
                    self.note(entry, f"tier threshold {threshold - 1}, not LiteLLM's {threshold}: {why}, {url}")

    def context_of(self, entry: dict[str, Any]) -> int | None:
        while entry is not None:
            if entry.get("context_window"):
                return entry["context_window"]
            entry = self.get(entry["base"]) if entry.get("base") and self.exists(entry["base"]) else None
        return None

    def drop_unreachable_tiers(self) -> None:
        """A tier whose threshold is not below the context window can never apply: left out, with a note."""
        for models in self.models.values():
            for entry in models.values():
                tiers = (entry.get("pricing") or {}).get("tiers")
                ctx = self.context_of(entry)
                if not tiers or not ctx:
                    continue
                keep = [t for t in tiers if t["above_input_tokens"] < ctx]
                if len(keep) < len(tiers):
                    dropped = ", ".join(str(t["above_input_tokens"]) for t in tiers if t not in keep)
                    self.note(entry, f"the dataset's tier above {dropped} input tokens is left out: the context window is {ctx}, so it never applies")
                    if keep:
                        entry["pricing"]["tiers"] = keep
                    else:
                        del entry["pricing"]["tiers"]

    def genai_schedule_notes(self) -> None:
        """LiteLLM-priced first-party entries: name genai-prices' future and time-of-day prices for the same id."""
        for pid in FIRST_PARTY:
            gp = self.genai.get(GENAI_PROVIDER.get(pid) or "")
            if gp is None:
                continue
            by_id = {_norm(m.id): m for m in gp.models}
            for api_id, entry in self.models[pid].items():
                model = by_id.get(_norm(api_id))
                if model is None or "LiteLLM" not in entry["source"].get("note", "") or isinstance(model.prices, type(None)):
                    continue
                _, _, _, notes = self.genai_pricing(model)
                extra = [n for n in notes if n.startswith(("genai-prices schedules", "genai-prices has a time-of-day"))]
                if extra:
                    self.note(entry, "; ".join(n.replace("genai-prices", f"genai-prices `{gp.id}:{model.id}`", 1) for n in extra))

    def get(self, full: str) -> dict[str, Any]:
        pid, api_id = full.split("/", 1)
        return self.models[pid][api_id]

    def aliases(self) -> None:
        with open(self.kabot_dir / "aliases.tsv", encoding="utf-8") as fh:
            rows = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
        targets = {alias: target for alias, target in rows}
        for alias, target in ALIAS_TARGETS.items():
            targets[alias] = target
        targets.update(NEW_ALIASES)
        for alias, target in targets.items():
            if target is None:
                continue
            entry = self.get(target)
            entry.setdefault("aliases", []).append(alias)

    # -- writing -------------------------------------------------------------------------------
    def write(self, out_dir: Path) -> None:
        from io import StringIO

        from ruamel.yaml.comments import CommentedMap

        y = yaml_rt()
        y.representer.ignore_aliases = lambda *_: True
        out_dir.mkdir(parents=True, exist_ok=True)
        for old in out_dir.glob("*.yaml"):
            old.unlink()
        for pid in sorted(self.providers):
            doc = CommentedMap()
            doc["provider"] = to_yaml_node(self.providers[pid])
            models = CommentedMap()
            for api_id in sorted(self.models[pid], key=lambda a: sort_key(a)):
                models[api_id] = to_yaml_node(order_entry(self.models[pid][api_id]))
            doc["models"] = models
            buf = StringIO()
            y.dump(doc, buf)
            (out_dir / f"{pid}.yaml").write_text(SCHEMA_LINE + "\n" + buf.getvalue(), encoding="utf-8")


ENTRY_ORDER = ["name", "description", "base", "mode", "context_window", "max_output", "pricing", "capabilities",
               "input_modalities", "output_modalities", "release_date", "knowledge_cutoff", "status", "deprecation_date",
               "successor", "aliases", "is_premium", "open_weights", "litellm_id", "source", "acknowledged"]


def order_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """Keys in the catalog's reading order."""
    return {k: entry[k] for k in ENTRY_ORDER if k in entry}


def sort_key(api_id: str) -> tuple[Any, ...]:
    """Family first, then newest (highest version) first: `claude-opus-5-5` before `claude-opus-4-6`."""
    family = re.sub(r"[\d.]+", "#", api_id.lower())
    numbers = [-int(n) for n in re.findall(r"\d+", api_id)]
    return (family.split("#")[0], numbers, api_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kabot", type=Path, default=ROOT.parent / "shared" / "kabot", help="directory with providers.tsv, catalog-ids.txt, aliases.tsv")
    parser.add_argument("--checked", type=dt.date.fromisoformat, default=dt.date.today(), help="the check date to write")
    args = parser.parse_args(argv)
    if not (args.kabot / "providers.tsv").is_file():
        print(f"error: no providers.tsv in {args.kabot}; pass --kabot DIR", file=sys.stderr)
        return 1
    b = Builder(args.kabot, args.checked)
    b.load_providers()
    b.litellm_models()
    b.openrouter_models()
    b.kabot_ids()
    b.curate()
    b.write(ROOT / "catalog" / "providers")
    print(f"wrote {len(b.providers)} providers, {sum(len(m) for m in b.models.values())} models")
    return 0


if __name__ == "__main__":
    sys.exit(main())
