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
# Text shown in a terminal: no control characters (an escape sequence could retitle or clear the
# screen) and no bidirectional overrides (which make text read differently than it is stored).
_UNSAFE = r"\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
NAME_PATTERN = rf"^[^{_UNSAFE}\n]+$"
TEXT_PATTERN = rf"^[^{_UNSAFE}]*$"

#: What each pattern asks for, in words (validation messages quote this, not the regex).
PATTERN_HELP = {
    MODEL_ID_PATTERN: "a model id is letters, digits and . _ : / @ + - (no spaces, no '../')",
    ALIAS_PATTERN: "an alias is lower-case letters, digits and . _ : + - (no '/', no spaces)",
    PROVIDER_ID_PATTERN: "a provider id is lower-case letters, digits and -",
    FULL_ID_PATTERN: "a full id is <provider id>/<model id>",
    MONTH_PATTERN: "write YYYY-MM or YYYY-MM-DD",
    NAME_PATTERN: "text here may not hold tabs, newlines, control characters or bidirectional overrides",
    TEXT_PATTERN: "text here may not hold control characters or bidirectional overrides",
}

