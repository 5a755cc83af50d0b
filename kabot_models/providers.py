"""Kabot's provider layer, answered from the catalog: `PROVIDERS`, `find_by_model`, `find_gateway`, `find_by_name`.

Each provider is a `ProviderSpec` with the field names of Kabot's own spec, mapped from the catalog's
provider block (env_key = auth.env[0], is_gateway = kind == gateway, detect_by_key_prefix =
auth.key_prefix, ...). The three routing fields (litellm_prefix, skip_prefixes, default_api_base)
are the LiteLLM bridge's `provider_route`, so code that builds LiteLLM strings from a spec reaches
the same place `kabot_models.litellm.route` does. Every lookup is a few dict hits on indices built
once per registry: no call scans the models. Building the specs imports LiteLLM (once per process).

The module functions answer from `loader.default_registry()` (the packaged catalog unless
`set_default_registry` says otherwise); `ProviderIndex(registry)` answers from any registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .registry import Registry

_WORD = re.compile(r"[a-z0-9]+")
_ALPHA = re.compile(r"[a-z]+")
_URL_CHUNK = re.compile(r"[a-z0-9.-]+")


@dataclass(frozen=True)
class ProviderSpec:
    """One provider, as Kabot's provider registry described it."""

    name: str
    """Provider id (the catalog file's name): `google` and `zai` where Kabot said `gemini` and `zhipu`,
    which are in `aliases`."""
    display_name: str
    env_key: str
    """The preferred environment variable for the key ("" when the provider takes none)."""
    default_api_base: str
    """The base URL to pass LiteLLM: the catalog's `api.base_url`, or "" when LiteLLM's default for
    `litellm_prefix` is the same server (or the catalog has none)."""
    litellm_prefix: str
    """The LiteLLM provider prefix: the catalog's `litellm.prefix`, else LiteLLM's own provider for the
    API (`xai`, `veniceai`, `cerebras`), else the one speaking its flavour (`anthropic`, `openai`)."""
    skip_prefixes: tuple[str, ...]
    """Model strings starting with one of these are passed unchanged (the catalog's, plus a derived
    prefix's own `prefix/`)."""
    keywords: tuple[str, ...]
    is_gateway: bool
    is_local: bool
    strip_model_prefix: bool
    detect_by_key_prefix: str
    detect_by_base_keyword: str
    aliases: tuple[str, ...] = ()
    """Other ids the catalog knows the provider by (`gemini` for `google`, `zhipu` for `zai`)."""

    @property
    def names(self) -> tuple[str, ...]:
        """The id, then the aliases: the keys a Kabot config section for this provider may have."""
        return (self.name, *self.aliases)

    @classmethod
    def from_block(cls, block: dict[str, Any]) -> ProviderSpec:
        """The spec of a compiled provider block."""
        from .litellm import provider_route

        api, auth, lite = block.get("api", {}), block.get("auth", {}), block.get("litellm", {})
        kind = block.get("kind", "first-party")
        route = provider_route(block)
        return cls(
            name=block["id"],
            display_name=block.get("name", block["id"]),
            env_key=(auth.get("env") or [""])[0],
            default_api_base=route.api_base or "",
            litellm_prefix=route.prefix,
            skip_prefixes=route.skip_prefixes,
            keywords=tuple(block.get("keywords", ())),
            is_gateway=kind == "gateway",
            is_local=kind == "local",
            strip_model_prefix=bool(lite.get("strip_model_prefix")),
            detect_by_key_prefix=auth.get("key_prefix") or "",
            detect_by_base_keyword=api.get("base_url_keyword") or "",
            aliases=tuple(block.get("aliases", ())),
        )


def _keyword_key(keyword: str) -> str:
    """A keyword as the token index holds it: lower case, words joined by `-` (`openai-codex`)."""
    return "-".join(_WORD.findall(keyword.lower()))


def _model_tokens(model: str) -> list[str]:
    """The keys a model name can match: its words, their letter runs (`gpt4o` -> `gpt`), and word pairs
    and triples (for keywords of several words)."""
    words = _WORD.findall(model.lower())
    out = list(words)
    for word in words:
        out.extend(_ALPHA.findall(word))
    for size in (2, 3):
        out.extend("-".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return out


def _url_tokens(url: str) -> list[str]:
    """The keys an API base URL can match: each host or path chunk, its dot-suffixes and its labels."""
    out: list[str] = []
    for chunk in _URL_CHUNK.findall(url.lower()):
        labels = chunk.split(".")
        out.extend(".".join(labels[i:]) for i in range(len(labels)))
        for label in labels:
            out.extend(label.split("-"))
    return out


class ProviderIndex:
    """Every provider of one registry as `ProviderSpec`s, with the indices the lookups use."""

    def __init__(self, registry: Registry) -> None:
        blocks = sorted(registry.provider_records(), key=lambda b: (b.get("priority", 100), b["id"]))
        self.specs: list[ProviderSpec] = [ProviderSpec.from_block(b) for b in blocks]
        """Every provider, lowest `priority` first."""
        self._by_name: dict[str, ProviderSpec] = {}
        self._by_keyword: dict[str, ProviderSpec] = {}
        self._by_key_prefix: dict[str, ProviderSpec] = {}
        self._by_base_keyword: dict[str, ProviderSpec] = {}
        for spec in self.specs:
            for name in (spec.name, *spec.aliases):
                self._by_name.setdefault(name, spec)
            if not (spec.is_gateway or spec.is_local):
                for kw in spec.keywords:
                    if _keyword_key(kw):
                        self._by_keyword.setdefault(_keyword_key(kw), spec)
            # Keys and base URLs recognise gateways and local providers only (what `find_gateway` answers).
            if (spec.is_gateway or spec.is_local) and spec.detect_by_key_prefix:
                self._by_key_prefix.setdefault(spec.detect_by_key_prefix, spec)
            if (spec.is_gateway or spec.is_local) and spec.detect_by_base_keyword:
                self._by_base_keyword.setdefault(spec.detect_by_base_keyword.lower().strip("/"), spec)
        self._key_prefix_lengths = sorted({len(p) for p in self._by_key_prefix}, reverse=True)

    def find_by_name(self, name: str) -> ProviderSpec | None:
        """The provider with this id or alias (`_` and `-` alike, as in Kabot's config keys), or None."""
        return self._by_name.get(name) or self._by_name.get(name.lower().replace("_", "-"))

    def find_by_model(self, model: str) -> ProviderSpec | None:
        """The standard (not gateway, not local) provider a model name points at: by its `provider/`
        prefix, else by a keyword in the name (the longest keyword wins: `openai-codex` over `openai`)."""
        if "/" in model:
            spec = self.find_by_name(model.split("/", 1)[0])
            if spec is not None and not (spec.is_gateway or spec.is_local):
                return spec
        best: ProviderSpec | None = None
        best_len = 0
        for token in _model_tokens(model):
            spec = self._by_keyword.get(token)
            if spec is not None and len(token) > best_len:
                best, best_len = spec, len(token)
        return best

    def find_gateway(
        self, provider_name: str | None = None, api_key: str | None = None, api_base: str | None = None
    ) -> ProviderSpec | None:
        """The gateway or local provider in use: named directly, else recognised by the key's prefix,
        else by a keyword of the API base URL (a host label, a dot-suffix of the host, or a path part).
        Every way answers gateways and local providers only, so they agree: `xai`, first-party in the
        catalog, is found neither by name nor by `https://api.x.ai/v1`."""
        if provider_name:
            spec = self.find_by_name(provider_name)
            if spec is not None and (spec.is_gateway or spec.is_local):
                return spec
        if api_key:
            for length in self._key_prefix_lengths:
                spec = self._by_key_prefix.get(api_key[:length])
                if spec is not None:
                    return spec
        if api_base:
            for token in _url_tokens(api_base):
                spec = self._by_base_keyword.get(token)
                if spec is not None:
                    return spec
        return None


_INDEX: list[tuple[Registry, ProviderIndex]] = []


def provider_index() -> ProviderIndex:
    """The index of the process-wide registry (rebuilt when `set_default_registry` changes it)."""
    from .loader import default_registry

    registry = default_registry()
    if not _INDEX or _INDEX[0][0] is not registry:
        _INDEX[:] = [(registry, ProviderIndex(registry))]
    return _INDEX[0][1]


def find_by_name(name: str) -> ProviderSpec | None:
    """The provider with this id or alias, or None."""
    return provider_index().find_by_name(name)


def find_by_model(model: str) -> ProviderSpec | None:
    """The standard provider a model name points at (by prefix, then keyword), or None."""
    return provider_index().find_by_model(model)


def find_gateway(provider_name: str | None = None, api_key: str | None = None, api_base: str | None = None) -> ProviderSpec | None:
    """The gateway or local provider named, or recognised by key prefix or API base URL, or None."""
    return provider_index().find_gateway(provider_name, api_key, api_base)


def __getattr__(name: str) -> Any:
    # `PROVIDERS` is computed from the catalog on first access, like the rest of the package.
    if name == "PROVIDERS":
        return tuple(provider_index().specs)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
