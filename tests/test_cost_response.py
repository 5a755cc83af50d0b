"""`cost_from_response` and `kabot-models cost --response`: saved responses from each API, and bodies it must refuse."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from cli_runner import run_cli
from kabot_models.errors import PricingError
from kabot_models.usage import read_usage

RESPONSES = Path(__file__).resolve().parent.parent / "conformance" / "cost" / "responses"

# (file, extra CLI arguments, --at, expected total worked out by hand in conformance/cost/*.json)
SAVED = [
    ("openai-chat-completions.json", [], "2026-12-01T12:00Z", "0.005175"),
    ("openai-responses.json", [], "2026-12-01T12:00Z", "0.132"),
    ("anthropic-messages.json", [], "2026-12-01T12:00Z", "0.08125"),
    ("anthropic-messages-fast.json", [], "2026-12-01T12:00Z", "0.035"),
    ("gemini-generate-content.json", [], "2026-12-01T12:00Z", "0.0928"),
    ("openrouter-chat-completions.json", [], None, "0.033"),  # prices with no start date: priced now
    ("deepseek-chat-completions.json", [], "2026-12-01T02:30Z", "0.013464"),
    ("cerebras-chat-completions.json", ["--provider", "cerebras"], None, "0.001075"),
]


@pytest.mark.parametrize(("name", "extra", "at", "total"), SAVED, ids=[s[0] for s in SAVED])
def test_cli_prices_a_saved_response_from_each_api(name: str, extra: list[str], at: str | None, total: str) -> None:
    when = ["--at", at] if at else []
    res = run_cli(["cost", "--response", str(RESPONSES / name), *when, "--json", *extra])
    assert res.exit_code == 0, res.output + res.stderr
    assert json.loads(res.output)["total"] == total
    text = run_cli(["cost", "--response", str(RESPONSES / name), *when, *extra])
    assert text.exit_code == 0 and f"${total}" in text.output


def test_usage_split_per_api() -> None:
    chat = read_usage((RESPONSES / "openai-chat-completions.json").read_bytes())
    assert (chat.api, chat.input_tokens, chat.cache_read_tokens, chat.output_tokens, chat.reasoning_tokens, chat.service_tier) == (
        "openai-chat", 4000, 8000, 500, 1000, "flex")
    resp = read_usage((RESPONSES / "openai-responses.json").read_bytes())
    assert (resp.api, resp.input_tokens, resp.web_searches, resp.service_tier) == ("openai-responses", 15000, 1, "priority")
    msg = read_usage((RESPONSES / "anthropic-messages.json").read_bytes())
    assert (msg.cache_write_tokens, msg.cache_write_1h_tokens, msg.web_searches, msg.region) == (1000, 2000, 2, "global")
    assert read_usage((RESPONSES / "anthropic-messages-fast.json").read_bytes()).service_tier == "fast"
    gem = read_usage((RESPONSES / "gemini-generate-content.json").read_bytes())
    assert (gem.api, gem.model, gem.input_tokens, gem.reasoning_tokens, gem.web_searches) == ("gemini", "gemini-4-argon", 6000, 1400, 2)
    assert read_usage((RESPONSES / "openrouter-chat-completions.json").read_bytes()).provider == "openrouter"
    assert read_usage((RESPONSES / "deepseek-chat-completions.json").read_bytes()).cache_read_tokens == 6000


def test_python_api_prices_from_text_and_dict() -> None:
    from kabot_models import load_registry
    from kabot_models.cost import cost_from_response

    body = (RESPONSES / "anthropic-messages.json").read_text()
    registry = load_registry()
    assert cost_from_response(body, at="2026-12-01T12:00Z", registry=registry).total == Decimal("0.08125")
    assert cost_from_response(json.loads(body), at="2026-12-01T12:00Z").total == Decimal("0.08125")


def test_stdin(tmp_path) -> None:
    body = (RESPONSES / "openai-responses.json").read_text()
    res = run_cli(["cost", "--response", "-", "--at", "2026-12-01T12:00Z", "--json"], input=body)
    assert res.exit_code == 0 and json.loads(res.output)["total"] == "0.132"


def _chat(usage: object, **extra: object) -> str:
    return json.dumps({"object": "chat.completion", "model": "gpt-6-sol", "usage": usage, **extra})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json {", "response body is not JSON"),
        ("[1, 2]", "is a JSON list, not an object"),
        ("[" * 100_000 + "]" * 100_000, "response body is"),
        (json.dumps({"object": "chat.completion", "model": "gpt-6-sol"}), "has no usage block"),
        (json.dumps({"usage": {"prompt_tokens": 1}}), "has no `model`"),
        (_chat("lots"), "usage is a str, not an object"),
        (_chat({"prompt_tokens": "12"}), "usage.prompt_tokens is '12', not a whole number"),
        (_chat({"prompt_tokens": -5}), "out of range"),
        (_chat({"prompt_tokens": True}), "not a whole number"),
        (_chat({"prompt_tokens": 1.5}), "not a whole number"),
        (_chat({"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 20}}), "more than the 10"),
        (_chat({"prompt_tokens": 10, "prompt_tokens_details": []}), "prompt_tokens_details is a list"),
        (_chat({"prompt_tokens": 10}, service_tier=["flex"]), "service_tier is not a short text"),
        (json.dumps({"model": "x", "usage": {"foo": 1}}), "none of the fields of a known API"),
        (json.dumps({"type": "message", "model": "claude-opus-5", "usage": {"input_tokens": 1, "cache_creation_input_tokens": 5,
                     "cache_creation": {"ephemeral_5m_input_tokens": 1, "ephemeral_1h_input_tokens": 1}}}), "splits 2 tokens"),
        (json.dumps({"modelVersion": "gemini-4-argon", "usageMetadata": {"promptTokenCount": 1}, "candidates": {"a": 1}}), "candidates is a dict, not a list"),
    ],
)
def test_unreadable_bodies_are_one_line_errors(body: str, message: str) -> None:
    with pytest.raises(PricingError) as info:
        read_usage(body)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_oversized_body_is_refused(tmp_path) -> None:
    from kabot_models.usage import MAX_BODY_BYTES

    with pytest.raises(PricingError, match="more than the"):
        read_usage(b" " * (MAX_BODY_BYTES + 1))
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_BODY_BYTES + 1))
    res = run_cli(["cost", "--response", str(big)])
    assert res.exit_code == 1 and "larger than" in res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cost", "--response", "/nonexistent/r.json"], "cannot read /nonexistent/r.json"),
        (["cost", "gpt-6-sol", "--response", str(RESPONSES / "openai-responses.json")], "--response takes the model"),
        (["cost", "--response", str(RESPONSES / "openai-responses.json"), "--input", "5"], "--response takes the model"),
        (["cost", "--response", str(RESPONSES / "cerebras-chat-completions.json"), "--provider", "nosuch"], "unknown provider 'nosuch'"),
        (["cost", "--input", "5"], "give a model, or --response FILE"),
        (["cost", "gpt-6-sol", "--input", "5", "--provider", "openai"], "--provider goes with --response"),
        (["cost", "--response", str(RESPONSES / "deepseek-chat-completions.json"), "--at", "2026-12-01"], "give a time"),
    ],
)
def test_cli_response_errors(args: list[str], message: str) -> None:
    res = run_cli(args)
    assert res.exit_code == 1, res.output
    assert message in res.stderr and "Traceback" not in res.output + res.stderr


def test_model_not_in_catalog(tmp_path) -> None:
    body = tmp_path / "r.json"
    body.write_text(json.dumps({"object": "chat.completion", "model": "my-finetune-7b", "usage": {"prompt_tokens": 1, "completion_tokens": 1}}))
    res = run_cli(["cost", "--response", str(body)])
    assert res.exit_code == 1 and "the response's model 'my-finetune-7b'" in res.stderr


def test_a_named_provider_is_never_swapped_for_another() -> None:
    """The first-party price is not a stand-in for a gateway's: under provider=openrouter, claude-opus-5 is not found."""
    from kabot_models.cost import cost_from_response

    with pytest.raises(PricingError, match="not in the catalog under provider 'openrouter'"):
        cost_from_response((RESPONSES / "anthropic-messages.json").read_bytes(), provider="openrouter", at="2026-12-01T12:00Z")
