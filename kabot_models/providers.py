"""Kabot's provider layer, answered from the catalog: `PROVIDERS`, `ProviderSpec`, `find_by_model`,
`find_by_name`, `find_gateway`, with the meaning Kabot's own `kabot/providers/registry.py` gave them.

Each catalog provider is one `ProviderSpec` with the fields Kabot reads. `name` is Kabot's name
for the provider (its `providers.<name>` config section): the catalog's `kabot.name` where that is
set (`gemini` for google, `zhipu` for zai), else the provider id, which stays in `provider_id`.
`PROVIDERS` is in Kabot's order (the catalog's `kabot.order`; providers Kabot does not know follow,
by id), because Kabot matches a model to a configured key by walking it. Every field comes from
the catalog's provider block alone: building the specs reads no model and imports no LiteLLM.

The module functions answer from `loader.default_registry()` (the packaged catalog unless
`set_default_registry` says otherwise); `ProviderIndex(registry)` answers from any registry.
"""

from __future__ import annotations

from collections import namedtuple
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from .registry import Registry

_UNORDERED = 1 << 30
"""Sort key of a provider without `kabot.order`: after every ordered one."""

_SPEC_FIELDS = (
    "name", "keywords", "env_key", "display_name", "litellm_prefix", "skip_prefixes", "env_extras", "is_gateway",
    "is_local", "detect_by_key_prefix", "detect_by_base_keyword", "default_api_base", "strip_model_prefix",
    "model_overrides", "provider_id", "aliases",
)


class ProviderSpec(namedtuple("ProviderSpec", _SPEC_FIELDS, defaults=("", "", (), (), False, False, "", "", "", False, (), "", ()))):
    """One provider as Kabot's provider registry describes it: Kabot's fields, in Kabot's order, with
    Kabot's defaults (immutable, like Kabot's frozen dataclass), and two more at the end.

    - `name`: Kabot's name, its config section `providers.<name>` (`-` as `_`); the provider id
      unless the catalog's `kabot.name` says otherwise.
    - `keywords`: lower-case substrings of a model name that point at this provider.
    - `env_key`: the environment variable LiteLLM reads the key from; None when the provider takes none.
    - `display_name`; `litellm_prefix`: LiteLLM's provider prefix put before a model id ("" for none);
      `skip_prefixes`: model strings starting with one of these are left as they are.
    - `env_extras`: more environment variables, (name, value with `{api_key}` / `{api_base}` in it).
    - `is_gateway`: routes other companies' models (the catalog's kind `gateway`); `is_local`.
    - `detect_by_key_prefix`, `detect_by_base_keyword`: a key starting with, or a base URL containing, this.
    - `default_api_base`: the catalog's API base URL ("" when LiteLLM's default is used).
    - `strip_model_prefix`: drop the `provider/` part of a model string before calling.
    - `model_overrides`: (lower-case part of a model id, LiteLLM parameters that model needs).
    - `provider_id`: the catalog's provider id (`google` where `name` is `gemini`); `aliases`: its other ids.
    """

    __slots__ = ()

    @property
    def label(self) -> str:
        """What Kabot shows for the provider: the display name, else the name in title case."""
        return self.display_name or self.name.title()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the provider answers to: Kabot's, the catalog id, then the catalog's aliases."""
        return tuple(dict.fromkeys((self.name, self.provider_id or self.name, *self.aliases)))

    @classmethod
    def from_block(cls, block: dict[str, Any]) -> ProviderSpec:
        """The spec of a compiled provider block."""
        api, auth, lite = block.get("api") or {}, block.get("auth") or {}, block.get("litellm") or {}
        kind = block.get("kind", "first-party")
        return cls(
            name=(block.get("kabot") or {}).get("name") or block["id"],
            keywords=tuple(k.lower() for k in block.get("keywords", ())),
            env_key=(auth.get("env") or [None])[0],
            display_name=block.get("name") or "",
            litellm_prefix=lite.get("prefix") or "",
            skip_prefixes=tuple(lite.get("skip_prefixes", ())),
            env_extras=tuple((auth.get("env_extras") or {}).items()),
            is_gateway=kind == "gateway",
            is_local=kind == "local",
            detect_by_key_prefix=auth.get("key_prefix") or "",
            detect_by_base_keyword=api.get("base_url_keyword") or "",
            default_api_base=api.get("base_url") or "",
            strip_model_prefix=bool(lite.get("strip_model_prefix")),
            model_overrides=tuple((k.lower(), dict(v)) for k, v in (lite.get("model_params") or {}).items()),
            provider_id=block["id"],
            aliases=tuple(block.get("aliases", ())),
        )


def _order(block: dict[str, Any]) -> tuple[int, str]:
    return ((block.get("kabot") or {}).get("order") or _UNORDERED, block["id"])


class ProviderIndex:
    """Every provider of one registry as `ProviderSpec`s, in Kabot's order, with a name index."""

    def __init__(self, registry: Registry) -> None:
        self.specs: tuple[ProviderSpec, ...] = tuple(
            ProviderSpec.from_block(b) for b in sorted(registry.provider_records(), key=_order)
        )
        """Every provider, in Kabot's order."""
        self._by_name: dict[str, ProviderSpec] = {}
        # Kabot's names first, so no catalog id or alias can take one (a name means one provider).
        for names_of in (lambda s: (s.name,), lambda s: (s.provider_id,), lambda s: s.aliases):
            for spec in self.specs:
                for name in names_of(spec):
                    self._by_name.setdefault(name, spec)
        # Kabot matches by walking PROVIDERS; these are the same walks with the skipped specs left out.
        self._standard = tuple(s for s in self.specs if not (s.is_gateway or s.is_local))
        self._detectable = tuple(
            s for s in self.specs if (s.is_gateway or s.is_local) and (s.detect_by_key_prefix or s.detect_by_base_keyword)
        )

    def find_by_name(self, name: str) -> ProviderSpec | None:
        """The provider with this Kabot name, catalog id or catalog alias, or None."""
        return self._by_name.get(name)

    def find_by_model(self, model: str) -> ProviderSpec | None:
        """The first standard (not gateway, not local) provider in Kabot's order with a keyword the
        lower-cased model name contains, or None: Kabot's rule, so `qwen-portal/coder-model` is
        DashScope's and `openrouter/anthropic/claude-sonnet-4-5` is Anthropic's."""
        lowered = model.lower()
        for spec in self._standard:
            if any(kw in lowered for kw in spec.keywords):
                return spec
        return None

    def find_gateway(
        self, provider_name: str | None = None, api_key: str | None = None, api_base: str | None = None
    ) -> ProviderSpec | None:
        """The gateway or local provider in use: the one named, else the first in Kabot's order whose
        key prefix starts `api_key` or whose base keyword is in `api_base`; None for a standard provider."""
        if provider_name:
            spec = self.find_by_name(provider_name)
            if spec is not None and (spec.is_gateway or spec.is_local):
                return spec
        for spec in self._detectable:
            if api_key and spec.detect_by_key_prefix and api_key.startswith(spec.detect_by_key_prefix):
                return spec
            if api_base and spec.detect_by_base_keyword and spec.detect_by_base_keyword in api_base:
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
    """The provider with this Kabot name, catalog id or alias, or None."""
    return provider_index().find_by_name(name)


def find_by_model(model: str) -> ProviderSpec | None:
    """The standard provider a model name points at by keyword (Kabot's order), or None."""
    return provider_index().find_by_model(model)


def find_gateway(provider_name: str | None = None, api_key: str | None = None, api_base: str | None = None) -> ProviderSpec | None:
    """The gateway or local provider named, or recognised by key prefix or API base URL, or None."""
    return provider_index().find_gateway(provider_name, api_key, api_base)


def __getattr__(name: str) -> Any:
    # `PROVIDERS` is computed from the catalog on first access, like the rest of the package.
    if name == "PROVIDERS":
        return provider_index().specs
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
