"""The text patterns of ids, aliases and names: one definition for the schema, the resolver and the scanner.

Kept apart from `schema` (which imports pydantic) so the resolve path can check a name cheaply.
Patterns are ECMA-262 compatible, so stock JSON Schema validators agree with ours.
"""

# Each starts with `(?!.*\n)`: Python's `$` (which jsonschema and pydantic use) also matches before a
# final newline, so without it `"gpt-4o\n"` would pass.
MODEL_ID_PATTERN = r"^(?!.*\n)(?!.*\.\./)[A-Za-z0-9][A-Za-z0-9._:/@+-]*$"
ALIAS_PATTERN = r"^(?!.*\n)[a-z0-9][a-z0-9._:+-]*$"
PROVIDER_ID_PATTERN = r"^(?!.*\n)[a-z0-9][a-z0-9-]*$"
FULL_ID_PATTERN = r"^(?!.*\n)[a-z0-9][a-z0-9-]*/(?!.*\.\./)[A-Za-z0-9][A-Za-z0-9._:/@+-]*$"
MONTH_PATTERN = r"^(?!.*\n)[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
#: A month alone, for a release date its source gives no closer than the month.
RELEASE_MONTH_PATTERN = r"^(?!.*\n)[0-9]{4}-(0[1-9]|1[0-2])$"
# Text shown in a terminal: no control characters (an escape sequence could retitle or clear the
# screen), no bidirectional controls (which make text read differently than it is stored), and no
# invisible characters (zero-width spaces and joiners, word joiners, the byte-order mark) or line and
# paragraph separators, which make two different names look alike or break a line where none shows.
_UNSAFE = (r"\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
           r"\u2066-\u206f\ufeff\ufff9-\ufffb")
NAME_PATTERN = rf"^[^{_UNSAFE}\n]+$"
TEXT_PATTERN = rf"^[^{_UNSAFE}]*$"

MAX_NAME_LENGTH = 512
"""Longest model name or full id: the resolver refuses longer input before any lookup, and the
schema keeps every catalogued full id within it (`MAX_MODEL_ID_LENGTH`), so the two agree."""
MAX_PROVIDER_ID_LENGTH = 64
"""Longest provider id (or provider alias)."""
MAX_MODEL_ID_LENGTH = MAX_NAME_LENGTH - MAX_PROVIDER_ID_LENGTH - 1
"""Longest model id under `models:`: with the longest provider id and the `/`, still a name the resolver takes."""
MAX_ALIAS_LENGTH = 64
"""Longest alias, the catalog's and the user's."""


def printable(text: str) -> str:
    """`text` safe to echo on a terminal in one line: control, invisible and bidirectional characters
    (and newlines) written as Python escapes (`\\x1b`, `\\n`, `\\u202e`)."""
    import re

    return re.sub(rf"[{_UNSAFE}\n]", lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


#: What each pattern asks for, in words (validation messages quote this, not the regex).
PATTERN_HELP = {
    MODEL_ID_PATTERN: "a model id is letters, digits and . _ : / @ + - (no spaces, no '../')",
    ALIAS_PATTERN: "an alias is lower-case letters, digits and . _ : + - (no '/', no spaces)",
    PROVIDER_ID_PATTERN: "a provider id is lower-case letters, digits and -",
    FULL_ID_PATTERN: "a full id is <provider id>/<model id>",
    MONTH_PATTERN: "write YYYY-MM or YYYY-MM-DD",
    NAME_PATTERN: "text here may not hold tabs, newlines, control characters, invisible (zero-width) characters or bidirectional overrides",
    TEXT_PATTERN: "text here may not hold control characters, invisible (zero-width) characters, line separators or bidirectional overrides",
}

