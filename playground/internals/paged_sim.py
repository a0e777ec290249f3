"""A serving workload against two ways to keep its KV cache: contiguous pre-allocation (each sequence reserves the
maximum length up front, as systems before vLLM did) and paged blocks (transformers' allocator, `paged_blocks.py`).

Every request is counted at its full length at once: the moment its cache is largest. The paged scheme shares full
blocks between the parallel samples of one request (copy-on-write forks) and between requests whose prompts begin
with the same system prompt (prefix sharing by block hash, as vLLM's automatic prefix caching does).
"""

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from playground.core.errors import Settings, check
from playground.core.words import WORDS as CORE
from playground.internals.paged_blocks import BlockCache, check_block_size
from playground.internals.words import WORDS

MAX_REQUESTS = 512
MAX_SEQUENCE = 32_768
DISTRIBUTIONS = ("long-tailed", "uniform", "fixed")
MIB = 2**20
MAX_FIT = 2048  # the fit test stops counting here
VOCAB = 30_000  # simulated token ids: distinct enough that unrelated blocks never hash alike


@dataclass(frozen=True)
class WorkloadSettings(Settings):
    requests: int = 64
    distribution: str = "long-tailed"  # lognormal, like chat traffic; uniform; or every request at the means
    prompt_mean: int = 161  # the vLLM paper's ShareGPT trace: 161 prompt tokens and 338 output tokens on average
    output_mean: int = 338
    max_length: int = 2048  # what contiguous pre-allocation reserves for every sequence
    samples: int = 1  # parallel samples per request (n in vLLM's SamplingParams)
    system_prompt: int = 0  # tokens of a system prompt every request begins with
    budget_mib: float = 2048.0  # the memory the fit test may fill
    seed: int = 0

    RANGES = {"requests": (1, MAX_REQUESTS), "prompt_mean": (1, MAX_SEQUENCE), "output_mean": (1, MAX_SEQUENCE),
              "max_length": (2, MAX_SEQUENCE), "samples": (1, 16),
              "system_prompt": (0, MAX_SEQUENCE), "budget_mib": (0.001, 1_048_576), "seed": (0, 2**31 - 1)}

    def __post_init__(self):
        super().__post_init__()
        check(self.distribution in DISTRIBUTIONS, CORE.text("one_of", name="distribution",
                                                             choices=", ".join(DISTRIBUTIONS),
                                                             value=repr(self.distribution)))
        check(self.system_prompt < self.max_length, WORDS.text("system_prompt"))


@dataclass
class Request:
    prompt: list[int]
    outputs: list[list[int]]  # one per sample

    @property
    def tokens(self) -> int:
        return len(self.prompt) * len(self.outputs) + sum(len(o) for o in self.outputs)


@dataclass
class SchemeMemory:
    reserved_tokens: int  # slots set aside
    used_tokens: int  # slots holding a token
    shared_tokens: int = 0  # tokens a sequence reads but does not own (shared blocks count once)

    @property
    def wasted_tokens(self) -> int:
        return self.reserved_tokens - self.used_tokens

    @property
    def waste(self) -> float:
        return self.wasted_tokens / self.reserved_tokens if self.reserved_tokens else 0.0


@dataclass
class Simulation:
    requests: list[Request]
    contiguous: SchemeMemory
    paged: SchemeMemory
    bytes_per_token: int
    fit_contiguous: int  # requests that fit in the budget at once
    fit_paged: int
    cache: BlockCache  # the paged cache with every request admitted, for its invariants and block map


def _length(rng: random.Random, mean: int, distribution: str) -> int:
    if distribution == "fixed":
        return mean
    if distribution == "uniform":
        return rng.randint(1, 2 * mean - 1)
    sigma = 1.0  # lognormal with this mean: chat traffic has many short turns and a long tail
    return max(1, round(rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)))


def workload(settings: WorkloadSettings) -> Iterator[Request]:
    """Requests without end, lengths drawn from the chosen distribution, each sequence cut to `max_length`; the
    first `settings.requests` are the workload, the rest feed the fit test."""
    rng = random.Random(settings.seed)
    system = [rng.randrange(VOCAB) for _ in range(settings.system_prompt)]
    room = settings.max_length - len(system)
    while True:
        prompt = system + [rng.randrange(VOCAB)
                           for _ in range(min(_length(rng, settings.prompt_mean, settings.distribution), room - 1))]
        out = min(_length(rng, settings.output_mean, settings.distribution), settings.max_length - len(prompt))
        yield Request(prompt, [[rng.randrange(VOCAB) for _ in range(out)] for _ in range(settings.samples)])


def place(cache: BlockCache, index: int, request: Request) -> bool:
    """Admit a request's prompt once, fork it per sample, then write each sample's output; False if it does not
    fit (what it did place stays, as a scheduler would preempt it)."""
    parent = f"r{index}"
    if not cache.admit(parent, request.prompt):
        return False
    names = [parent] + [f"r{index}.{s}" for s in range(1, len(request.outputs))]
    if not all(cache.fork(parent, child) for child in names[1:]):
        return False
    return all(cache.append(name, output) for name, output in zip(names, request.outputs))


def paged_memory(cache: BlockCache) -> SchemeMemory:
    """Slots in the blocks the sequences hold, the slots holding a token (a shared block's count once), and the
    tokens read through another sequence's block."""
    filled: dict[int, int] = {}  # block → slots written: the most any holder has written into it
    for sequence, tokens in cache.tokens.items():
        for i, block in enumerate(cache.table(sequence)):
            filled[block] = max(filled.get(block, 0), min(cache.block_size, len(tokens) - i * cache.block_size))
    logical = sum(len(tokens) for tokens in cache.tokens.values())  # what the sequences read, shared or not
    stored = sum(filled.values())
    return SchemeMemory(len(filled) * cache.block_size, stored, logical - stored)


def simulate(settings: WorkloadSettings, block_size: int, bytes_per_token: int) -> Simulation:
    """The workload under both schemes, paged in blocks of `block_size` tokens, each token's keys and values taking
    `bytes_per_token`."""
    check_block_size(block_size)
    requests = list(itertools.islice(workload(settings), settings.requests))
    sequences = settings.requests * settings.samples
    blocks_needed = sum(math.ceil(r.tokens / block_size) + settings.samples for r in requests)
    cache = BlockCache(blocks_needed, block_size)
    for i, request in enumerate(requests):
        check(place(cache, i, request), "the simulated cache ran out of blocks; this is a bug.")
    contiguous = SchemeMemory(sequences * settings.max_length, sum(r.tokens for r in requests))
    budget_tokens = int(settings.budget_mib * MIB) // bytes_per_token
    fit_contiguous = budget_tokens // (settings.samples * settings.max_length)
    fit_paged = _fit(workload(settings), budget_tokens // block_size, block_size, requests)
    need = settings.samples * settings.max_length * bytes_per_token / MIB
    check(fit_contiguous > 0 or fit_paged > 0, WORDS.text("budget", budget=settings.budget_mib, need=need,
                                                         samples=settings.samples, length=settings.max_length,
                                                         bytes=bytes_per_token))
    return Simulation(requests, contiguous, paged_memory(cache), bytes_per_token, fit_contiguous, fit_paged, cache)


def _fit(stream: Iterator[Request], budget_blocks: int, block_size: int, sample: list[Request]) -> int:
    """How many requests from `stream` fit at once at their full length in `budget_blocks` paged blocks (counting
    stops at MAX_FIT; `sample` sizes the cache no bigger than that needs)."""
    per_request = sum(math.ceil(r.tokens / block_size) + len(r.outputs) for r in sample) / len(sample)
    blocks = min(budget_blocks, math.ceil(per_request * MAX_FIT * 2))
    if blocks < 1:
        return 0
    cache = BlockCache(blocks, block_size)
    for i, request in enumerate(itertools.islice(stream, MAX_FIT)):
        if not place(cache, i, request):
            return i
    return MAX_FIT


@dataclass
class BeamStep:
    step: int
    blocks_held: int  # with copy-on-write forks
    blocks_unshared: int  # if every beam kept its own copy of its whole sequence
    parents: int  # how many of the last step's beams the new beams descend from


def beam_search_sharing(prompt_tokens: int, beams: int, steps: int, block_size: int, seed: int = 0) -> list[BeamStep]:
    """Beam search's memory on transformers' allocator: each step every new beam forks from a surviving beam (the
    best beams tend to share parents, as in real beam search), and the old beams are freed. Forks share their
    parent's full blocks; only each partial last block is copied."""
    check_block_size(block_size)
    rng = random.Random(seed)
    length = prompt_tokens + steps
    cache = BlockCache(beams * (math.ceil(length / block_size) + 2) + 2, block_size, share_prefixes=False)
    cache.admit("prompt", [rng.randrange(VOCAB) for _ in range(prompt_tokens)])
    alive, history = ["prompt"], []
    for step in range(1, steps + 1):
        parents = [min(rng.choices(range(len(alive)), k=2)) for _ in range(beams)]  # the better of two draws
        children = [f"{step}.{b}" for b in range(beams)]
        for child, parent in zip(children, parents):
            check(cache.fork(alive[parent], child), "the beam cache ran out of blocks; this is a bug.")
            cache.append(child, [rng.randrange(VOCAB)])
        for old in alive:
            cache.free(old)
        alive = children
        history.append(BeamStep(step, len(cache.held_blocks()),
                                beams * math.ceil((prompt_tokens + step) / block_size), len(set(parents))))
    return history
