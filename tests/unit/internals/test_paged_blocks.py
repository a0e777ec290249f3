"""The paged cache run by transformers' allocator, under hypothesis-generated workloads: the invariants PagedAttention
promises, checked after every operation, with the tokens read back through the block tables as the oracle."""

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.errors import PlaygroundError
from playground.internals.paged_blocks import BlockCache
from playground.internals.paged_sim import DISTRIBUTIONS, WorkloadSettings, beam_search_sharing, simulate


def check_invariants(cache: BlockCache) -> None:
    tables = {s: cache.table(s) for s in cache.tokens}
    holders = Counter(b for table in tables.values() for b in table)
    for block, count in holders.items():  # no block in two sequences unless the ledger shares it copy-on-write
        assert count == cache.holders(block)
    assert len(holders) + cache.cached_blocks + cache.free_blocks == cache.num_blocks  # used + free = total
    for sequence, tokens in cache.tokens.items():
        assert cache.read(sequence) == tokens  # what the block table points at is the sequence's text
        wasted = len(tables[sequence]) * cache.block_size - len(tokens)
        assert 0 <= wasted < cache.block_size  # paged waste per sequence: under one block


operations = st.lists(st.tuples(st.sampled_from(["admit", "append", "fork", "free"]), st.integers(0, 7),
                                st.integers(1, 40), st.integers(0, 3)), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(block_size=st.sampled_from([1, 2, 4, 16]), num_blocks=st.integers(1, 64), ops=operations,
       share=st.booleans())
def test_invariants_hold_through_any_sequence_of_operations(block_size, num_blocks, ops, share):
    cache = BlockCache(num_blocks, block_size, share_prefixes=share)
    names, fresh = [], (f"s{i}" for i in itertools.count())
    for op, pick, length, prefix in ops:
        tokens = [prefix] * 8 + list(range(100 * pick, 100 * pick + length))  # prompts that share a prefix
        if op == "admit" or not names:
            name = next(fresh)
            if cache.admit(name, tokens):
                names.append(name)
        elif op == "append":
            cache.append(names[pick % len(names)], tokens[:length % 9 + 1])
        elif op == "fork":
            parent = names[pick % len(names)]
            before = cache.read(parent)
            child = next(fresh)
            if cache.fork(parent, child):
                names.append(child)
                assert cache.read(child) == before
                cache.append(child, [-7] * length)  # writing to the fork ...
                assert cache.read(parent) == before  # ... leaves its parent unchanged
        else:
            cache.free(names.pop(pick % len(names)))
        check_invariants(cache)


def test_a_refused_operation_changes_nothing():
    cache = BlockCache(2, 4)
    assert cache.admit("a", list(range(6)))  # 2 blocks: the cache is full
    assert not cache.admit("b", list(range(100, 103))) and "b" not in cache.tokens
    assert not cache.append("a", [1, 2, 3]) and cache.read("a") == list(range(6))
    check_invariants(cache)


def test_a_common_prefix_is_stored_once():
    cache = BlockCache(16, 4)
    system = list(range(8))  # two full blocks
    assert cache.admit("a", system + [50, 51]) and cache.admit("b", system + [60, 61, 62])
    assert cache.table("a")[:2] == cache.table("b")[:2] and cache.table("a")[2] != cache.table("b")[2]
    assert [cache.holders(b) for b in cache.table("a")[:2]] == [2, 2]
    check_invariants(cache)


workloads = st.builds(WorkloadSettings, requests=st.integers(1, 12), distribution=st.sampled_from(DISTRIBUTIONS),
                      prompt_mean=st.integers(1, 40), output_mean=st.integers(1, 40), max_length=st.integers(48, 200),
                      samples=st.integers(1, 4),
                      system_prompt=st.integers(0, 40), seed=st.integers(0, 1000), budget_mib=st.just(1.0))


@settings(max_examples=60, deadline=None)
@given(workload=workloads, block_size=st.sampled_from([4, 8, 16]))
def test_simulated_workloads_keep_the_invariants(workload, block_size):
    sim = simulate(workload, block_size, bytes_per_token=1024)
    check_invariants(sim.cache)
    for scheme in (sim.contiguous, sim.paged):
        assert scheme.wasted_tokens >= 0
    assert sim.paged.used_tokens + sim.paged.shared_tokens == sim.contiguous.used_tokens  # same tokens, fewer stored
    assert sim.paged.reserved_tokens <= sim.contiguous.reserved_tokens
    if workload.samples > 1 and any(len(r.prompt) >= block_size for r in sim.requests):
        assert sim.paged.shared_tokens > 0  # the samples share their prompt's full blocks


def test_the_default_workload_wastes_what_the_vllm_paper_says():
    sim = simulate(WorkloadSettings(), 16, bytes_per_token=45 * 1024)
    assert 0.6 <= sim.contiguous.waste <= 0.8  # the paper: 60-80% of KV memory wasted before paging
    assert sim.paged.waste < 0.04  # and under 4% with it
    assert sim.fit_paged >= 3 * sim.fit_contiguous


def test_a_shared_system_prompt_is_stored_once():
    alone = simulate(WorkloadSettings(requests=8, system_prompt=0, budget_mib=1.0), 16, 1024)
    shared = simulate(WorkloadSettings(requests=8, system_prompt=256, budget_mib=1.0), 16, 1024)
    assert shared.paged.shared_tokens >= 7 * 256  # every request after the first reads the system prompt's blocks
    assert shared.paged.used_tokens < alone.paged.used_tokens + 2 * 256


@pytest.mark.parametrize("change,message", [(dict(requests=10_000), "requests must be between 1 and 512"),
                                            (dict(distribution="zipf"), "distribution must be one of")])
def test_bad_workloads_are_refused(change, message):
    with pytest.raises(PlaygroundError, match=message):
        WorkloadSettings(**change)


@pytest.mark.parametrize("block_size,message", [(12, "block_size must be a power of two"),
                                                (0, "block_size must be between 4")])
def test_bad_block_sizes_are_refused(block_size, message):
    with pytest.raises(PlaygroundError, match=message):
        simulate(WorkloadSettings(), block_size, 1024)


def test_a_budget_too_small_for_one_request_says_so():
    with pytest.raises(PlaygroundError, match="holds not even one request"):
        simulate(WorkloadSettings(budget_mib=0.01), 16, bytes_per_token=45 * 1024)


@pytest.mark.parametrize("beams,prompt", [(1, 40), (4, 100), (8, 3)])
def test_beam_search_forks_share_blocks(beams, prompt):
    history = beam_search_sharing(prompt, beams, 30, 16)
    assert all(s.blocks_held <= s.blocks_unshared for s in history)
    if beams == 1:
        assert all(s.blocks_held == s.blocks_unshared for s in history)  # nothing to share with
    elif prompt >= 16:
        assert all(s.blocks_held < s.blocks_unshared for s in history)  # the prompt's full blocks are held once
