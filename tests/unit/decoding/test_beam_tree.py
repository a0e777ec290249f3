"""Beam search: the output is transformers' own, and the recorded tree agrees with what beam search did."""

import pytest
import torch

from playground.decoding import runner
from playground.core.prompts import build_prompt
from playground.decoding.strategies import DecodingSettings, generate_kwargs_for


def reference(loaded, prompt_ids, settings):
    ids = torch.tensor([prompt_ids])
    return loaded.model.generate(
        ids, attention_mask=torch.ones_like(ids), pad_token_id=loaded.tokenizer.pad_token_id,
        return_dict_in_generate=True, output_scores=True, **generate_kwargs_for("beam", settings),
    )


def check_against_generate(loaded, text, settings):
    prompt = build_prompt(loaded.tokenizer, text)
    result = runner.run_beam(loaded, prompt.input_ids, settings)
    ref = reference(loaded, prompt.input_ids, settings)
    expected = ref.sequences[0, len(prompt.input_ids) :].tolist()
    assert result.token_ids == expected[: len(result.token_ids)]
    assert result.sequence_score == pytest.approx(float(ref.sequences_scores[0]), abs=1e-4)
    tree = result.beam_tree
    # The returned sequence's cumulative log-prob, length-normalised as transformers does, is its score.
    final = tree.nodes[tuple(result.token_ids)]
    assert final.returned and final.status == "finished"
    assert final.score / len(result.token_ids) ** settings.length_penalty == pytest.approx(
        result.sequence_score, abs=1e-4
    )
    # What the recorder says lives on at step t is exactly what beam search handed in at step t + 1.
    for step in range(len(tree.live_prefixes) - 1):
        kept = {n.tokens for n in tree.candidates(step) if n.status == "kept"}
        assert set(tree.live_prefixes[step + 1]) == kept
        assert len(tree.candidates(step)) == 2 * settings.num_beams
    return result


@pytest.mark.parametrize("length_penalty,early_stopping", [(1.0, True), (0.0, False), (2.0, True)])
def test_tiny_beam_equals_generate(tiny, length_penalty, early_stopping):
    settings = DecodingSettings(max_new_tokens=10, num_beams=3, length_penalty=length_penalty,
                                early_stopping=early_stopping)
    check_against_generate(tiny, "The weather today", settings)


def test_embedded_beam_equals_generate_and_prunes(smollm2):
    settings = DecodingSettings(max_new_tokens=24, num_beams=4)
    result = check_against_generate(smollm2, "Explain in one sentence why the sky is blue.", settings)
    statuses = {n.status for n in result.beam_tree.nodes.values()}
    assert {"kept", "pruned"} <= statuses
