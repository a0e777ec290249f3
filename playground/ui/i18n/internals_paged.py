"""The internals tab's words for PagedAttention: the engine's block tables and the workload simulator."""

from playground.ui.i18n import Catalogue

PAGED = Catalogue("ui.internals.paged", {
    "intro": (
        "### PagedAttention: the KV cache in blocks, as vLLM keeps it\n"
        "Systems before [vLLM](https://arxiv.org/abs/2309.06180) gave each request one contiguous cache, reserved "
        "up front for the longest answer it might give, and most of that memory was never written. "
        "**PagedAttention** stores the cache in fixed-size blocks, like an operating system's pages: a request holds "
        "a *block table* of physical blocks, takes a new block only when its last one fills, and can share full "
        "blocks with other sequences (the samples of one request, the beams of a search, prompts that begin with "
        "the same system prompt). Below, the prompts run through transformers' own continuous-batching engine with "
        "a paged cache (`attn_implementation=\"paged|eager\"`), then a workload runs through the same block "
        "allocator, counted against contiguous pre-allocation. Does paging share a common system prompt across "
        "requests ([vLLM #2354](https://github.com/vllm-project/vllm/issues/2354))? Set \"shared system prompt "
        "tokens\" and watch the shared tokens: full blocks with the same content hash are stored once.",
        "### PagedAttention（分页注意力）：像 vLLM 那样按块存放 KV 缓存\n"
        "在 [vLLM](https://arxiv.org/abs/2309.06180) 之前，系统给每个请求一块连续的缓存，按它可能给出的最长回答预先"
        "预留，而这块内存大部分从未被写入。**PagedAttention** 把缓存存成固定大小的块，就像操作系统的内存页：每个请求持有"
        "一张物理块的*块表*（block table），只在最后一块写满时才取新块，并且能和其他序列共用已满的块（同一请求的多个"
        "样本、一次搜索的多个束、以同一系统提示词开头的提示词）。下面，提示词先经过 transformers 自己的连续批处理"
        "（continuous batching）引擎，使用分页缓存（`attn_implementation=\"paged|eager\"`）；然后一个工作负载经过同一个"
        "块分配器，与连续预分配对比。分页会在请求之间共用一个公共的系统提示词吗（[vLLM #2354]"
        "(https://github.com/vllm-project/vllm/issues/2354)）？设置“共用的系统提示词 token 数”，看共用的 token："
        "内容哈希相同的满块只存一份。"),
    "summary": (
        "**{model}**: {requests} requests served together by transformers' continuous batching from a paged cache "
        "of {blocks} blocks × {size} tokens ({bytes:,} bytes a block). They held {held} blocks. Greedy text: "
        "**{same}** for every request. Attention over keys and values gathered through each block "
        "table vs SDPA over the contiguous cache of a plain forward: max gap **{gap:.1e}** over all layers.",
        "**{model}**：{requests} 个请求由 transformers 的连续批处理一起服务，分页缓存有 {blocks} 个块 × {size} 个 "
        "token（每块 {bytes:,} 字节）。它们占用了 {held} 个块。贪心文本：每个请求都**{same}**。"
        "通过各自块表收集键和值再做的注意力，与普通前向在连续缓存上的 SDPA 相比：所有层上的最大差距 **{gap:.1e}**。"),
    "same": ("the same as plain `generate`", "与普通的 `generate` 相同"),
    "different": ("different from plain `generate`", "与普通的 `generate` 不同"),
    "workload": (
        "**The workload**: {requests} requests × {samples} sample(s), {per_token:,} bytes per token. Contiguous "
        "reserves {length} tokens per sequence: {contiguous_mib:,.1f} MiB, of which {contiguous:.0%} is never "
        "written. Paged holds {paged_mib:,.1f} MiB, {paged:.1%} wasted in last blocks; {shared:,} tokens are read "
        "through shared blocks. In {budget:g} MiB, **{fit_contiguous}** requests fit contiguously and "
        "**{fit_paged}** paged.",
        "**工作负载**：{requests} 个请求 × {samples} 个样本，每个 token {per_token:,} 字节。连续分配给每个序列预留 "
        "{length} 个 token：{contiguous_mib:,.1f} MiB，其中 {contiguous:.0%} 从未写入。分页占用 {paged_mib:,.1f} "
        "MiB，{paged:.1%} 浪费在最后的块里；{shared:,} 个 token 通过共用的块读取。在 {budget:g} MiB 里，连续分配能放 "
        "**{fit_contiguous}** 个请求，分页能放 **{fit_paged}** 个。"),
    "paper": (
        "**Against the vLLM paper** (Kwon et al., 2023, §3 and Fig. 2): it measured that earlier systems kept only "
        "20.4–38.2% of their KV memory holding tokens (60–80% wasted) and that paging cuts the waste to under 4%. "
        "This simulation: contiguous pre-allocation wastes **{contiguous:.0%}**, paged blocks **{paged:.1%}**. It "
        "agrees on the mechanism and the size of the gap. It differs in what it counts: every request is taken at "
        "its full length at once (the peak), contiguous waste is reservation to `max_length` only (no external "
        "fragmentation between requests, which made the paper's figures worse), and the lengths come from the "
        "distribution you chose, not the paper's traces.",
        "**与 vLLM 论文对照**（Kwon 等，2023，§3 与图 2）：论文测得之前的系统只有 20.4–38.2% 的 KV 内存真正存着 "
        "token（浪费 60–80%），而分页把浪费降到 4% 以下。这个模拟：连续预分配浪费 **{contiguous:.0%}**，分页块浪费 "
        "**{paged:.1%}**。机制和差距的大小一致。不同在于计数方式：每个请求都按完整长度同时计入（峰值），连续分配的浪费"
        "只算预留到 `max_length` 的部分（不算请求之间的外部碎片，论文里的数字因此更差），长度来自你选的分布，而不是"
        "论文的真实请求记录。"),
    "serving": ("Serving the prompts through the paged engine", "正在通过分页引擎服务这些提示词"),
    "prompts": ("Requests, one per line (up to {limit})", "请求，每行一个（最多 {limit} 个）"),
    "new_tokens": ("new tokens per request", "每个请求的新 token 数"),
    "block_size": ("block size (tokens)", "块大小（token）"),
    "num_blocks": ("blocks in the engine's cache", "引擎缓存里的块数"),
    "simulator": ("**The workload simulator** (the vLLM paper's ShareGPT averages by default)",
                  "**工作负载模拟器**（默认用 vLLM 论文里 ShareGPT 的平均值）"),
    "distribution": ("lengths", "长度分布"),
    "prompt_mean": ("mean prompt tokens", "提示词的平均 token 数"),
    "output_mean": ("mean output tokens", "输出的平均 token 数"),
    "max_length": ("max length (contiguous reserves it)", "最大长度（连续分配按它预留）"),
    "samples": ("parallel samples (beams) per request", "每个请求的并行样本数（束）"),
    "system_prompt": ("shared system prompt tokens", "共用的系统提示词 token 数"),
    "budget": ("memory budget (MiB)", "内存预算（MiB）"),
    "run": ("Measure it here: serve the prompts paged and simulate the workload",
            "在这里测量：分页服务这些提示词并模拟工作负载"),
    "block_map": ("The block table", "块表"),
    "table": ("Requests", "请求"),
    "memory": ("Contiguous vs paged", "连续分配 vs 分页"),
    "beams": ("Beam search with copy-on-write forks", "使用写时复制分叉的 Beam Search"),
    "column.request": ("request", "请求"),
    "column.prompt": ("prompt tokens", "提示词 token 数"),
    "column.cached": ("tokens cached", "缓存的 token 数"),
    "column.blocks": ("blocks (physical ids)", "块（物理 id）"),
    "column.same": ("same text as generate", "与 generate 文本相同"),
    "column.gap": ("gathered attention vs SDPA (max |gap|)", "收集后的注意力 vs SDPA（最大 |差距|）"),
    "column.text": ("text", "文本"),
})
