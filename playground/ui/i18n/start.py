"""The start page's words: the study note's questions, their answers (templates the measured numbers fill in) and
the buttons that open the panels."""

from playground.ui.i18n import Catalogue

START = Catalogue("start", {
    "intro": (
        "## Start here: six questions, answered by the model running on this machine\n"
        "Each answer quotes a number the playground measured; each button opens the panel that shows it, with the "
        "experiment's inputs set. Change anything there: every panel runs again on what you choose.",
        "## 从这里开始：六个问题，由这台机器上运行的模型来回答\n"
        "每个回答都引用游乐场实际测得的一个数字；每个按钮打开展示它的面板，并设好实验的输入。在那里可以改动任何设置："
        "每个面板都会按你的选择重新运行。"),
    "measured": ("{reference} The panels the buttons open measure again on this machine.",
                 "{reference}按钮打开的面板会在这台机器上重新测量。"),
    "no_facts": ("The start page's numbers are made by `make references`; the panels below still work.",
                 "开始页的数字由 `make references` 生成；各个面板照常可用。"),
    "q1": ("### 1. What do top-k, top-p and temperature do, and which should I use?",
           "### 1. top-k、top-p 和温度（temperature）各做什么？该用哪个？"),
    "q2": ("### 2. Why does greedy loop, and what does beam search buy?",
           "### 2. 贪心（greedy）为什么会原地打转？Beam Search（束搜索）又带来了什么？"),
    "q3": ("### 3. What is QKᵀ/√d, and what does a mask do: BERT vs GPT vs T5 vs LLaMA/Qwen?",
           "### 3. QKᵀ/√d 是什么？掩码（mask）做什么：BERT、GPT、T5 与 LLaMA/Qwen 有何不同？"),
    "q4": ("### 4. What changed from BERT to Qwen, and why did decoder-only win?",
           "### 4. 从 BERT 到 Qwen 变了什么？为什么 Decoder-Only 胜出？"),
    "q5": ("### 5. Prompt tuning vs prefix tuning vs adapters vs LoRA: what trains, how much, how well?",
           "### 5. prompt tuning、prefix tuning、adapter 与 LoRA：各训练什么、训练多少、效果如何？"),
    "q6": ("### 6. Why does a KV cache help, and what does it cost? What does PagedAttention fix? Why is "
           "FlashAttention faster? How does speculative decoding make decoding itself faster?",
           "### 6. KV cache 为什么有用，代价是什么？PagedAttention 解决了什么？FlashAttention 为什么更快？"
           "推测解码（speculative decoding）如何让解码本身更快？"),
    "link.next_token": ("Open the next-token distribution on those settings", "用这些设置打开下一个 token 的分布"),
    "link.decoding": ("Compare greedy, beam search and the samplers", "比较贪心、Beam Search 和各种采样"),
    "link.cell": ("Work one cell by hand", "手算一个格子"),
    "link.masks": ("See BERT's mask beside a decoder's", "把 BERT 的掩码和解码器的并排看"),
    "link.walk": ("Walk one block of SmolLM2", "逐步走过 SmolLM2 的一个块"),
    "link.lens": ("Read the logit lens", "读 logit lens"),
    "link.pretraining": ("See BERT's, T5's and GPT's training masks", "看 BERT、T5 和 GPT 的预训练掩码"),
    "link.methods": ("Compare all eight methods", "比较全部八种方法"),
    "link.side_by_side": ("See a shipped LoRA beside the base", "把内置的 LoRA 和基座模型并排看"),
    "link.kv": ("Measure the KV cache", "测量 KV cache"),
    "link.paged": ("See the cache in pages", "看分页的缓存"),
    "link.flash": ("Walk FlashAttention's online softmax", "逐步走过 FlashAttention 的 online softmax"),
    "link.speculative": ("Watch drafts accepted and rejected", "看草稿被接受和被拒绝"),
    "plot.hover": ("%{text}<br>%{x:,} trainable<br>exact match %{y:.0%}", "%{text}<br>可训练 %{x:,}<br>完全匹配 %{y:.0%}"),
    "plot.base": ("base {base:.0%}", "基座模型 {base:.0%}"),
    "plot.x": ("trainable parameters (log scale)", "可训练参数（对数刻度）"),
    "plot.y": ("held-out exact match", "留出集上的完全匹配率"),
    "plot.title": ("PEFT at a glance: what trains, how much, how well (city → JSON, 60 steps)",
                   "PEFT 一览：训练什么、训练多少、效果如何（城市 → JSON，60 步）"),
    "a1": (
        "Temperature divides the logits before the softmax (below 1 sharpens, above 1 flattens); top-k keeps the k "
        "likeliest tokens; top-p keeps the smallest set holding probability p. The study note's advice is top-p ≈ "
        "0.9 with a moderate temperature, with top-k in front to cap the tail. After \"Once upon a time, there was "
        "a\", temperature 0.7, top-k 50 and top-p 0.9 leave **{kept:,} of 49,152 tokens**, and the likeliest "
        "({top_text}) goes from p = {top_raw:.3f} to {top_final:.3f}.",
        "softmax 之前，logits 先除以温度（temperature）：小于 1 让分布更尖锐，大于 1 让它更平滑。Top-K 采样只保留"
        "概率最高的 k 个 token；Top-P 采样（核采样，nucleus sampling）保留累计概率达到 p 的最小集合。学习笔记的建议是"
        "以 Top-P（P ≈ 0.9）为主，配合适当的温度，并先用 Top-K 截掉长尾。在 \"Once upon a time, there was a\" 之后，"
        "温度 0.7、top-k 50、top-p 0.9 只留下 **49,152 个 token 中的 {kept:,} 个**，最可能的那个（{top_text}）的"
        "概率从 p = {top_raw:.3f} 变为 {top_final:.3f}。"),
    "a2": (
        "Greedy takes the likeliest token every time, and once a phrase makes itself likeliest again it repeats: "
        "asked for three birthday-party ideas, greedy repeats **{greedy:.0%}** of its 3-grams. Beam search keeps "
        "several sequences and picks the likeliest whole text ({beam:.0%} repeated); sampling with top-p breaks the "
        "loop by chance ({top_p:.0%}).",
        "贪心算法每一步都选概率最高的 token；一旦某个短语让自己再次成为最可能的续写，它就会一直重复：让模型给出三个"
        "生日派对的点子，贪心的 3-gram 有 **{greedy:.0%}** 是重复的。Beam Search（束搜索）同时保留多个候选序列，"
        "选整体概率最高的文本（重复 {beam:.0%}）；Top-P 采样靠随机性跳出循环（重复 {top_p:.0%}）。"),
    "a3": (
        "Each query's scores against every key, q·k divided by √d, plus the mask (−∞ where it may not look), go "
        "through a softmax. One cell worked by hand gives {cell_weight:.6f}, {cell_gap:.0e} from the model's own "
        "weight. The mask is what tells the families apart: BERT sees both ways, GPT, LLaMA and Qwen only the past, "
        "T5 both in its encoder and the past in its decoder. Many heads park their attention on the first token: "
        "layer {sink_layer} head {sink_head} puts **{sink_share:.3f}** of it there.",
        "每个 query 与每个 key 的分数 q·k 除以 √d，加上掩码（不允许看的位置为 −∞），再经过 softmax。手算一个格子得到 "
        "{cell_weight:.6f}，与模型自己的权重相差 {cell_gap:.0e}。区分各个家族的正是掩码：BERT 是双向注意力，GPT、"
        "LLaMA 和 Qwen 是单向注意力（因果注意力），只看过去；T5 的编码器双向、解码器只看过去。许多注意力头把注意力"
        "停放在第一个 token 上：第 {sink_layer} 层第 {sink_head} 个头把 **{sink_share:.3f}** 的注意力放在那里。"),
    "a4": (
        "BERT (encoder-only) learns to fill in 15% of masked tokens, T5 (encoder-decoder) to write cut spans back, "
        "GPT to predict every next token. LLaMA and Qwen kept GPT's decoder-only shape and swapped its parts: "
        "RMSNorm for LayerNorm, SwiGLU for GELU, RoPE for learned positions, the norm before each sublayer. "
        "Decoder-only won because one objective trains on every position of any text and the same stack "
        "generates, with no cross-attention, and it kept improving with scale. Here each of SmolLM2's "
        "{walk_steps} block steps, computed from the weights, matches the model to {walk_relative:.0e}; its SwiGLU "
        "is {mlp_inner:,} wide for d = {width} (⅔ · 4d, the weights of a 4d GELU MLP); its pre-norm stream grows "
        "**{pre_norm_growth:.0f}×** across the layers, while post-norm MiniLM's, reset by a LayerNorm after every "
        "layer, never passes {post_norm_max:.0f}. The logit lens finds {answer} after \"The Eiffel Tower is in the "
        "city of\" only from **layer {first_top}** (counting from 0, of {layers}); halfway up it ranks "
        "#{middle_rank:,}.",
        "BERT（Encoder-Only）学习补全被掩盖的 15% 的 token（MLM），T5（Encoder-Decoder）学习把被切掉的片段写回来，"
        "GPT 学习预测每一个下一个 token。LLaMA 和 Qwen 保留了 GPT 的 Decoder-Only 结构，替换了其中的部件：用 RMSNorm "
        "代替 LayerNorm，用 SwiGLU 代替 GELU，用 RoPE 代替可学习的位置编码，并把归一化放在每个子层之前。Decoder-Only "
        "胜出，是因为同一个目标能在任何文本的每个位置上训练，同一套层直接用来生成，不需要交叉注意力，而且规模越大效果"
        "越好。这里，用权重逐步算出的 SmolLM2 的 {walk_steps} 个块内步骤，与模型自身相差不超过 {walk_relative:.0e}；"
        "它的 SwiGLU 在 d = {width} 时宽 {mlp_inner:,}（⅔ · 4d，与 4d 的 GELU MLP 参数量相同）；它的 pre-norm 残差流"
        "跨层增长 **{pre_norm_growth:.0f}×**，而 post-norm 的 MiniLM 每层之后都被 LayerNorm 重置，从未超过 "
        "{post_norm_max:.0f}。logit lens 在 \"The Eiffel Tower is in the city of\" 之后，直到 **第 {first_top} 层**"
        "（从 0 数起，共 {layers} 层）才找到 {answer}；在一半高度时它排在第 {middle_rank:,} 位。"),
    "a5": (
        "Prompt tuning learns {prompt_trainable:,} parameters (a few virtual token embeddings), prefix tuning "
        "{prefix_trainable:,} (keys and values in every layer), a bottleneck adapter {adapter_trainable:,} and "
        "LoRA {lora_trainable:,} ({lora_share} of the model); full fine-tuning trains all {full_trainable:,}. On "
        "the city-to-JSON task, 60 steps each, held-out exact match goes from {lora_base:.0%} (the base) to "
        "**{lora_adapted:.0%} with LoRA**, {prompt_adapted:.0%} with prompt tuning, {prefix_adapted:.0%} with "
        "prefix tuning and {full_adapted:.0%} with full fine-tuning.",
        "prompt tuning 学习 {prompt_trainable:,} 个参数（几个虚拟 token 的嵌入），prefix tuning 学习 "
        "{prefix_trainable:,} 个（每一层的 key 和 value），瓶颈 adapter 学习 {adapter_trainable:,} 个，LoRA 学习 "
        "{lora_trainable:,} 个（模型的 {lora_share}）；全量微调训练全部 {full_trainable:,} 个。在“城市转 JSON”任务上，"
        "各训练 60 步，留出集的完全匹配率从 {lora_base:.0%}（基座模型）升到 **LoRA 的 {lora_adapted:.0%}**，"
        "prompt tuning 为 {prompt_adapted:.0%}，prefix tuning 为 {prefix_adapted:.0%}，全量微调为 {full_adapted:.0%}。"),
    "a6": (
        "Without a cache each new token runs the model over the whole text again; with it, over one token: "
        "**{kv_speedup:.1f}×** faster for {kv_tokens} tokens here, for {kv_bytes:,} bytes of cache per token. "
        "Reserving each request's cache up to its longest answer leaves {contiguous_waste:.0%} of it unwritten; "
        "paged blocks waste {paged_waste:.1%}. FlashAttention never builds the N × N score matrix: at N = "
        "{flash_length:,}, naive attention held **{flash_ratio:.0f}×** the tiled forward's peak memory, for the "
        "same result ({flash_error:.0e} apart). Decoding is bound by reading the weights, so checking several "
        "drafted tokens in one pass costs about what one does: asked to repeat a text, SmolLM2 with prompt lookup "
        "(drafts copied from the prompt) wrote {spec_tokens} tokens in {spec_passes} forward passes, "
        "**{spec_speedup:.1f}×** plain greedy's speed, with exactly greedy's tokens.",
        "没有缓存时，每个新 token 都要把整段文本重新过一遍模型；有了 KV cache，只需过一个 token：这里 {kv_tokens} 个 "
        "token 快了 **{kv_speedup:.1f}×**，代价是每个 token {kv_bytes:,} 字节的缓存。按最长回答为每个请求预留缓存，"
        "会有 {contiguous_waste:.0%} 从未写入；分页的块只浪费 {paged_waste:.1%}。FlashAttention 从不构造 N × N 的分数"
        "矩阵：在 N = {flash_length:,} 时，朴素注意力的峰值内存是分块前向的 **{flash_ratio:.0f}×**，结果相同（相差 "
        "{flash_error:.0e}）。解码受限于读取权重，所以在一次前向中检查多个草稿 token 的代价与检查一个差不多：让 "
        "SmolLM2 复述一段文字，用 prompt lookup（从提示中复制草稿）在 {spec_passes} 次前向中写出 {spec_tokens} 个 "
        "token，速度是普通贪心的 **{spec_speedup:.1f}×**，而且与贪心的 token 完全相同。"),
})
