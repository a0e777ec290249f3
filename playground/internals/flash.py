"""FlashAttention's forward pass (Dao et al., 2022, https://arxiv.org/abs/2205.14135) and the online softmax it
rests on (Milakov & Gimelshein, 2018, https://arxiv.org/abs/1805.02867), written in torch, tile by tile.

Written by hand because showing the tiles is the point: the fused kernels (SDPA's flash backend, Triton's tutorial)
hide them, and need a GPU. Keys arrive a tile at a time; a running max m and running sum l let each new tile rescale
what came before, so the N × N score matrix never exists. A Python loop over tiles is slower than SDPA on a CPU;
what it proves is the memory and the exactness (tests hold it to SDPA within 1e-5).
"""

import math
from dataclasses import dataclass

import torch

from playground.core.errors import check
from playground.internals.words import WORDS


@dataclass
class TileStep:
    keys: tuple[int, int]  # the tile's key positions [start, end)
    tile_max: float
    running_max: float  # m after this tile
    rescale: float  # exp(m_old − m_new): how much the earlier partial sums shrink
    running_sum: float  # l after this tile
    output_norm: float  # |o| / l so far: the row's output, were the keys to stop here


def online_softmax_row(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, tile: int,
                       scale: float | None = None) -> tuple[torch.Tensor, list[TileStep]]:
    """One query row's attention output over keys `k` and values `v`, a tile of keys at a time; returns the row
    and every tile's running state."""
    check(tile >= 1, WORDS.text("tile", value=tile))
    scale = q.shape[-1] ** -0.5 if scale is None else scale
    m, l, o, steps = -math.inf, 0.0, torch.zeros_like(v[0]), []
    for start in range(0, k.shape[0], tile):
        scores = (k[start:start + tile] @ q) * scale
        new_m = max(m, float(scores.max()))
        rescale = math.exp(m - new_m) if m != -math.inf else 0.0
        weights = torch.exp(scores - new_m)
        l = l * rescale + float(weights.sum())
        o = o * rescale + weights @ v[start:start + tile]
        m = new_m
        steps.append(TileStep((start, min(start + tile, k.shape[0])), float(scores.max()), m, rescale, l,
                              float((o / l).norm())))
    return o / l, steps


def tiled_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False, q_tile: int = 64,
                    k_tile: int = 64, scale: float | None = None) -> torch.Tensor:
    """FlashAttention's forward for (batch, heads, n, d) queries and (batch, kv_heads, n_k, d) keys and values
    (GQA: each KV head serves heads // kv_heads query heads), tiles over queries and keys; causal aligns the last
    query with the last key, as SDPA does. Peak extra memory is one q_tile × k_tile block of scores per head."""
    check(q_tile >= 1 and k_tile >= 1, WORDS.text("tiles", q=q_tile, k=k_tile))
    b, h, n, d = q.shape
    kv = k.shape[1]
    check(h % kv == 0, WORDS.text("heads_multiple", heads=h, kv=kv))
    k, v = k.repeat_interleave(h // kv, dim=1), v.repeat_interleave(h // kv, dim=1)
    n_k, offset = k.shape[2], k.shape[2] - n
    scale = d ** -0.5 if scale is None else scale
    out = torch.empty_like(q)
    for qs in range(0, n, q_tile):
        qb = q[:, :, qs:qs + q_tile]
        m = torch.full(qb.shape[:-1], -math.inf, dtype=q.dtype)
        l = torch.zeros(qb.shape[:-1], dtype=q.dtype)
        o = torch.zeros_like(qb)
        for ks in range(0, n_k, k_tile):
            if causal and ks > qs + qb.shape[2] - 1 + offset:
                break  # every key from here on is in every query's future
            scores = qb @ k[:, :, ks:ks + k_tile].transpose(-1, -2) * scale
            if causal:
                rows = torch.arange(qs, qs + qb.shape[2])[:, None] + offset
                cols = torch.arange(ks, ks + scores.shape[-1])[None, :]
                scores = scores.masked_fill(cols > rows, -math.inf)
            new_m = torch.maximum(m, scores.amax(-1))
            rescale = torch.exp(m - new_m).nan_to_num(0.0)
            weights = torch.exp(scores - new_m[..., None])
            l = l * rescale + weights.sum(-1)
            o = o * rescale[..., None] + weights @ v[:, :, ks:ks + k_tile]
            m = new_m
        out[:, :, qs:qs + q_tile] = o / l[..., None]
    return out


def naive_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False,
                    scale: float | None = None) -> torch.Tensor:
    """softmax(QKᵀ/√d)·V with the whole N × N score matrix in memory."""
    h, kv = q.shape[1], k.shape[1]
    k, v = k.repeat_interleave(h // kv, dim=1), v.repeat_interleave(h // kv, dim=1)
    scores = q @ k.transpose(-1, -2) * (q.shape[-1] ** -0.5 if scale is None else scale)
    if causal:
        n, n_k = scores.shape[-2:]
        scores = scores.masked_fill(torch.ones(n, n_k, dtype=torch.bool).triu(n_k - n + 1), -math.inf)
    return torch.softmax(scores, dim=-1) @ v
