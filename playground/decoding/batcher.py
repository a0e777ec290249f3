"""Concurrent comparisons served in one batched pass: continuous batching, at the grain of a request.

Decoding a token is bound by memory bandwidth: a batch of 8 rows costs about 2x one row. So the sampling-family
rows of every `/compare_decoding` request that arrives within a short window (PLAYGROUND_MERGE_WINDOW_MS) on the
same model go into one left-padded `generate`, the way vLLM's scheduler batches the requests it holds
(https://docs.vllm.ai/en/latest/design/arch_overview.html). Each row keeps everything of its own: its prompt,
its strategy's warpers, its seed (its own generator, see per_row.py), its repetition penalty and no-repeat
n-gram size (applied to its own tokens, padding left out), and its max_new_tokens (cut afterwards). A pass holds at
most PLAYGROUND_MAX_BATCH_ROWS rows; more wait for the next pass, which keeps gathering while this one runs. A
window of 0 runs each request alone, one at a time: the old behaviour, kept for the benchmark.

Example:
    results = BATCHER.run(loaded, Request(prompt_ids, ["greedy", "top_p"], settings))  # one list per strategy
"""

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field

import torch
from transformers import LogitsProcessor

from playground.core import config
from playground.core.models import LoadedModel
from playground.decoding.per_row import PerRowSampler, seeded_generators
from playground.decoding.results import StrategyResult, trace_from
from playground.decoding.strategies import DecodingSettings, shared_modifiers, warpers_for


@dataclass
class Request:
    prompt_ids: list[int]
    names: list[str]  # its sampling-family strategies, one row each
    settings: DecodingSettings
    done: Future = field(default_factory=Future)


def row_processors(name: str, s: DecodingSettings) -> list[LogitsProcessor]:
    """What `generate` would apply to this row: the shared modifiers, then the strategy's warpers."""
    return shared_modifiers(s) + warpers_for(name, s)


def cut_at_eos(ids: list[int], eos: set[int]) -> tuple[list[int], str]:
    """Keep the tokens up to and including the first EOS; what follows is padding."""
    for i, token in enumerate(ids):
        if token in eos:
            return ids[: i + 1], "eos"
    return ids, "length"


# A merged row's logits differ from its lone run's in the last bits (about 1e-7: torch's CPU matrix products
# block their work by the number of rows, and a padded batch takes SDPA's masked path). That cannot move a
# sampled draw unless it lands within ~1e-7 of a boundary, but it can flip an argmax between two tokens this close,
# which a random-weight model's flat logits meet often. So a merged request whose argmax step came closer than
# this to a tie is run again alone, and gets its lone result.
NEAR_TIE = 1e-4


def run_pass(loaded: LoadedModel, requests: list[Request]) -> list[list[StrategyResult]]:
    """Every row of every request in one left-padded `generate`; each request's results, cut at its own limits."""
    rows = [(request, name) for request in requests for name in request.names]
    width = max(len(r.prompt_ids) for r in requests)
    pad = loaded.tokenizer.pad_token_id
    device = loaded.model.device
    input_ids = torch.tensor([[pad] * (width - len(r.prompt_ids)) + r.prompt_ids for r, _ in rows], device=device)
    mask = torch.tensor([[0] * (width - len(r.prompt_ids)) + [1] * len(r.prompt_ids) for r, _ in rows],
                        device=device)
    sampler = PerRowSampler([row_processors(name, r.settings) for r, name in rows],
                            seeded_generators([r.settings.seed for r, _ in rows], device),
                            starts=[width - len(r.prompt_ids) for r, _ in rows])
    with torch.inference_mode():
        start = time.perf_counter()
        out = loaded.model.generate(
            # do_sample=False: the sampler has drawn each row's token already and hands over a one-hot score, which
            # generate's argmax takes without a draw from torch's global generator (another request may be seeded
            # there). No warpers of generate's own, and no shared modifiers: each row brings its own.
            input_ids=input_ids, attention_mask=mask, do_sample=False, top_k=None, top_p=None, temperature=None,
            repetition_penalty=1.0, no_repeat_ngram_size=0, logits_processor=[sampler],
            max_new_tokens=max(r.settings.max_new_tokens for r in requests), pad_token_id=pad,
            return_dict_in_generate=True,
        )
        seconds = time.perf_counter() - start
    results: dict[int, list[StrategyResult]] = {id(r): [] for r in requests}
    near_ties: set[int] = set()
    for row, (request, name) in enumerate(rows):
        ids, stop = cut_at_eos(out.sequences[row, width: width + request.settings.max_new_tokens].tolist(),
                               loaded.eos_token_ids)
        if len(requests) > 1 and min((step[row] for step in sampler.margins[: len(ids)]), default=1.0) < NEAR_TIE:
            near_ties.add(id(request))
        results[id(request)].append(StrategyResult(
            name=name, text=loaded.tokenizer.decode(ids, skip_special_tokens=True),
            steps=trace_from(loaded.tokenizer, ids, sampler.numbers[row]), stop_reason=stop, seconds=seconds,
            batched_with=[n for n in request.names if n != name], pass_requests=len(requests), pass_rows=len(rows),
        ))
    return [run_pass(loaded, [r])[0] if id(r) in near_ties else results[id(r)] for r in requests]


class Batcher:
    """Gathers requests for a window, then runs them as one pass; passes run one at a time."""

    def __init__(self, window_ms: int | None = None, max_rows: int | None = None):
        self.window_ms = config.MERGE_WINDOW_MS if window_ms is None else window_ms
        self.max_rows = config.MAX_BATCH_ROWS if max_rows is None else max_rows
        self._gathering: dict[str, list[Request]] = {}  # model key -> the pass still taking requests
        self._lock = threading.Lock()
        self._running = threading.Lock()  # one pass at a time: two would only split the same memory bandwidth

    def run(self, loaded: LoadedModel, request: Request) -> list[StrategyResult]:
        """The request's results. The first request of a pass waits the window and then for the previous pass to
        finish, taking in everyone who joins meanwhile (up to the row cap): the pass runs with all of them."""
        if self.window_ms <= 0:
            with self._running:
                self._serve([request], loaded)
            return request.done.result()
        with self._lock:
            gathering = self._gathering.get(loaded.key)
            leads = gathering is None or sum(len(r.names) for r in gathering) + len(request.names) > self.max_rows
            if leads:
                gathering = self._gathering[loaded.key] = []
            gathering.append(request)
        if leads:
            time.sleep(self.window_ms / 1000)
            with self._running:
                with self._lock:
                    if self._gathering.get(loaded.key) is gathering:  # else a full pass was already replaced
                        del self._gathering[loaded.key]
                self._serve(gathering, loaded)
        return request.done.result()

    @staticmethod
    def _serve(requests: list[Request], loaded: LoadedModel) -> None:
        try:
            for request, results in zip(requests, run_pass(loaded, requests)):
                request.done.set_result(results)
        except Exception as err:  # noqa: BLE001 - every waiting request hears of it, not only the leader
            for request in requests:
                if not request.done.done():
                    request.done.set_exception(err)


BATCHER = Batcher()
