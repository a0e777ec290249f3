"""A paged KV cache run by transformers' own block allocator, holding token ids instead of keys and values.

`FullAttentionCacheAllocator` (with its `CachePool` and `BlockLedger`) is the code `generate_batch` uses to hand
out blocks, share full blocks between forks, copy the partial one, and find prompt prefixes by block hash. Here it
allocates the same way over a tiny cache tensor whose "key" for each token is the token id and whose "value" is
its negation, so the simulator's bookkeeping is transformers' bookkeeping, and what a sequence reads back through
its block table can be checked token for token.
"""

from types import SimpleNamespace

import torch
from transformers.generation.continuous_batching.cache_allocators import CachePool, FullAttentionCacheAllocator

from playground.core.errors import check
from playground.core.words import WORDS as CORE
from playground.internals.words import WORDS

TOKEN = torch.int32
MIN_BLOCK, MAX_BLOCK = 4, 256  # transformers' engine takes pages of at least 4 tokens (its BOUNDS["page_size"])


def check_block_size(block_size: int) -> None:
    check(MIN_BLOCK <= block_size <= MAX_BLOCK,
          CORE.text("between", name="block_size", low=MIN_BLOCK, high=MAX_BLOCK, value=block_size))
    check(block_size & (block_size - 1) == 0, WORDS.text("block_size.power", value=block_size))


class BlockCache:
    def __init__(self, num_blocks: int, block_size: int, share_prefixes: bool = True):
        self.block_size, self.num_blocks, self.share_prefixes = block_size, num_blocks, share_prefixes
        self.allocator = FullAttentionCacheAllocator(
            index=0, config=SimpleNamespace(head_dim=1), num_key_value_heads=1, cache_dtype=TOKEN,
            page_size=block_size, layer_indices=[0], allow_block_sharing=True)
        sector = self.allocator.bytes_per_block  # one block per sector: blocks are handed out one at a time
        self.pool = CachePool(num_blocks, num_allocators=1)
        tensor = torch.zeros((num_blocks + 2) * sector, dtype=torch.uint8)  # + the two trash sectors
        self.allocator.register_cache_tensor(sector, num_blocks * sector, tensor, self.pool)
        for _ in range(num_blocks):
            self.pool.allocate_sector(0)
        self.tokens: dict[str, list[int]] = {}

    # the state
    @property
    def free_blocks(self) -> int:
        return self.pool.count_free_blocks(0)

    @property
    def cached_blocks(self) -> int:
        """Blocks no sequence holds, kept for their hashed content until memory is needed."""
        return len(self.allocator.ledger.cached_blocks)

    def table(self, sequence: str) -> list[int]:
        return list(self.allocator.block_table.get(sequence, []))

    def held_blocks(self) -> set[int]:
        return {block for table in self.allocator.block_table.values() for block in table}

    def holders(self, block: int) -> int:
        """How many sequences the ledger says hold `block` (1 unless it is shared)."""
        return self.allocator.ledger.shared_ref_counts.get(block, 1)

    def read(self, sequence: str) -> list[int]:
        """The sequence's tokens, read back from the cache tensor through its block table."""
        read = torch.tensor(self.allocator.get_read_indices(sequence, len(self.tokens[sequence]), 0), dtype=torch.long)
        nothing = torch.empty(0, 1, 1, dtype=TOKEN)
        keys, values = self.allocator.update(nothing, nothing, 0, read, torch.empty(0, dtype=torch.long))
        assert torch.equal(values, -keys)
        return keys[:, 0, 0].tolist()

    # the operations; each returns False, changing nothing, when the blocks it needs are not there
    def admit(self, sequence: str, prompt: list[int]) -> bool:
        """A new sequence: its prompt's leading full blocks shared if another sequence already wrote them."""
        matched = self.allocator.match_prefix_blocks(prompt) if self.share_prefixes else []
        shared = len(matched) * self.block_size
        self.allocator.acquire_prefix_blocks(sequence, shared, matched)  # claimed first, so no eviction takes them
        self.tokens[sequence] = prompt[:shared]
        if not self.append(sequence, prompt[shared:]):
            self.free(sequence)
            return False
        return True

    def append(self, sequence: str, new_tokens: list[int]) -> bool:
        past = len(self.tokens[sequence])
        if not self._fits(self.allocator.needs_new_blocks(sequence, past, len(new_tokens))):
            return False
        self.allocator.allocate_cache_to_request(sequence, past, len(new_tokens))
        write = torch.tensor(self.allocator.get_write_indices(sequence, past, len(new_tokens)), dtype=torch.long)
        ids = torch.tensor(new_tokens, dtype=TOKEN).view(-1, 1, 1)
        self.allocator.update(ids, -ids, 0, torch.empty(0, dtype=torch.long), write)
        self.tokens[sequence] += new_tokens
        if self.share_prefixes:  # hash the blocks this write completed, so later prompts can share them
            completed = (past % self.block_size + len(new_tokens)) // self.block_size
            self.allocator.mark_complete_blocks(sequence, self.tokens[sequence], completed)
        return True

    def fork(self, parent: str, child: str) -> bool:
        """The child shares the parent's full blocks; the partial last block is copied, so either may write on."""
        past = len(self.tokens[parent])
        if not self._fits(self.allocator.count_non_shareable_blocks(parent, past)):
            return False
        copy_from, copy_to = self.allocator.fork_blocks(parent, child, past)
        if copy_from:
            self.allocator.copy_blocks(copy_from, copy_to)
        self.tokens[child] = list(self.tokens[parent])
        return True

    def free(self, sequence: str) -> None:
        self.allocator.free_blocks(sequence)
        self.tokens.pop(sequence)

    def _fits(self, blocks: int) -> bool:
        """Whether `blocks` more fit, after evicting the cached ones if that is what it takes (as the scheduler
        does)."""
        if blocks > self.free_blocks and self.cached_blocks:
            self.pool.free_blocks(0, self.allocator.ledger.evict_cached_blocks())
        return blocks <= self.free_blocks
