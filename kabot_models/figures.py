"""When two figures for one field state the same fact.

Datasets write one fact in different ways: a price to six decimals or to nine, a context window
exactly (1,047,576) or rounded (1,000,000), in binary thousands (32,768) or decimal ones (32,000).
`sync` must not replace a precise figure with a rounder one, and `audit` must not call them a
disagreement; both ask `same_figure`.
"""

from __future__ import annotations

from typing import Any

#: Two prices this close are one price written to different precision ($0.083333 and $0.0833333333).
PRICE_PRECISION = 1e-5
#: The token-limit fields: the ones datasets round.
LIMIT_FIELDS = ("context_window", "max_input", "max_output")


def same_number(a: float, b: float) -> bool:
    """Equal up to float noise."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def same_figure(path: str, a: Any, b: Any) -> bool:
    """Whether two values of the field at `path` state the same fact.

    A price agrees within `PRICE_PRECISION`; a token limit agrees when one figure is the other
    written rounder (`rounded_limit`); anything else must be equal."""
    if not _is_number(a) or not _is_number(b):
        return bool(a == b)
    if same_number(a, b):
        return True
    if path.startswith("pricing."):
        return abs(a - b) <= PRICE_PRECISION * max(abs(a), abs(b))
    if path in LIMIT_FIELDS and float(a).is_integer() and float(b).is_integer():
        return rounded_limit(int(a), int(b)) or rounded_limit(int(b), int(a))
    return False


def rounded_limit(exact: int, rounded: int) -> bool:
    """Whether the token limit `rounded` is `exact` written rounder: the same count of binary
    thousands written as decimal ones (32,768 = 32 x 1,024 as 32,000), one less than binary
    thousands (65,535 for 65,536: the last token's index), or `exact` rounded or cut to two or
    more significant digits (1,047,576 as 1,000,000; 202,800 as 202,000)."""
    if exact <= 0 or rounded <= 0 or exact == rounded:
        return exact == rounded
    if abs(exact - rounded) == 1 and (exact % 1024 == 0 or rounded % 1024 == 0):
        return True
    for unit, binary in ((1000, 1024), (1000**2, 1024**2)):
        if exact % binary == 0 and rounded == exact // binary * unit:
            return True
    digits = len(str(exact))
    for keep in range(2, digits):
        scale = 10 ** (digits - keep)
        if rounded in (exact // scale * scale, (exact + scale // 2) // scale * scale):
            return True
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
