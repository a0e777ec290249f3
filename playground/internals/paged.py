"""Real PagedAttention on the loaded model: transformers' continuous batching (`generate_batch`'s engine, with
`attn_implementation="paged|eager"`) serves the user's prompts together from a paged KV cache. We record each
request's block table, check the text against plain `generate`, and check that attention over keys and values
gathered through the block table equals SDPA over the contiguous cache of a plain forward pass.
"""

import threading
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from transformers import ContinuousBatchingConfig, GenerationConfig

from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.core.twins import twin
from playground.core.words import WORDS as CORE
from playground.internals.flash import naive_attention
from playground.internals.kv_cache import bytes_per_token, filled_cache, layer_kinds
from playground.internals.paged_blocks import check_block_size
from playground.internals.words import WORDS

MAX_PAGED_REQUESTS = 8
MAX_PAGED_TOKENS = 64
PAGED = "paged|eager"
_one_run = threading.Lock()  # a twin's continuous-batching manager serves one batch at a time


@dataclass(frozen=True)
class PagedSettings(Settings):
    new_tokens: int = 16
    block_size: int = 16
    num_blocks: int = 64

    RANGES = {"new_tokens": (1, MAX_PAGED_TOKENS), "num_blocks": (1, 4096)}

    def __post_init__(self):
        super().__post_init__()
        check_block_size(self.block_size)


@dataclass
class PagedRequest:
    prompt_ids: list[int]
    paged_ids: list[int]  # what continuous batching generated
    plain_ids: list[int]  # what plain generate generated
    blocks: list[int]  # physical blocks, in order, as the allocator held them when the request finished
    cached_tokens: int  # tokens whose keys and values the cache held (the last generated one is never fed back)
    gather_error: float  # |attention over gathered K/V − SDPA over the contiguous cache|, max over layers


@dataclass
class PagedRun:
    requests: list[PagedRequest]
    block_size: int
    block_ids: range  # every physical block of the engine's cache (the first sectors hold its trash blocks)
    block_bytes: int  # one block: block_size tokens of keys and values in every layer


def parse_prompts(text: str) -> list[str]:
    prompts = [line.strip() for line in (text or "").splitlines() if line.strip()]
    check(prompts, WORDS.text("prompts.none"))
    check(len(prompts) <= MAX_PAGED_REQUESTS, WORDS.text("prompts.many", limit=MAX_PAGED_REQUESTS, count=len(prompts)))
    return prompts


def paged_generate(loaded: LoadedModel, batch_prompts: str, settings: PagedSettings) -> PagedRun:
    """Serve the prompts (one per line) through the paged engine, greedy, and hold each to plain `generate`."""
    check(loaded.is_decoder_only, CORE.text("model.not_causal", label=loaded.label))
    check(set(layer_kinds(loaded.model.config)) == {"full_attention"}, WORDS.text("sliding", model=loaded.label))
    ids = [build_prompt(loaded.tokenizer, p, use_chat_template=False).input_ids for p in parse_prompts(batch_prompts)]
    needed = sum(-(-(len(i) + settings.new_tokens) // settings.block_size) for i in ids)
    check(needed <= settings.num_blocks, WORDS.text("blocks.short", needed=needed, size=settings.block_size,
                                                    blocks=settings.num_blocks))
    generated, tables, caches, block_ids = _serve(loaded, ids, settings)
    requests = []
    for i, prompt in enumerate(ids):
        with torch.inference_mode():
            plain = loaded.model.generate(torch.tensor([prompt], device=loaded.model.device),
                                          max_new_tokens=settings.new_tokens, do_sample=False, eos_token_id=None,
                                          pad_token_id=0)
        cached = len(prompt) + settings.new_tokens - 1
        error = gather_error(loaded, prompt + generated[i][:-1], caches[i])
        requests.append(PagedRequest(prompt, generated[i], plain[0, len(prompt):].tolist(), tables[i], cached, error))
    return PagedRun(requests, settings.block_size, block_ids, _block_bytes(loaded, settings.block_size))


def _serve(loaded: LoadedModel, ids: list[list[int]], settings: PagedSettings):
    """Run continuous batching, catching each request's block table and its gathered keys and values the moment
    it finishes, before the allocator frees its blocks."""
    paged = twin(loaded.model, PAGED)
    config = GenerationConfig(max_new_tokens=settings.new_tokens, do_sample=False, eos_token_id=-1,
                              pad_token_id=loaded.tokenizer.pad_token_id or 0)
    engine = ContinuousBatchingConfig(page_size=settings.block_size, num_blocks=settings.num_blocks,
                                      max_batch_tokens=max(256, sum(len(i) for i in ids)), allow_block_sharing=False)
    tables, gathered = {}, {}
    with _one_run:
        manager = paged.init_continuous_batching(generation_config=config, continuous_batching_config=engine)
        manager.warmup()  # builds the batch processor and its paged cache, so we can watch the cache
        cache = manager.batch_processor.cache
        allocator = cache.cache_allocators["full_attention"]
        first = cache.pool.num_reserved_sectors * allocator.blocks_per_sector
        block_ids = range(first, first + allocator.num_blocks)
        free_blocks = cache.free_blocks

        def caught_before_free(request_id, no_cache=False):  # this manager's cache only: an instance attribute
            tables[request_id] = list(allocator.block_table.get(request_id, []))
            gathered[request_id] = _gather(allocator, request_id, paged.config.num_hidden_layers)
            free_blocks(request_id, no_cache)

        cache.free_blocks = caught_before_free
        manager.start()
        try:
            request_ids = manager.add_requests(inputs=ids, max_new_tokens=settings.new_tokens)
            results = {}
            while len(results) < len(ids):
                result = manager.get_result(timeout=60)
                check(result is not None and result.error is None,
                      WORDS.text("engine_failed", error=getattr(result, "error", WORDS.text("no_answer"))))
                if result.is_finished():
                    results[result.request_id] = result
        finally:
            manager.stop(block=True)
    return ([results[r].generated_tokens for r in request_ids], [tables[r] for r in request_ids],
            [gathered[r] for r in request_ids], block_ids)


def _gather(allocator, request_id: str, layers: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Each layer's keys and values for the request, read from the paged cache tensor through its block table."""
    table = allocator.block_table[request_id]
    out = []
    for layer in range(layers):
        keys, values = allocator.get_cache_for_block_table(layer)  # (pages, block_size, kv_heads, head_dim)
        pages = torch.tensor(table, device=keys.device) * (allocator.block_physical_stride // allocator.tokens_per_page)
        out.append((keys[pages].flatten(0, 1), values[pages].flatten(0, 1)))
    return out


def gather_error(loaded: LoadedModel, token_ids: list[int], gathered) -> float:
    """softmax(q·Kᵀ/√d)·V over the keys and values gathered through the block table, against SDPA over the ones a
    plain forward pass caches contiguously (DynamicCache), for a query per head in every layer; the largest gap."""
    cache = filled_cache(loaded.model, torch.tensor([token_ids]))
    n, worst = len(token_ids), 0.0
    for layer, (keys, values) in enumerate(gathered):
        k, v = cache.layers[layer].keys, cache.layers[layer].values  # (1, kv_heads, n, head_dim)
        q = torch.randn(1, loaded.model.config.num_attention_heads, 1, k.shape[-1],
                        generator=torch.Generator().manual_seed(layer)).to(k.device, k.dtype)
        paged_k, paged_v = (t[:n].permute(1, 0, 2).unsqueeze(0) for t in (keys, values))
        contiguous = F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
        worst = max(worst, float((naive_attention(q, paged_k, paged_v) - contiguous).abs().max()))
    return worst


def _block_bytes(loaded: LoadedModel, block_size: int) -> int:
    return block_size * bytes_per_token(loaded.model.config, next(loaded.model.parameters()).element_size())
