"""The internals tab's words: the KV cache, PagedAttention, FlashAttention, the roofline and speculative decoding
(their explanations, controls, experiments, tables and summaries)."""

from playground.ui.i18n import Catalogue

INTERNALS = Catalogue("ui.internals", {
    "intro": (
        "## Inside `generate`, measured on the model you loaded\n"
        "The KV cache, PagedAttention (the idea behind vLLM), FlashAttention's online softmax, why one token costs "
        "what it costs, and speculative decoding, which spends that cost on several tokens at once: each panel runs "
        "on the model chosen here, and every number in it is measured or read from the model, not typed in.",
        "## `generate` 内部，在你加载的模型上实测\n"
        "KV 缓存（KV cache）、分页注意力 PagedAttention（vLLM 背后的想法）、FlashAttention 的在线 softmax、"
        "一个 token 为什么花这么多时间，以及推测解码（speculative decoding）——把这份代价分摊到一次多个 token 上："
        "每个面板都在这里选的模型上运行，其中每个数字都是实测的或从模型读出的，不是手填的。"),
    "tab.kv": ("KV cache", "KV 缓存"),
    "tab.paged": ("PagedAttention", "PagedAttention（分页注意力）"),
    "tab.flash": ("FlashAttention", "FlashAttention（闪电注意力）"),
    "tab.roofline": ("Decode roofline", "解码的屋顶线（roofline）"),
    "tab.speculative": ("Speculative decoding", "推测解码"),
    # the KV cache
    "kv.intro": (
        "### The KV cache\n"
        "Each new token's query attends to the keys and values of every token before it (the attention tab shows "
        "the matrix growing one row per token). Those keys and values never change once computed, so `generate` "
        "keeps them: the **KV cache**. With it, a step runs the model on one new token; without it, on the whole "
        "text again, so each step costs more than the last. The cache's price is memory: 2 (a key and a value) × "
        "layers × KV heads × head_dim × bytes per element, for every token. Grouped-query attention "
        "([Ainslie et al.](https://arxiv.org/abs/2305.13245)) shrinks it by letting query heads share KV heads; "
        "sliding-window layers keep only their window. Every number here is measured on, or read from, the model.",
        "### KV 缓存（KV cache）\n"
        "每个新 token 的查询（query）都要关注它之前每个 token 的键（key）和值（value）（注意力标签页里能看到矩阵"
        "每个 token 长一行）。这些键和值一旦算出就不再改变，所以 `generate` 把它们存起来：这就是 **KV 缓存**。"
        "有了它，每一步只在一个新 token 上运行模型；没有它，每一步都要把整段文本重跑一遍，一步比一步贵。缓存的代价是"
        "内存：每个 token 要 2（一个键和一个值）× 层数 × KV 头数 × head_dim × 每个元素的字节数。分组查询注意力"
        "（GQA，[Ainslie 等](https://arxiv.org/abs/2305.13245)）让多个查询头共用 KV 头，从而缩小缓存；"
        "滑动窗口层只保留它的窗口。这里每个数字都是在模型上实测或从模型读出的。"),
    "kv.summary": (
        "**{model}**: {new} new tokens after a {prompt}-token prompt took {cached:.2f} s with the cache and "
        "{uncached:.2f} s without (**{speedup:.1f}×**); the greedy text is {same} ({text}…).\n\n"
        "**The ledger:** {per_token:,} bytes per token ({kib:g} KiB); for the {tokens} tokens the formula gives "
        "{formula:,} bytes, and the real cache tensors (`cache.layers[i].keys` and `.values`) hold {real:,}: {equal}.",
        "**{model}**：在 {prompt} 个 token 的提示词之后生成 {new} 个新 token，用缓存花了 {cached:.2f} 秒，不用缓存"
        "花了 {uncached:.2f} 秒（**{speedup:.1f}×**）；贪心得到的文本{same}（{text}…）。\n\n"
        "**账目：** 每个 token {per_token:,} 字节（{kib:g} KiB）；对这 {tokens} 个 token，公式给出 {formula:,} 字节，"
        "真实的缓存张量（`cache.layers[i].keys` 和 `.values`）存了 {real:,} 字节：{equal}。"),
    "kv.same": ("the same", "相同"),
    "kv.different": ("**different**", "**不同**"),
    "kv.equal": ("exactly equal", "完全相等"),
    "kv.not_equal": ("**not equal**", "**不相等**"),
    "kv.context": ("calculator: context (tokens)", "计算器：上下文长度（token）"),
    "kv.batch": ("calculator: batch", "计算器：批大小"),
    "kv.dtype": ("calculator: dtype", "计算器：dtype"),
    "kv.run": ("Measure it here: generate with and without the cache", "在这里测量：用缓存和不用缓存各生成一次"),
    "kv.plot": ("Time per new token", "每个新 token 的耗时"),
    "kv.caption": (
        "Without the cache each step runs the model over the whole text so far, so its time grows with the "
        "position; with it, each step reads the cached keys and values and computes one new row. The first token "
        "costs more either way: it also reads the whole prompt (the prefill).",
        "不用缓存时，每一步都要在目前为止的整段文本上运行模型，所以耗时随位置增长；用缓存时，每一步读取缓存的键和值，"
        "只算新的一行。第一个 token 无论哪种都更贵：它还要读整个提示词（预填充，prefill）。"),
    "kv.sharing": ("This model's cache at the calculator's context, as MHA, as it is, and as MQA",
                   "这个模型在计算器的上下文长度下的缓存：作为 MHA、它本来的样子、作为 MQA"),
    "kv.table": ("The calculator: this model and published configs (built without weights)",
                 "计算器：这个模型与公开的配置（不加载权重构建）"),
    "kv.window_note": (
        "Sliding-window layers keep only the last window − 1 tokens (the current token is the window's last): a "
        "formula that counts every layer at the full context overstates Gemma-2's cache, whose layers alternate "
        "sliding and full. Tests hold the calculator to the real cache of small models built with and without a "
        "window.",
        "滑动窗口层只保留最后 window − 1 个 token（当前 token 是窗口的最后一个）：一个把每层都按完整上下文计算的公式"
        "会高估 Gemma-2 的缓存，它的层在滑动窗口和全注意力之间交替。测试用带窗口和不带窗口的小模型的真实缓存来检验"
        "这个计算器。"),
    "column.model": ("model", "模型"),
    "column.layers": ("layers", "层"),
    "column.attention": ("attention", "注意力"),
    "head_dim": ("head_dim", "head_dim（头维度）"),
    "column.kib": ("KiB per token (full layers)", "每个 token 的 KiB（全注意力层）"),
    "column.cache": ("cache (GiB)", "缓存（GiB）"),
    "column.naive": ("naive formula (GiB)", "朴素公式（GiB）"),
    "column.naive_error": ("naive error", "朴素公式的误差"),
    "column.kv_heads": ("KV heads", "KV 头数"),
    "column.bytes": ("bytes per token", "每个 token 的字节数"),
    "column.cache_mib": ("cache (MiB)", "缓存（MiB）"),
    # FlashAttention
    "flash.intro": (
        "### FlashAttention: exact attention without the N × N matrix\n"
        "Attention's softmax needs each row's maximum and sum over *all* keys before any weight is known, so naive "
        "attention builds the whole N × N score matrix. The **online softmax** ([Milakov & Gimelshein]"
        "(https://arxiv.org/abs/1805.02867)) takes keys a tile at a time and keeps a running max m and sum l: when a "
        "tile brings a bigger max, the sum and the partial output so far are multiplied by exp(m_old − m_new), and "
        "the result is exact. **FlashAttention** ([Dao et al.](https://arxiv.org/abs/2205.14135)) tiles queries and "
        "keys this way, so only one small block of scores ever exists. Here it runs in plain torch on this model's "
        "real queries, keys and values (caught as the layer's attention receives them, after RoPE).",
        "### FlashAttention：不需要 N × N 矩阵的精确注意力\n"
        "注意力的 softmax 要先知道每一行在*所有* key 上的最大值和总和，才能算出任何一个权重，所以朴素的注意力要建出"
        "整个 N × N 的分数矩阵。**在线 softmax**（online softmax，[Milakov & Gimelshein]"
        "(https://arxiv.org/abs/1805.02867)）一次取一块 key，保留累计最大值 m 和累计和 l：当某一块带来更大的最大值时，"
        "之前的和与部分输出都乘以 exp(m_old − m_new)，结果是精确的。**FlashAttention**（[Dao 等]"
        "(https://arxiv.org/abs/2205.14135)）这样把查询和 key 都分块，所以任何时候只存在一小块分数。这里用纯 torch "
        "在这个模型真实的查询、键和值上运行（在这一层的注意力接收它们时抓取，位于 RoPE 之后）。"),
    "flash.summary": (
        "**{model}**, layer {layer}, head {head}, the row of the last token (`{token}`) over {keys} keys in tiles of "
        "{tile}: the online softmax ends **{row_error:.1e}** from softmax(q·Kᵀ/√d)·V. The tiled forward ({q_tile} "
        "queries × {k_tile} keys) on this layer's real q/k/v is off SDPA by {causal:.1e} (causal) and {full:.1e} "
        "(no mask).\n\n"
        "At N = {length}, naive attention held **{ratio:.0f}×** the tiled forward's peak memory. The tiled forward "
        "is a Python loop over tiles, so on this CPU it is no faster than naive and far slower than SDPA's fused "
        "kernel: what it proves is the memory and the exactness, not speed.",
        "**{model}**，第 {layer} 层，第 {head} 个头，最后一个 token（`{token}`）的那一行，在 {keys} 个 key 上、"
        "每块 {tile} 个：在线 softmax 最终与 softmax(q·Kᵀ/√d)·V 相差 **{row_error:.1e}**。在这一层真实的 q/k/v 上，"
        "分块前向（{q_tile} 个查询 × {k_tile} 个 key）与 SDPA 相差 {causal:.1e}（因果）和 {full:.1e}（无掩码）。\n\n"
        "N = {length} 时，朴素注意力的内存峰值是分块前向的 **{ratio:.0f}×**。分块前向是对各块的 Python 循环，所以在"
        "这个 CPU 上它不比朴素实现快，更远慢于 SDPA 的融合内核：它证明的是内存和精确性，不是速度。"),
    "flash.head": ("head", "头 head"),
    "flash.key_tile": ("keys per tile (the walk)", "每块的 key 数（逐块走读）"),
    "flash.q_tile": ("tiled forward: query tile", "分块前向：查询块大小"),
    "flash.k_tile": ("tiled forward: key tile", "分块前向：key 块大小"),
    "flash.max_length": ("sweep up to N tokens", "扫描到 N 个 token"),
    "flash.run": ("Walk the online softmax and measure", "逐块走读在线 softmax 并测量"),
    "flash.walk": ("The online softmax", "在线 softmax"),
    "flash.steps": ("Tile by tile", "逐块"),
    "flash.sweep": ("Naive vs tiled vs SDPA", "朴素 vs 分块 vs SDPA"),
    "flash.measured": ("Measured (peak from torch.profiler's allocation log)", "实测（峰值来自 torch.profiler 的分配日志）"),
    "flash.walking": ("Walking the row and measuring the sweep", "正在逐块走读这一行并测量扫描"),
    "N": ("N", "N（序列长度）"),
    "column.naive_peak": ("naive peak (MB)", "朴素峰值（MB）"),
    "column.tiled_peak": ("tiled peak (MB)", "分块峰值（MB）"),
    "column.sdpa_peak": ("SDPA peak (MB)", "SDPA 峰值（MB）"),
    "column.naive_ms": ("naive (ms)", "朴素（ms）"),
    "column.tiled_ms": ("tiled (ms)", "分块（ms）"),
    "column.sdpa_ms": ("SDPA (ms)", "SDPA 用时（ms）"),
    # the roofline
    "roof.intro": (
        "### The decode roofline: where the time goes\n"
        "To make one token, a decode step multiplies one vector per sequence by every weight matrix: it reads all "
        "the weights from memory and does only a couple of flops per weight read. So at batch 1 its floor is "
        "**weight bytes ÷ memory bandwidth**, and a bigger batch reuses the same read almost for free until compute "
        "catches up. That is why vLLM batches requests, and why the decoding tab runs every strategy in one pass. "
        "Everything below is measured now, on this machine: the bandwidth, the time per token, the batch sweep, and "
        "a profile of one step. bf16 and int8 copies of the model are exhibits of what lowers the floor; the "
        "playground's own tabs stay exact fp32.",
        "### 解码的屋顶线（roofline）：时间花在哪里\n"
        "生成一个 token 时，解码的一步要把每个序列的一个向量乘以每个权重矩阵：它要从内存读出全部权重，而每读一个权重"
        "只做几次浮点运算。所以批大小为 1 时，它的下限是 **权重字节数 ÷ 内存带宽**；批更大时，同一次读取几乎免费地被"
        "复用，直到计算跟上为止。这就是 vLLM 要把请求凑成批、解码标签页要把所有策略放在一遍里运行的原因。下面的一切都是"
        "现在在这台机器上实测的：带宽、每个 token 的时间、批大小扫描，以及一步的性能剖析。模型的 bf16 和 int8 副本是"
        "降低下限的展示；playground 自己的标签页仍保持精确的 fp32。"),
    "roof.summary": (
        "**{model}** reads **{mb:,.0f} MB** of weights per decode step. This machine read memory at "
        "**{bandwidth:.1f} GB/s** just now, so the floor is **{floor:.1f} ms** per token; a step measured "
        "**{ms:.1f} ms** (**{over:.1f}×** the floor). Two things keep it above: the matrix products themselves read "
        "weights at only {matmul:.1f} GB/s (small matrix-vector products on few cores do not stream memory like one "
        "long sum), and everything else in the step (the profile's grey bar: hundreds of small ops and Python's "
        "dispatch) adds time that no weight read explains. Decoding {batch} sequences at once gave **{ratio:.1f}×** "
        "the tokens/s of one.\n\n"
        "The exhibits: bf16 halves the bytes; int8 dynamic quantisation stores the linear weights in a byte but also "
        "rounds each activation vector to int8 on the fly, and language models' activations have outlier features "
        "([Dettmers et al.](https://arxiv.org/abs/2208.07339)), so it agrees with fp32 less. Whether either is "
        "faster here depends on this CPU's kernels for those types, not only on the bytes.",
        "**{model}** 每个解码步读取 **{mb:,.0f} MB** 权重。这台机器刚才的内存读取速度是 **{bandwidth:.1f} GB/s**，"
        "所以下限是每个 token **{floor:.1f} ms**；实测一步 **{ms:.1f} ms**（下限的 **{over:.1f}×**）。有两件事让它"
        "高于下限：矩阵乘法本身读权重只有 {matmul:.1f} GB/s（少数几个核上的小矩阵-向量乘法不像一次长求和那样流式读取"
        "内存），而步中其余的一切（剖析图里的灰色条：几百个小算子和 Python 的调度）增加的时间，任何权重读取都解释不了。"
        "一次解码 {batch} 个序列，tokens/s 是一个序列的 **{ratio:.1f}×**。\n\n"
        "展示：bf16 把字节数减半；int8 动态量化把线性层权重存成一个字节，但也把每个激活向量即时舍入到 int8，而语言模型"
        "的激活有离群特征（[Dettmers 等](https://arxiv.org/abs/2208.07339)），所以它与 fp32 的一致性更低。它们在这里"
        "是否更快，取决于这个 CPU 对这些类型的内核，而不只取决于字节数。"),
    "roof.new_tokens": ("tokens per timed decode", "每次计时解码的 token 数"),
    "roof.max_batch": ("batch sweep up to (doubling from 1)", "批大小扫描的上限（从 1 开始翻倍）"),
    "roof.exhibit_tokens": ("greedy tokens compared in the exhibits", "展示中比较的贪心 token 数"),
    "roof.run": ("Measure it here: the roofline", "在这里测量：屋顶线"),
    "roof.floor": ("The floor and the measured time", "下限与实测时间"),
    "roof.batches": ("Tokens/s against batch size", "tokens/s 随批大小的变化"),
    "roof.split": ("One decode step, by kind of op", "一个解码步，按算子种类"),
    "roof.table": ("fp32, bf16 and int8", "fp32、bf16 与 int8"),
    "column.weights": ("weights", "权重"),
    "column.read": ("bytes read per step (MB)", "每步读取的字节数（MB）"),
    "column.floor": ("floor (ms)", "下限（ms）"),
    "column.ms": ("measured ms per token", "实测每个 token 的毫秒数"),
    "column.token_agreement": ("token agreement with fp32", "与 fp32 的 token 一致率"),
    "column.top1_agreement": ("top-1 agreement with fp32", "与 fp32 的 top-1 一致率"),
})
