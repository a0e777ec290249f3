"""Continuous batching: rows join and leave a running batch between decoding steps (iteration-level scheduling).

A `Flight` holds the rows being decoded on one model, each row one strategy of one request, and runs them through
`generate` in segments. A segment ends when all its rows are done (an EOS, or their own max_new_tokens), when a
waiting request fits beside the rows still running, or when enough of its rows have stopped that the rest should
run narrower. Between segments the finished rows leave, and the newcomers
board: their prompts are prefilled (each distinct prompt once, however many rows ask for it) and their key/value
caches are left-padded and stacked beside the running rows' caches, so nothing the batch holds is computed again.
That is how vLLM schedules its batch (Orca's iteration-level scheduling, with vLLM's prefix caching at the grain of
a whole prompt); transformers' own `generate` runs every segment.

Each row keeps everything of its own across segments: its prompt, its strategy's warpers, its random generator
(per_row.py), its repetition penalty and no-repeat n-gram size (on its own tokens, padding left out) and its limit.

Example:
    flight = Flight(loaded)
    flight.board([Request(prompt_ids, ["greedy", "top_p"], settings)])
    while flight.rows:
        for request, rows in flight.step(newcomer_fits=lambda running: False):  # the requests it finished
            results = results_of(loaded, request, rows)
"""

import copy
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F
from transformers import DynamicCache, LogitsProcessor, StoppingCriteria
from transformers.cache_utils import DynamicLayer

from playground.core.models import LoadedModel
from playground.decoding.per_row import PerRowSampler
from playground.decoding.prefix import kept_prompt
from playground.decoding.results import StepNumbers, StrategyResult, trace_from
from playground.decoding.strategies import DecodingSettings, shared_modifiers, stage_values, warpers_for
from playground.decoding.timeline import Journey, Segment, Timeline


@dataclass(eq=False)
class Request:
    prompt_ids: list[int]
    names: list[str]  # its sampling-family strategies, one row each
    settings: DecodingSettings
    done: Future = field(default_factory=Future)
    alone: bool = False  # run with no company (a merged run that came near a tie, see batcher.py)
    company: tuple[int, int] = (1, 0)  # the most requests and rows it shared a segment with
    rows: list["Row"] = field(default_factory=list)  # one per strategy, finished or not
    journey: Journey | None = None  # when it arrived, boarded and finished

    def __post_init__(self):
        self.journey = Journey(self.settings.seed, len(self.prompt_ids), len(self.names))

    def met(self, requests: int, rows: int) -> None:
        self.company = (max(self.company[0], requests), max(self.company[1], rows))


@dataclass(eq=False)
class Row:
    request: Request
    name: str
    warpers: list[LogitsProcessor]  # shared by the rows of one strategy setting: the sampler warps them as one
    generator: torch.Generator
    tokens: list[int] = field(default_factory=list)
    numbers: list[StepNumbers] = field(default_factory=list)  # each token's trace figures
    margins: list[float] = field(default_factory=list)  # each step's argmax lead (per_row.py)
    stop: str | None = None  # "eos" or "length" once done
    slot: int = -1  # its batch index in the flight's cache; -1: it has just boarded

    @property
    def sequence(self) -> list[int]:
        return self.request.prompt_ids + self.tokens

    @property
    def left(self) -> int:
        return self.request.settings.max_new_tokens - len(self.tokens)


def cut_at_eos(ids: list[int], eos: set[int]) -> tuple[list[int], str]:
    """Keep the tokens up to and including the first EOS; what follows is padding."""
    for i, token in enumerate(ids):
        if token in eos:
            return ids[: i + 1], "eos"
    return ids, "length"


# A row that has stopped stays in the batch until its segment ends, a row of every step's matrix products for
# nothing (about 3 ms a row per step on SmolLM2 here). Once at least this many rows, and at least as many as still
# run, have stopped, the segment ends and the rest go on narrower: a break costs about one step (the running rows'
# caches are stacked anew), so it pays for itself within a few steps.
COMPACT_AFTER = 8


def worth_compacting(rows: int, running: int) -> bool:
    stopped = rows - running
    return stopped >= COMPACT_AFTER and stopped >= running > 0


class SegmentEnd(StoppingCriteria):
    """Ends a segment once every row is done, or as soon as a waiting request fits beside the rows still running
    (`newcomer_fits(running rows)`), so that it boards after this step instead of after the whole batch. Tells
    `stopped(rows, input_ids)` which rows stopped at each step."""

    def __init__(self, left: list[int], eos: set[int], newcomer_fits: Callable[[int], bool],
                 stopped: Callable[[list[int], torch.LongTensor], None] = lambda rows, input_ids: None):
        self.left, self.eos, self.newcomer_fits, self.stopped = list(left), eos, newcomer_fits, stopped
        self.running = [n > 0 for n in left]

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs) -> torch.BoolTensor:
        stopped = []
        for row, token in enumerate(input_ids[:, -1].tolist()):
            if self.running[row]:
                self.left[row] -= 1
                self.running[row] = self.left[row] > 0 and token not in self.eos
                if not self.running[row]:
                    stopped.append(row)
        if stopped:
            self.stopped(stopped, input_ids)
        running = sum(self.running)
        stop = running == 0 or self.newcomer_fits(running)
        return torch.full((input_ids.shape[0],), stop, dtype=torch.bool, device=input_ids.device)


class Flight:
    """The rows decoding on one model, run segment by segment."""

    def __init__(self, loaded: LoadedModel, timeline: Timeline | None = None):
        self.loaded, self.timeline = loaded, timeline
        self.rows: list[Row] = []
        self.cache: DynamicCache | None = None  # the last segment's, holding every running row's keys and values
        self.warpers: dict[tuple, list[LogitsProcessor]] = {}  # one list per strategy setting, shared by its rows
        # Stacking caches needs plain full-attention layers; a sliding-window layer keeps only its window, so such
        # a model's rows board together and run to the end.
        self.joinable = all(type(layer) is DynamicLayer for layer in DynamicCache(config=loaded.model.config).layers)

    def board(self, requests: list[Request]) -> None:
        for request in requests:
            request.journey.boarded = time.perf_counter()
            request.rows = []
            for name in request.names:
                key = (name, *stage_values(name, request.settings).items())
                generator = torch.Generator(self.loaded.model.device).manual_seed(request.settings.seed)
                warpers = self.warpers.setdefault(key, warpers_for(name, request.settings))
                request.rows.append(Row(request, name, warpers, generator))
            self.rows += request.rows

    def step(self, newcomer_fits: Callable[[int], bool],
             on_finished: Callable[[Request, list[Row]], None] | None = None) -> list[tuple[Request, list[Row]]]:
        """Run one segment; returns the requests it finished, with their rows. Each is also handed to `on_finished`
        at the step it finished, so that its caller hears at once rather than when the segment ends (a long row
        beside it could hold it there for most of the segment)."""
        rows, loaded, started = self.rows, self.loaded, time.perf_counter()
        width = max(len(r.sequence) for r in rows)
        pad, device, eos = loaded.tokenizer.pad_token_id, loaded.model.device, loaded.eos_token_ids
        input_ids = torch.tensor([[pad] * (width - len(r.sequence)) + r.sequence for r in rows], device=device)
        mask = torch.tensor([[0] * (width - len(r.sequence)) + [1] * len(r.sequence) for r in rows], device=device)
        requests = list(dict.fromkeys(r.request for r in rows))
        for request in requests:
            request.met(len(requests), len(rows))
        settled, finished = set(), []

        def settle(slots, sequences: torch.LongTensor) -> None:
            """The rows' tokens so far, with their figures, and whether they stopped; the requests all of whose
            rows are done (some may have left in an earlier segment) are finished."""
            for slot in slots:
                row = rows[slot]
                ids, stop = cut_at_eos(sequences[slot, width:].tolist()[: row.left], eos)
                row.tokens += ids
                row.numbers += sampler.numbers[slot][: len(ids)]
                row.margins += [step[slot] for step in sampler.margins[: len(ids)]]
                row.stop = stop if stop == "eos" or row.left == 0 else None
                row.slot = slot
                settled.add(slot)
            for request in requests:
                if not any(request is r for r, _ in finished) and all(r.stop for r in request.rows):
                    request.journey.finished = time.perf_counter()
                    finished.append((request, request.rows))
                    if on_finished is not None:
                        on_finished(request, request.rows)

        def breaks(running: int) -> bool:
            """Whether the segment ends after this step, `running` rows still decoding."""
            return self.joinable and (newcomer_fits(running) or worth_compacting(len(rows), running))

        end = SegmentEnd([r.left for r in rows], eos, breaks, stopped=settle)
        sampler = PerRowSampler([r.warpers for r in rows], [r.generator for r in rows],
                                starts=[width - len(r.sequence) for r in rows],
                                row_modifiers=[shared_modifiers(r.request.settings) for r in rows],
                                running=end.running)  # a row that stopped mid-segment draws no more
        cache, boarding = self._cache_for(rows, width - 1)
        decoding = time.perf_counter()
        with torch.inference_mode():
            out = loaded.model.generate(
                # do_sample=False: the sampler has drawn each row's token already and hands over a one-hot score,
                # which generate's argmax takes without a draw from torch's global generator (another request may
                # be seeded there). No warpers of generate's own, and no shared modifiers: each row brings its own.
                input_ids=input_ids, attention_mask=mask, cache=cache,
                do_sample=False, top_k=None, top_p=None, temperature=None, repetition_penalty=1.0,
                no_repeat_ngram_size=0, logits_processor=[sampler], stopping_criteria=[end],
                max_new_tokens=max(r.left for r in rows), pad_token_id=pad, return_dict_in_generate=True,
            )
        decode_s = time.perf_counter() - decoding - sampler.drawing_s - sampler.figures_s
        settle([slot for slot in range(len(rows)) if slot not in settled], out.sequences)  # the rows still running
        self.cache = out.cache
        self.rows = [r for r in rows if r.stop is None]
        if self.timeline is not None:
            self.timeline.segments.append(Segment(
                rows=len(rows), started=started, steps=len(sampler.margins), decode_s=decode_s,
                drawing_s=sampler.drawing_s, figures_s=sampler.figures_s, ended=time.perf_counter(), **boarding))
        return finished

    def _cache_for(self, rows: list[Row], columns: int) -> tuple[DynamicCache | None, dict]:
        """Every row's keys and values for all its tokens but the last (which `generate` runs as the segment's
        first step), right-aligned in `columns` columns: the running rows' from the last segment, the newcomers'
        from one prefill of their distinct prompts. With what the boarding took (the timeline's figures)."""
        running = [r for r in rows if r.slot >= 0]
        boarding = [r for r in rows if r.slot < 0]
        groups = [(self.cache, [r.slot for r in running])] if running else []
        prompts = list(dict.fromkeys(tuple(r.request.prompt_ids) for r in boarding))
        start = time.perf_counter()
        if boarding:
            groups.append((prefill(self.loaded, prompts, self.joinable),
                           [prompts.index(tuple(r.request.prompt_ids)) for r in boarding]))
        prefilled = time.perf_counter()
        cache = stacked(groups, columns)
        return cache, dict(newcomers=len(boarding), prompts=len(prompts), prefill_s=prefilled - start,
                           stack_s=time.perf_counter() - prefilled)


def prefill(loaded: LoadedModel, prompts: list[tuple[int, ...]], keep: bool = True) -> DynamicCache | None:
    """The key/value cache of each prompt but its last token, left-padded, one row per prompt. Prefill is most of a
    short wide batch (32 rows of 38 tokens took 1.9 s here; their 6 distinct prompts 0.34 s; 16 decode steps
    2.1 s), so a prompt that several rows ask for is computed once, and a prompt seen before not at all
    (prefix.py). A model whose caches cannot be stacked (see Flight) keeps none: its prompts are prefilled
    together."""
    if not keep:
        return prefill_whole(loaded, prompts)
    return stacked([(kept_prompt(loaded, prompt), [0]) for prompt in prompts], max(map(len, prompts)) - 1)


def prefill_whole(loaded: LoadedModel, prompts: list[tuple[int, ...]]) -> DynamicCache | None:
    """prefill(), every token of each prompt but its last computed here."""
    width = max(map(len, prompts)) - 1
    if width == 0:
        return None
    pad, device = loaded.tokenizer.pad_token_id, loaded.model.device
    ids = torch.tensor([[pad] * (width - len(p) + 1) + list(p[:-1]) for p in prompts], device=device)
    mask = torch.tensor([[0] * (width - len(p) + 1) + [1] * (len(p) - 1) for p in prompts], device=device)
    positions = (mask.cumsum(-1) - 1).clamp(min=0)  # as generate numbers a left-padded row
    with torch.inference_mode():
        return loaded.model(input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=True,
                            logits_to_keep=1).cache


def stacked(groups: list[tuple[DynamicCache | None, list[int]]], columns: int) -> DynamicCache | None:
    """One cache of the chosen rows of each group's cache, in order, each right-aligned in `columns` columns: cut
    on the left where every chosen row has only padding, or padded there with zeros (the attention mask hides
    them). A group's cache is None when its rows have nothing cached yet (one-token prompts). The groups' caches
    are left as they were (a kept prompt's is shared)."""
    if columns == 0:
        return None
    base = copy.copy(next(cache for cache, _ in groups if cache is not None))
    base.layers = [copy.copy(layer) for layer in base.layers]
    for index, layer in enumerate(base.layers):
        parts = []
        for cache, slots in groups:
            for tensor in ("keys", "values"):
                like = getattr(layer, tensor)
                part = (like.new_zeros(len(slots), like.shape[1], columns, like.shape[3]) if cache is None
                        else getattr(cache.layers[index], tensor)[torch.tensor(slots, device=like.device)])
                parts.append((tensor, part[:, :, -columns:] if part.shape[2] >= columns
                              else F.pad(part, (0, 0, columns - part.shape[2], 0))))
        layer.keys = torch.cat([part for tensor, part in parts if tensor == "keys"])
        layer.values = torch.cat([part for tensor, part in parts if tensor == "values"])
    return base


def results_of(loaded: LoadedModel, request: Request, rows: list[Row]) -> list[StrategyResult]:
    """A finished request's results, one per strategy, in its order."""
    seconds = time.perf_counter() - request.journey.boarded
    requests, company = request.company
    return [
        StrategyResult(
            name=row.name, text=loaded.tokenizer.decode(row.tokens, skip_special_tokens=True),
            steps=trace_from(loaded.tokenizer, row.tokens, row.numbers), stop_reason=row.stop or "length",
            seconds=seconds, batched_with=[n for n in request.names if n != row.name], pass_requests=requests,
            pass_rows=company,
        )
        for row in rows
    ]
