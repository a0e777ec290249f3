"""The internals' words: their figures (titles, axes, legends, hovers), the names of what they measure, and their
errors. Numbers, units and code names stay as they are."""

from playground.core.language import Words

WORDS = Words("internals", {
    # the KV cache
    "kv.with": ("with the KV cache", "使用 KV 缓存"),
    "kv.without": ("without (every step re-reads the whole text)", "不用缓存（每一步都重读整段文本）"),
    "kv.x": ("new token (position after the prompt)", "新 token（提示词之后的位置）"),
    "kv.y": ("ms for this token", "这个 token 用的毫秒数"),
    "kv.title": ("Time per new token: {speedup:.1f}× faster with the cache over {tokens} tokens",
                 "每个新 token 的耗时：{tokens} 个 token 上，用缓存快 {speedup:.1f}×"),
    "gqa": ("GQA ({heads} query heads share {kv} KV heads)", "GQA（{heads} 个查询头共用 {kv} 个 KV 头）"),
    "layers": ("{full} full, {sliding} sliding", "{full} 层全注意力，{sliding} 层滑动窗口"),
    "window": (" (window {window:,})", "（窗口 {window:,}）"),
    # FlashAttention
    "flash.scores": ("scores: this tile's max and the running max m", "分数：这一块的最大值与累计最大值 m"),
    "flash.sum": ("running sum l", "累计和 l"),
    "flash.keys": ("keys {first}–{last}", "第 {first}–{last} 个 key"),
    "flash.tile_max": ("tile max", "块内最大值"),
    "flash.running_max": ("running max m", "累计最大值 m"),
    "flash.key_range": ("keys", "key 范围"),
    "flash.rescale_column": ("earlier sums × exp(m_old − m_new)", "之前的和 × exp(m_old − m_new)"),
    "flash.output": ("|output| so far", "目前的 |输出|"),
    "flash.rescale": ("earlier sums × {rescale:.3g}", "之前的和 × {rescale:.3g}"),
    "flash.title": ("Layer {layer}, head {head}: the last token's row, a tile of keys at a time (final row off exact "
                    "softmax·V by {error:.1e})",
                    "第 {layer} 层第 {head} 个头：最后一个 token 的那一行，一次一块 key（最终的行与精确的 softmax·V "
                    "相差 {error:.1e}）"),
    "sweep.memory": ("peak extra memory (MB)", "额外内存峰值（MB）"),
    "sweep.time": ("time (ms)", "时间（ms）"),
    "sweep.naive": ("naive (N × N scores)", "朴素实现（N × N 分数矩阵）"),
    "sweep.tiled": ("tiled (FlashAttention, Python loop)", "分块（FlashAttention，Python 循环）"),
    "sweep.sdpa": ("torch SDPA (fused)", "torch SDPA（融合内核）"),
    "sweep.x": ("sequence length N", "序列长度 N"),
    "sweep.title": ("Causal attention for this model's heads: memory and time as N doubles",
                    "这个模型各头的因果注意力：N 每翻一倍时的内存与时间"),
    "tile": ("tile must be at least 1 (got {value}).", "tile 至少为 1（收到的是 {value}）。"),
    "tiles": ("tile sizes must be at least 1 (got {q} and {k}).", "块大小至少为 1（收到的是 {q} 和 {k}）。"),
    "heads_multiple": ("query heads ({heads}) must be a multiple of KV heads ({kv}).",
                       "查询头数（{heads}）必须是 KV 头数（{kv}）的倍数。"),
    "not_caught": ("{model}'s attention layers do not go through transformers' attention interface, so their q, k "
                   "and v cannot be caught.",
                   "{model} 的注意力层不经过 transformers 的注意力接口，所以抓不到它们的 q、k、v。"),
    # PagedAttention
    "blocks.title": ("{held} of the cache's {blocks} blocks of {size} tokens held ('r1·2': request 1's third block; "
                     "grey: free)",
                     "缓存的 {blocks} 个块（每块 {size} 个 token）中占用了 {held} 个（'r1·2'：请求 1 的第三个块；"
                     "灰色：空闲）"),
    "memory.peak": ("KV memory at the peak (MiB)", "峰值时的 KV 内存（MiB）"),
    "memory.fit": ("requests that fit the budget", "预算内放得下的请求数"),
    "memory.contiguous": ("contiguous (max length)", "连续分配（按最大长度）"),
    "memory.paged": ("paged blocks", "分页块"),
    "memory.used": ("holding tokens", "存着 token"),
    "memory.reserved": ("reserved, never written", "预留了却从未写入"),
    "memory.last_block": ("last block's empty slots", "最后一块的空位"),
    "memory.requests": ("requests", "请求数"),
    "memory.title": ("{requests} requests: {contiguous:.0%} of contiguous memory wasted, {paged:.1%} of paged",
                     "{requests} 个请求：连续分配浪费 {contiguous:.0%} 的内存，分页浪费 {paged:.1%}"),
    "beams.copies": ("every beam its own copy", "每个束各存一份"),
    "beams.forks": ("copy-on-write forks (paged)", "写时复制的分叉（分页）"),
    "beams.x": ("beam search step", "Beam Search 的步数"),
    "beams.y": ("blocks held", "占用的块数"),
    "beams.title": ("Beam search: forks share their parents' full blocks", "Beam Search：分叉共用父序列已满的块"),
    "prompts.none": ("Type at least one prompt, one per line.", "请至少输入一个提示词（batch_prompts），每行一个。"),
    "prompts.many": ("At most {limit} prompts at once (got {count}).", "一次最多 {limit} 个提示词（收到了 {count} 个）。"),
    "sliding": ("{model} has sliding-window layers, which transformers' engine pages with another allocator; this "
                "panel draws full-attention block tables.",
                "{model} 有滑动窗口层，transformers 的引擎用另一种分配器给它们分页；这个面板画的是全注意力的块表。"),
    "blocks.short": ("These prompts need {needed} blocks of {size} tokens at their longest; the cache has {blocks}. "
                     "Raise num_blocks or shorten the prompts.",
                     "这些提示词最长时需要 {needed} 个 {size} token 的块；缓存只有 {blocks} 个。请调大 num_blocks，"
                     "或缩短提示词。"),
    "engine_failed": ("The paged engine failed: {error}.", "分页引擎失败了：{error}。"),
    "no_answer": ("no answer in 60 s", "60 秒内没有回应"),
    "block_size.power": ("block_size must be a power of two, as vLLM's and FlashInfer's paged kernels require (got "
                         "{value}).",
                         "block_size 必须是 2 的幂，vLLM 和 FlashInfer 的分页内核都这样要求（收到的是 {value}）。"),
    "system_prompt": ("the system prompt must be shorter than max_length.", "系统提示词必须比 max_length 短。"),
    "budget": ("A budget of {budget:g} MiB holds not even one request: contiguous pre-allocation needs {need:,.1f} MiB "
               "for one ({samples} × {length} tokens × {bytes:,} bytes), and the first request's blocks do not fit "
               "either. Raise the budget.",
               "{budget:g} MiB 的预算连一个请求都放不下：连续预分配一个请求就要 {need:,.1f} MiB（{samples} × "
               "{length} 个 token × {bytes:,} 字节），第一个请求的块也放不下。请调高预算。"),
    "distribution.long-tailed": ("long-tailed", "长尾"),
    "distribution.uniform": ("uniform", "均匀"),
    "distribution.fixed": ("fixed", "固定"),
    # the roofline
    "exhibit.shared": ("{name} (the shared model, as PLAYGROUND_DTYPE set it)",
                       "{name}（共享的模型，按 PLAYGROUND_DTYPE 的设置）"),
    "exhibit.bf16": ("bf16 weights", "bf16 权重"),
    "exhibit.int8": ("int8 dynamic quantisation (per channel; linear layers but the head)",
                     "int8 动态量化（逐通道；除输出头外的线性层）"),
    "progress.measuring": ("Measuring the memory bandwidth and ms per token", "正在测量内存带宽和每个 token 的毫秒数"),
    "progress.batching": ("Batch sizes", "批大小"),
    "progress.profiling": ("Profiling one step; bf16 and int8 exhibits", "正在剖析一步；bf16 和 int8 展示"),
    "op.matmul": ("matmul (weights)", "矩阵乘（权重）"),
    "op.attention": ("attention", "注意力"),
    "op.norms": ("norms", "归一化"),
    "op.other": ("other (incl. Python)", "其他（含 Python）"),
    "roof.constant": ("if the step cost stayed the batch-1 cost", "假如每步的代价一直是批大小 1 时的代价"),
    "roof.measured": ("measured", "实测"),
    "roof.batch": ("batch size (sequences decoded together)", "批大小（一起解码的序列数）"),
    "roof.batch_title": ("Batching: {ratio:.1f}× the tokens/s at batch {batch}",
                         "批处理：批大小 {batch} 时 tokens/s 是 {ratio:.1f}×"),
    "roof.floor": ("floor: bytes ÷ {bandwidth:.1f} GB/s", "下限：字节数 ÷ {bandwidth:.1f} GB/s"),
    "roof.ms": ("measured ms per token (batch 1)", "实测每个 token 的毫秒数（批大小 1）"),
    "roof.per_token": ("ms per token", "每个 token 的毫秒数"),
    "roof.floor_title": ("One token at batch 1: {over:.1f}× the memory floor in fp32",
                         "批大小 1 时一个 token：fp32 下是内存下限的 {over:.1f}×"),
    "roof.split_x": ("ms in one decode step (torch.profiler, self time)", "一个解码步里的毫秒数（torch.profiler，自身时间）"),
    "roof.split_title": ("Where one step goes: {share:.0%} in matrix products", "一步的时间去哪了：{share:.0%} 在矩阵乘法里"),
    # speculative decoding
    "drafter.prompt_lookup": ("prompt lookup (n-grams copied from the prompt)", "提示查找（prompt lookup，从提示词里复制 n-gram）"),
    "drafter.early_exit": ("early exit (the model's first L layers, then its head)",
                           "提前退出（early exit，模型的前 L 层，再接它的输出头）"),
    "drafter.draft_model": ("a separate draft model (same tokenizer)", "一个单独的草稿模型（draft model，同一个分词器）"),
    "exit_layer": ("exit_layer must be between 1 and {last} for {model} (it has {layers} layers; at {layers} the "
                   "drafter would be the model itself).",
                   "对 {model}，exit_layer 必须在 1 与 {last} 之间（它有 {layers} 层；取 {layers} 时草稿器就是模型本身）。"),
    "no_early_exit": ("{model} stacks its blocks where transformers' early exit does not reach (it lowers "
                      "num_hidden_layers, which Llama-style models read): choose SmolLM2, a tiny Llama or Qwen2, or "
                      "another drafter.",
                      "{model} 把它的块放在 transformers 的提前退出够不着的地方（提前退出是调低 Llama 类模型读取的 "
                      "num_hidden_layers）：请选 SmolLM2、一个微型 Llama 或 Qwen2，或换一个 drafter。"),
    "other_tokenizer": ("{draft} uses another tokenizer than {model} ({draft_size:,} against {size:,} tokens, or the "
                        "same count with other ids): its drafts could not be checked token by token. Choose a draft "
                        "model of the same family (SmolLM2-135M for SmolLM2-360M, a tiny model for SmolLM2).",
                        "{draft} 用的分词器和 {model} 不同（{draft_size:,} 对 {size:,} 个 token，或数目相同而 id 不同）："
                        "它的草稿无法逐个 token 检查。请选同一家族的草稿模型（draft_model）（SmolLM2-360M 配 "
                        "SmolLM2-135M，SmolLM2 配一个微型模型）。"),
    "fate.kept": ("accepted draft", "被接受的草稿"),
    "fate.rejected": ("rejected draft (the model disagreed)", "被拒绝的草稿（模型不同意）"),
    "fate.unchecked": ("drafted after a rejection (discarded unread)", "拒绝之后的草稿（没读就丢弃）"),
    "fate.added": ("the model's own token", "模型自己的 token"),
    "chip": ("{fate}; p={p:.3f} under the model", "{fate}；模型给出的 p={p:.3f}"),
    "pass": ("pass {n} · {verdict} · +{new}", "第 {n} 遍 · {verdict} · +{new}"),
    "pass.kept": ("{kept}/{drafted} kept", "保留 {kept}/{drafted}"),
    "pass.none": ("no draft", "没有草稿"),
    "passes.more": ("… and {more} more passes (all of them are in the JSON).", "……还有 {more} 遍（全部都在 JSON 里）。"),
    "outline": ("Outline:", "边框："),
    "run.passes": ("tokens per target forward pass", "每次目标模型前向传播的 token 数"),
    "run.clock": ("tokens out against time", "输出的 token 数随时间"),
    "run.accepted": ("accepted drafts", "被接受的草稿"),
    "run.rejected": ("rejected drafts", "被拒绝的草稿"),
    "run.plain": ("plain: one forward pass per token", "普通解码：每个 token 一次前向传播"),
    "run.speculative": ("speculative", "推测解码"),
    "run.pass": ("target forward pass", "目标模型的前向传播"),
    "run.seconds": ("seconds", "秒"),
    "run.title": ("{accepted}/{drafted} drafts accepted ({rate:.0%}); {per_pass:.2f} tokens per target pass; "
                  "{speedup:.2f}× plain's speed",
                  "接受了 {accepted}/{drafted} 个草稿（{rate:.0%}）；每次目标前向 {per_pass:.2f} 个 token；"
                  "速度是普通解码的 {speedup:.2f}×"),
    "rule.other": ("every other token", "其他所有 token"),
    "rule.step": ("one real step: draft '{token}' kept with min(1, {p:.3f}/{q:.3f}) = {keep:.3f}",
                  "一个真实的步骤：草稿 '{token}' 以 min(1, {p:.3f}/{q:.3f}) = {keep:.3f} 的概率保留"),
    "rule.draws": ("{draws:,} drafts from q through each rule, against p (± the bound)",
                   "从 q 抽 {draws:,} 个草稿经过每条规则，与 p 对比（± 界）"),
    "rule.p": ("p: the model", "p：模型"),
    "rule.q": ("q: the drafter", "q：草稿器"),
    "rule.residual": ("norm(max(0, p − q)): a rejection's redraw", "norm(max(0, p − q))：拒绝后重抽的分布"),
    "rule.target": ("p (target)", "p（目标）"),
    "rule.passes": ("passes", "通过"),
    "rule.fails": ("FAILS", "不通过"),
    "rule.check": ("{rule}: {verdict} ({worst:.1f}× the bound)", "{rule}：{verdict}（界的 {worst:.1f}×）"),
    "rule.name.speculative": ("min(1, p/q), else resample from max(0, p − q)", "min(1, p/q)，否则从 max(0, p − q) 重抽"),
    "rule.name.always_accept": ("always accept (broken)", "总是接受（错误的规则）"),
    "rule.title": ("The rejection rule: the token that comes out is distributed as p, whatever q is",
                   "拒绝规则：无论 q 是什么，输出的 token 都服从 p"),
    "rule.none": ("No draft in this run", "这次运行没有草稿"),
})
