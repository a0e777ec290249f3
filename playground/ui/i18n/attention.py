"""The attention tab's words: its explanations, controls, experiments, captions and the panels' summaries."""

from playground.ui.i18n import Catalogue

ATTENTION = Catalogue("ui.attention", {
    "intro": (
        "## Attention, per layer and head\n"
        "Each token (a *query*) takes a weighted mix of the values of the tokens it may see (the *keys*), with "
        "weights softmax(QKᵀ/√d + mask) ([Vaswani et al., 2017](https://arxiv.org/abs/1706.03762)): one row per "
        "query, summing to 1. A decoder's causal mask hides the future, so the matrix is lower-triangular. SmolLM2 "
        "has 30 layers of 9 heads sharing 3 key/value heads ([grouped-query attention]"
        "(https://arxiv.org/abs/2305.13245)). The weights are the model's own (`output_attentions=True`, from a twin "
        "that shares its weights). Many heads park their attention on the first token (an *attention sink*, "
        "[Xiao et al.](https://arxiv.org/abs/2309.17453)), some look at the previous token, some copy a repeated "
        "sequence forward (*induction heads*, [Olsson et al.](https://arxiv.org/abs/2209.11895)). Prompts are "
        "capped at {limit} tokens.",
        "## 注意力（Attention），逐层逐头\n"
        "每个 token（一个*查询*，query）对它能看到的 token（*键*，key）的值（value）做加权混合，权重是 "
        "softmax(QKᵀ/√d + mask)（[Vaswani 等，2017](https://arxiv.org/abs/1706.03762)）：每个查询一行，和为 1。"
        "解码器的因果掩码（单向注意力）遮住未来，所以矩阵是下三角的。SmolLM2 有 30 层，每层 9 个头，共用 3 个键/值头"
        "（[分组查询注意力，GQA](https://arxiv.org/abs/2305.13245)）。这些权重是模型自己的（`output_attentions=True`，"
        "来自一个共享权重的孪生模型）。很多头把注意力停在第一个 token 上（*注意力汇聚点*，attention sink，"
        "[Xiao 等](https://arxiv.org/abs/2309.17453)），有些看前一个 token，有些把重复出现的序列往前复制"
        "（*归纳头*，induction heads，[Olsson 等](https://arxiv.org/abs/2209.11895)）。提示词最多 {limit} 个 token。"),
    "caption.head": (
        "Row = the query token, column = the key it looks at; darker = more weight. Each row sums to 1. In a decoder "
        "everything above the diagonal is 0 (the causal mask); an encoder (BERT) looks both ways. Hover a cell for "
        "its weight; click it for its maths.",
        "行 = 查询 token，列 = 它看的 key；颜色越深 = 权重越大。每行和为 1。在解码器里，对角线以上全是 0（因果掩码）；"
        "编码器（BERT）两个方向都看。鼠标悬停在格子上看它的权重；点击它看它的计算过程。"),
    "caption.heads": (
        "Every head of the layer, shrunk to at most 32 × 32 cells. Under GQA a row holds the query heads that share "
        "one KV head: compare how differently they use the same keys.",
        "这一层的每个头，缩小到至多 32 × 32 个格子。在 GQA 下，一行是共用同一个 KV 头的查询头：比较它们如何不同地使用"
        "同样的 key。"),
    "caption.mean": ("The average of the layer's heads: where the layer as a whole looks.",
                     "这一层各头的平均：这一层整体看向哪里。"),
    "caption.overview": (
        "One cell per head, all layers. Bright cells are the heads the statistic picks out: sinks put almost all "
        "their weight on the first token; previous-token heads light up the diagonal below the main one.",
        "每个头一个格子，所有层。亮的格子是这个统计量挑出来的头：汇聚点把几乎全部权重放在第一个 token 上；"
        "前一个 token 头让主对角线下方的那条对角线发亮。"),
    "experiment.sinks": ("Attention sinks: rank heads by first-token attention", "注意力汇聚点：按对第一个 token 的注意力给头排名"),
    "experiment.previous": ("Previous-token heads", "前一个 token 头"),
    "experiment.induction": ("Induction heads: a sentence said twice", "归纳头：一句话说两遍"),
    "experiment.focused": ("Focused heads: lowest entropy", "集中的头：熵最低"),
    "summed_intro": (
        "**Several queries at once.** Choose query tokens (rows) and see what they pay each key together, their rows "
        "added up: in the chosen head and in the mean of the layer's heads. None chosen: the last token, the one "
        "whose attention makes the next prediction.",
        "**同时看几个查询。** 选择查询 token（行），看它们合起来给每个 key 多少权重，即各行相加：在所选的头里，以及在"
        "这一层各头的平均里。不选：就是最后一个 token，它的注意力决定下一个预测。"),
    "head": ("head (0-based)", "头 head（从 0 开始）"),
    "tab.heads": ("Heads", "注意力头"),
    "tab.cell": ("One cell", "一个格子"),
    "tab.rope": ("RoPE", "RoPE（旋转位置编码）"),
    "tab.growth": ("Growth", "增长"),
    "tab.edit": ("Edit the mask", "编辑掩码"),
    "tab.masks": ("Which mask", "哪种掩码"),
    "rank_by": ("Rank heads by", "给头排名的依据"),
    "show": ("Show attention", "显示注意力"),
    "experiments": ("**Suggested experiments** (each sets every input but the model, then shows the attention):",
                    "**推荐实验**（每个都会设置除模型之外的所有输入，然后显示注意力）："),
    "plot.head": ("One head", "一个头"),
    "plot.overview": ("Every head, ranked", "所有头，排名"),
    "plot.heads": ("All heads of the layer", "这一层的所有头"),
    "plot.mean": ("Mean over heads", "各头的平均"),
    "queries": ("Query tokens to add up", "要相加的查询 token"),
    "plot.summed": ("The chosen queries together", "所选查询合在一起"),
    "json": ("Attention", "注意力"),
    # one cell
    "cell_intro": (
        "### The maths of one cell\n"
        "Click a cell of the heatmap above, or pick a query (row) and a key (column). The weight in that cell is one "
        "entry of softmax(q·K / √d + mask) over the query's whole row: here is every step, from the model's own q "
        "and k projections (RoPE applied, as the model applies it) and the mask transformers built. T5 does not "
        "divide by √d, and adds a learned bias for the distance between the tokens instead. The last column is the "
        "model's own `output_attentions`: they agree to about 1e-7.",
        "### 一个格子的计算\n"
        "点击上面热力图的一个格子，或选一个查询（行）和一个 key（列）。这个格子里的权重，是对查询整行做 "
        "softmax(q·K / √d + mask) 得到的一项：这里列出每一步，用的是模型自己的 q、k 投影（像模型那样加上 RoPE）和 "
        "transformers 构建的掩码。T5 不除以 √d，而是加上一个按 token 间距离学到的偏置。最后一列是模型自己的 "
        "`output_attentions`：两者相差约 1e-7。"),
    "column.key": ("key", "key（键）"),
    "column.dot": ("q·k", "q·k（点积）"),
    "column.scaled": ("× 1/√d", "× 1/√d（缩放）"),
    "column.bias": ("+ position bias", "+ 位置偏置"),
    "column.mask": ("+ mask", "+ 掩码"),
    "column.score": ("= score", "= 分数"),
    "column.softmax": ("softmax", "softmax（归一化）"),
    "column.own": ("model's weight", "模型的权重"),
    "query": ("query (row)", "查询 query（行）"),
    "key": ("key (column)", "键 key（列）"),
    "explain": ("Show the maths for this cell", "显示这个格子的计算"),
    "cell_table": ("Every key of the query's row", "查询这一行的每个 key"),
    "cell_json": ("Cell", "格子"),
    # RoPE
    "rope_intro": (
        "### RoPE, seen\n"
        "[Rotary position embedding](https://arxiv.org/abs/2104.09864) turns q and k by angles proportional to their "
        "positions, so their score depends only on how far apart they are. Take the chosen cell's real q and k, move "
        "the pair together to positions (m + c, n + c), and the score stays the same; move them apart, and it "
        "changes with the distance alone. (Only for models with RoPE: SmolLM2, LLaMA, Qwen; not GPT-2.)",
        "### 看得见的 RoPE\n"
        "[旋转位置编码](https://arxiv.org/abs/2104.09864)（RoPE）把 q 和 k 按与位置成正比的角度旋转，所以它们的分数只"
        "取决于两者相距多远。取所选格子真实的 q 和 k，把这一对一起移到位置 (m + c, n + c)，分数不变；把它们拉开，分数"
        "只随距离变化。（只适用于有 RoPE 的模型：SmolLM2、LLaMA、Qwen；GPT-2 没有。）"),
    "rope.m": ("query position m", "查询位置 m"),
    "rope.n": ("key position n", "key 位置 n"),
    "rope.distance": ("m − n", "距离 m − n"),
    "rope.score": ("score q·k / √d", "分数 q·k / √d"),
    "rope_summary": ("Moved together by up to {moved} positions, the pair's score changes by {spread:.1e} (float "
                     "rounding): it depends on m − n = {distance} alone.",
                     "一起移动至多 {moved} 个位置，这一对的分数只变了 {spread:.1e}（浮点舍入）：它只取决于 "
                     "m − n = {distance}。"),
    "rope.run": ("Move the chosen cell's q and k", "移动所选格子的 q 和 k"),
    "rope.table": ("The pair moved together", "一起移动的这一对"),
    "rope.plot": ("Score against distance", "分数与距离"),
    # growth
    "growth_intro": (
        "### Growing during generation\n"
        "Generate a few tokens greedily and watch the chosen head's matrix grow: each new token adds one query row "
        "that reads every key before it, while the rows above never change. That is why a model can keep the keys "
        "and values it already computed (the KV cache) and compute one row per step.",
        "### 生成时的增长\n"
        "用贪心生成几个 token，看所选头的矩阵如何增长：每个新 token 增加一行查询，读取它之前的所有 key，而上面的行"
        "从不改变。这就是为什么模型可以保留已经算过的键和值（KV cache），每一步只算一行。"),
    "growth_summary": ("Generated {count} token(s) after the prompt's {prompt}; each one fed back added a row "
                       "({fed_back}). The last row reads all {keys} keys; the rows above it are the ones computed at "
                       "earlier steps, unchanged.",
                       "在提示词的 {prompt} 个 token 之后生成了 {count} 个；每个 token 送回模型时都增加了一行"
                       "（{fed_back}）。最后一行读取全部 {keys} 个 key；它上面的行是之前各步算出的，没有改变。"),
    "growth.run": ("Generate and watch it grow", "生成并观察它增长"),
    "growth.plot": ("The matrix, step by step", "矩阵，一步一步"),
    # editing the mask
    "edit_intro": (
        "### Edit the mask, watch the prediction\n"
        "Forbid chosen (query, key) cells in every layer and head, and see the next-token distribution move. Type "
        "`query,key` pairs (`4,3; 4,2`, positions as in the heatmap labels) or words the last token may not see "
        "(`France`). The model runs with the edited 4D mask, built by transformers' `masking_utils` (causal AND not "
        "your cells): blocking nothing gives exactly the model's own logits.",
        "### 编辑掩码，观察预测\n"
        "在每一层每个头里禁止所选的（查询，key）格子，看下一个 token 的分布如何移动。输入 `query,key` 对（`4,3; 4,2`，"
        "位置与热力图标签相同），或最后一个 token 不许看的词（`France`）。模型用编辑过的 4D 掩码运行，它由 "
        "transformers 的 `masking_utils` 构建（因果，并且不含你选的格子）：什么都不屏蔽时，得到的正是模型自己的 "
        "logits。"),
    "cells": ("Cells to block", "要屏蔽的格子"),
    "blocked": ("Blocked cells [query, key]", "被屏蔽的格子 [query, key]"),
    "block": ("Block and predict", "屏蔽并预测"),
    "example": ("Example: 'is' may not see 'France' in 'The capital of France is'",
                "例子：在 'The capital of France is' 中，'is' 不许看 'France'"),
    "edit.bars": ("Next token, before and after", "下一个 token，编辑前后"),
    "edit.mask": ("The edited mask", "编辑过的掩码"),
    "edit.json": ("Edit", "编辑"),
    # which mask
    "masks_intro": (
        "### Which mask did the model really apply?\n"
        "Two prompts of different lengths go through the model as one batch, and the mask its first attention layer "
        "received is caught on the way in: causal for a decoder, causal + padding (left or right) for a batch, "
        "document blocks for two prompts packed in one row (`position_ids` restart), and BERT's bidirectional + "
        "padding (on the embedded MiniLM encoder). Sliding-window and chunked masks, which SmolLM2 does not use, are "
        "built with `masking_utils` and handed to the model. Beside each mask: the attention it produced, exactly 0 "
        "where forbidden.",
        "### 模型实际用了哪种掩码？\n"
        "两个长度不同的提示词作为一个批次送进模型，在第一个注意力层的入口截获它收到的掩码：解码器是因果掩码，批次是因果 "
        "+ 填充掩码（左或右），两个提示词打包在一行里是文档块（`position_ids` 重新开始），BERT 是双向 + 填充"
        "（用内置的 MiniLM 编码器）。SmolLM2 不用的滑动窗口和分块掩码，用 `masking_utils` 构建后交给模型。每个掩码旁边："
        "它产生的注意力，被禁止处恰好为 0。"),
    "t5_masks": ("**{kind}.** Each caught at the first layer of its attention, and {same} what `masking_utils` "
                 "builds. Cross-attention has a row per decoder token and a column per encoder token: the decoder "
                 "sees the whole input, but not its padding.",
                 "**{kind}。** 每个都在它那种注意力的第一层截获，与 `masking_utils` 构建的掩码{same}。交叉注意力每个"
                 "解码器 token 一行、每个编码器 token 一列：解码器看到整个输入，但看不到它的填充。"),
    "packing": ("**Packing, proven:** document 2's logits inside the packed row equal document 2 run alone (max "
                "|gap| {gap:.1e}, float noise). Let the positions count on instead of restarting, and document 2 "
                "sees document 1: the gap grows to {counting_on:.3g}.",
                "**打包，验证：** 打包行里文档 2 的 logits 等于文档 2 单独运行的结果（最大 |差| {gap:.1e}，浮点噪声）。"
                "如果位置继续往下数而不重新开始，文档 2 就会看到文档 1：差距增大到 {counting_on:.3g}。"),
    "prompts": ("Two prompts (type to add your own)", "两个提示词（可输入你自己的）"),
    "mask": ("Mask", "掩码"),
    "window": ("window / chunk (tokens)", "窗口 / 块大小（token）"),
    "masks.run": ("Show the mask", "显示掩码"),
    "masks.plot": ("Mask and attention", "掩码与注意力"),
    # padding side
    "alone": ("alone (no padding)", "单独运行（无填充）"),
    "side_padding": ("{side} padding", "{side}填充"),
    "side.left": ("left", "左"),
    "side.right": ("right", "右"),
    "same": ("the same", "相同的"),
    "different": ("a different", "不同的"),
    "padding_summary": ("**Padding side, proven** on \"{prompt}\": left padding gives {left} continuation as the "
                        "prompt alone; right padding gives {right} one, because the row ends in padding and "
                        "`generate` continues from there.",
                        "**填充方向，验证**（\"{prompt}\"）：左填充给出与单独运行{left}续写；右填充给出{right}续写，"
                        "因为这一行以填充结尾，而 `generate` 从那里接着写。"),
    "column.run": ("run", "运行"),
    "column.continuation": ("continuation (greedy, 12 tokens)", "续写（贪心，12 个 token）"),
    "column.gap": ("last-token logits vs alone (max |gap|)", "最后一个 token 的 logits 与单独运行之差（最大 |差|）"),
    "prove": ("Padding side, proven: generate both prompts in one batch, padded left and right",
              "验证填充方向：把两个提示词放在一个批次里生成，分别左填充和右填充"),
    "padding.table": ("The shorter prompt's greedy continuation", "较短提示词的贪心续写"),
    "padding.json": ("Padding", "填充"),
})
