"""Run several decoding strategies on one prompt and trace every step.

All sampling-family strategies (greedy included, as top-k=1) share one batched `generate` call with per-row
warpers; beam search runs as transformers' own beam search with a recorder attached. Every number shown per
token comes from the scores `generate` itself returned.
"""

import time

import torch
from transformers import LogitsProcessorList, NoRepeatNGramLogitsProcessor, RepetitionPenaltyLogitsProcessor

from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.core.seeded import seeded
from playground.decoding.beam_tree import BeamTreeRecorder
from playground.decoding.contrastive import contrastive_search
from playground.decoding.per_row import PerRowLogitsWarper
from playground.decoding.results import Comparison, StrategyResult, trace_steps
from playground.decoding.strategies import SAMPLING_FAMILY, DecodingSettings, validate, warpers_for


def _cut_at_eos(ids: list[int], eos: set[int]) -> tuple[list[int], str]:
    """Keep the tokens up to and including the first EOS; what follows is padding."""
    for i, token in enumerate(ids):
        if token in eos:
            return ids[: i + 1], "eos"
    return ids, "length"


def _shared_generate_kwargs(loaded: LoadedModel, s: DecodingSettings) -> dict:
    return dict(
        max_new_tokens=s.max_new_tokens,
        repetition_penalty=s.repetition_penalty,
        no_repeat_ngram_size=s.no_repeat_ngram_size,
        pad_token_id=loaded.tokenizer.pad_token_id,
        return_dict_in_generate=True,
        output_scores=True,
        output_logits=True,
    )


def run_sampling_batch(loaded: LoadedModel, prompt_ids: list[int], names: list[str], s: DecodingSettings):
    """Every sampling-family strategy in one `generate` call: row i samples with strategy names[i]."""
    input_ids = torch.tensor([prompt_ids] * len(names), device=loaded.model.device)
    processor = PerRowLogitsWarper([warpers_for(name, s) for name in names])
    with seeded(s.seed), torch.inference_mode():  # torch's global generator, in turns (see core/seeded.py)
        start = time.perf_counter()
        out = loaded.model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            do_sample=True,
            # Neutralise generate's own warpers (top_k defaults to 50): each row brings its own.
            temperature=1.0, top_k=0, top_p=1.0, typical_p=1.0, epsilon_cutoff=0.0, eta_cutoff=0.0,
            logits_processor=LogitsProcessorList([processor]),
            **_shared_generate_kwargs(loaded, s),
        )
        seconds = time.perf_counter() - start
    eos, start_at = loaded.eos_token_ids, len(prompt_ids)
    results = []
    for row, name in enumerate(names):
        ids, stop = _cut_at_eos(out.sequences[row, start_at:].tolist(), eos)
        raw = [step[row] for step in out.logits[: len(ids)]]
        used = [step[row] for step in out.scores[: len(ids)]]
        results.append(
            StrategyResult(
                name=name,
                text=loaded.tokenizer.decode(ids, skip_special_tokens=True),
                steps=trace_steps(loaded.tokenizer, ids, raw, used),
                stop_reason=stop,
                seconds=seconds,
                batched_with=[n for n in names if n != name],
            )
        )
    return results


def run_beam(loaded: LoadedModel, prompt_ids: list[int], s: DecodingSettings) -> StrategyResult:
    """transformers' own beam search, with a recorder that keeps the tree of hypotheses it ranked."""
    input_ids = torch.tensor([prompt_ids], device=loaded.model.device)
    eos = loaded.eos_token_ids
    recorder = BeamTreeRecorder(len(prompt_ids), s.num_beams, eos, s.max_new_tokens)
    with torch.inference_mode():
        start = time.perf_counter()
        out = loaded.model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            do_sample=False,
            num_beams=s.num_beams,
            length_penalty=s.length_penalty,
            early_stopping=s.early_stopping,
            logits_processor=LogitsProcessorList([recorder]),
            **_shared_generate_kwargs(loaded, s),
        )
        seconds = time.perf_counter() - start
    ids, stop = _cut_at_eos(out.sequences[0, len(prompt_ids) :].tolist(), eos)
    beams = out.beam_indices[0, : len(ids)].tolist()  # which flattened beam row produced each token
    raw = [out.logits[t][beam] for t, beam in enumerate(beams)]
    used = [out.scores[t][beam] for t, beam in enumerate(beams)]
    recorder.tree.mark_returned(tuple(ids))
    return StrategyResult(
        name="beam",
        text=loaded.tokenizer.decode(ids, skip_special_tokens=True),
        steps=trace_steps(loaded.tokenizer, ids, raw, used),
        stop_reason=stop,
        seconds=seconds,
        beam_tree=recorder.tree,
        sequence_score=round(float(out.sequences_scores[0]), 6),
    )


def run_contrastive(loaded: LoadedModel, prompt_ids: list[int], s: DecodingSettings) -> StrategyResult:
    """Contrastive search (playground.contrastive), with the shared modifiers as transformers' own processors."""
    processors = LogitsProcessorList()
    if s.repetition_penalty != 1.0:
        processors.append(RepetitionPenaltyLogitsProcessor(s.repetition_penalty))
    if s.no_repeat_ngram_size > 0:
        processors.append(NoRepeatNGramLogitsProcessor(s.no_repeat_ngram_size))
    start = time.perf_counter()
    eos = loaded.eos_token_ids
    ids, raw, used = contrastive_search(
        loaded.model, prompt_ids, s.contrastive_k, s.penalty_alpha, s.max_new_tokens, eos, processors
    )
    seconds = time.perf_counter() - start
    return StrategyResult(
        name="contrastive",
        text=loaded.tokenizer.decode(ids, skip_special_tokens=True),
        steps=trace_steps(loaded.tokenizer, ids, raw, used),
        stop_reason="eos" if ids and ids[-1] in eos else "length",
        seconds=seconds,
    )


def compare(
    loaded: LoadedModel,
    prompt_text: str,
    strategies: list[str],
    settings: DecodingSettings,
    use_chat_template: bool = True,
) -> Comparison:
    """Validate everything, then run each chosen strategy on the same prompt."""
    names = validate(strategies, settings)
    prompt = build_prompt(loaded.tokenizer, prompt_text, use_chat_template)
    check(
        prompt.n_tokens + settings.max_new_tokens <= loaded.context_length,
        f"The prompt ({prompt.n_tokens} tokens) plus max_new_tokens ({settings.max_new_tokens}) exceeds "
        f"{loaded.label}'s context of {loaded.context_length} tokens.",
    )
    results = []
    sampled = [n for n in names if n in SAMPLING_FAMILY]
    if sampled:
        results += run_sampling_batch(loaded, prompt.input_ids, sampled, settings)
    if "beam" in names:
        results.append(run_beam(loaded, prompt.input_ids, settings))
    if "contrastive" in names:
        results.append(run_contrastive(loaded, prompt.input_ids, settings))
    order = {name: i for i, name in enumerate(names)}
    results.sort(key=lambda r: order[r.name])
    return Comparison(loaded.label, loaded.random_weights, prompt, settings, results)
