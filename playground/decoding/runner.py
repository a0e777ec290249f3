"""Run several decoding strategies on one prompt and trace every step.

All sampling-family strategies (greedy included, as top-k=1) share one batched `generate` call, each row with
its own warpers and its own seeded generator; beam search runs as transformers' own beam search with a recorder
attached. Every number shown per token comes from the logits `generate` itself returned and the distribution each
row drew from.
"""

import threading
import time

import torch
from transformers import LogitsProcessorList

from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.decoding.batcher import BATCHER, run_pass
from playground.decoding.continuous import Request, cut_at_eos
from playground.decoding.beam_tree import BeamTreeRecorder
from playground.decoding.contrastive import contrastive_search
from playground.decoding.results import Comparison, StrategyResult, trace_steps
from playground.decoding.strategies import SAMPLING_FAMILY, DecodingSettings, shared_modifiers, validate
from playground.decoding.words import WORDS


_alone = threading.Lock()


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
    """Every sampling-family strategy of one request in one batched pass, alone: row i samples with strategy
    names[i] and its own generator seeded with the request's seed."""
    return run_pass(loaded, [Request(prompt_ids, names, s)])[0]


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
    ids, stop = cut_at_eos(out.sequences[0, len(prompt_ids) :].tolist(), eos)
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
    processors = LogitsProcessorList(shared_modifiers(s))
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
        WORDS.text("context", prompt=prompt.n_tokens, new=settings.max_new_tokens, label=loaded.label,
                   context=loaded.context_length),
    )
    results = []
    sampled = [n for n in names if n in SAMPLING_FAMILY]
    if sampled:  # merged with other requests' rows that arrive at the same moment
        results += BATCHER.run(loaded, Request(prompt.input_ids, sampled, settings))
    with _alone:  # beam and contrastive search run on their own, one at a time
        if "beam" in names:
            results.append(run_beam(loaded, prompt.input_ids, settings))
        if "contrastive" in names:
            results.append(run_contrastive(loaded, prompt.input_ids, settings))
    order = {name: i for i, name in enumerate(names)}
    results.sort(key=lambda r: order[r.name])
    return Comparison(loaded.label, loaded.random_weights, prompt, settings, results)
