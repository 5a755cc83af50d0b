"""Every error the package raises on purpose: each one a message a person can act on."""

from __future__ import annotations

from collections import namedtuple


class KabotModelsError(Exception):
    """Base of the package's errors; the CLI prints their message on one line and exits non-zero."""


# A named tuple, not a dataclass: this module is on every import path, and dataclasses pulls in
# inspect (~12 ms on a bare interpreter, the whole budget of `load_registry().resolve(...)`).
class CatalogIssue(namedtuple("CatalogIssue", "file line column where message")):
    """One defect in a catalog file, with its place: `file:line:col: where: message`."""

    __slots__ = ()

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{self.line}:{self.column}:{where} {self.message}"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"file": self.file, "line": self.line, "column": self.column, "where": self.where, "message": self.message}


class CatalogError(KabotModelsError):
    """The catalog did not validate; `issues` lists every defect found in the run."""

    def __init__(self, issues: list[CatalogIssue]) -> None:
        self.issues = issues
        first = str(issues[0]) if issues else "invalid catalog"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(first + more)


class ConfigError(KabotModelsError):
    """The user's config file is broken: the message names the file and the place."""


class ResolutionError(KabotModelsError, LookupError):
    """A name could not be turned into exactly one model."""


class UnknownModelError(ResolutionError):
    """No model answers to the name; `suggestions` holds the closest ids."""

    def __init__(self, name: str, suggestions: list[str] | None = None, reason: str | None = None) -> None:
        self.name = name
        self.suggestions = suggestions or []
        msg = reason or f"unknown model {name!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class AmbiguousModelError(ResolutionError):
    """Several models answer to the name; `candidates` lists them."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} is ambiguous: " + ", ".join(candidates) + "; use the full id")


class RoutingError(KabotModelsError):
    """A model cannot be called through LiteLLM as configured: the message names the provider and the fix."""


class ExtraMissing(KabotModelsError, ImportError):
    """A feature needs an optional dependency that is not installed: the message names the extra to install."""


class PricingError(KabotModelsError, ValueError):
    """A call cannot be priced: a bad token count, a date before any known price, or a missing price."""


class CredentialsError(KabotModelsError):
    """The credentials file cannot be read or written; the message names the file, never a key."""


class ScanError(KabotModelsError):
    """A provider's list-models API could not be read: the message is one line naming the reason."""


class StoreError(KabotModelsError):
    """The scan database cannot be opened, read or written: the message names the file and why."""


class UnsafeFileError(KabotModelsError):
    """A file or directory of the user's that another user owns or could change: it is refused, as
    ssh refuses such files, and the message says how to fix it."""
