"""/kv_cache through gradio_client: works with its defaults alone, the ledger equals the real cache, clear errors."""

import pytest
from gradio_client.exceptions import AppError


def test_kv_cache_with_its_defaults(client):
    text, _, sharing, table, data = client.predict(api_name="/kv_cache")
    assert data["same_output"] and data["formula_bytes"] == data["real_bytes"]
    assert data["bytes_per_token"] == 45 * 1024 and len(data["ms_per_token_cached"]) == 64
    assert [row[1] for row in sharing["data"]] == [9, 3, 1]  # MHA, SmolLM2's GQA, MQA
    assert [row[0] for row in table["data"]][1:] == ["Llama-3-8B", "Qwen2.5-7B", "Mistral-7B-v0.1", "Gemma-2-9B"]
    assert "exactly equal" in text


@pytest.mark.parametrize("change,words", [
    (dict(new_tokens=100_000), "new_tokens must be between 1 and"),
    (dict(context=0), "context must be between 1"),
    (dict(batch=5000), "batch must be between 1 and 1024"),
    (dict(prompt=""), "empty"),
])
def test_bad_input_is_a_clear_error(client, change, words):
    with pytest.raises(AppError, match=words):
        client.predict(**{"model": "tiny-llama", **change}, api_name="/kv_cache")
