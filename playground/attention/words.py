"""The attention tab's server-built words: summaries, the heads' statistics, the masks, figures and errors."""

from playground.core.language import Words

WORDS = Words("attention", {
    # which attention the matrices are
    "shown.decoder": ("causal self-attention (a decoder)", "因果自注意力（解码器）"),
    "shown.encoder": ("bidirectional self-attention (an encoder: every token sees every other)",
                      "双向自注意力（编码器：每个 token 都能看到其他所有 token）"),
    "shown.seq2seq": ("the encoder's bidirectional self-attention (an encoder-decoder; the decoder's causal and "
                      "cross-attention are in the masks below)",
                      "编码器的双向自注意力（编码器-解码器；解码器的因果注意力和交叉注意力见下方的掩码部分）"),
    # the heads' statistics: a name, and what it measures
    "stat.first_token": ("first-token attention (sinks)", "对第一个 token 的注意力（注意力汇聚点，sink）"),
    "about.first_token": ("mean attention to the first token", "对第一个 token 的平均注意力"),
    "stat.previous_token": ("previous-token attention", "对前一个 token 的注意力"),
    "about.previous_token": ("mean attention to the token just before", "对紧邻前一个 token 的平均注意力"),
    "stat.induction": ("induction", "归纳（induction）"),
    "about.induction": ("mean attention to the token after the same token's earlier occurrence",
                        "对同一 token 先前出现处之后那个 token 的平均注意力"),
    "stat.entropy": ("entropy (bits)", "熵（比特）"),
    "about.entropy": ("mean entropy of a query's attention; low = focused", "查询注意力的平均熵；低 = 集中"),
    # the summaries
    "summary": ("**{model}**: {layers} layers × {heads} heads ({kv} KV heads), {tokens} tokens, {shown}. "
                "**Top heads by {stat}** ({about}): {top}. Set layer and head to look at one.{warn}",
                "**{model}**：{layers} 层 × {heads} 个头（{kv} 个 KV 头），{tokens} 个 token，{shown}。"
                "**按{stat}排名靠前的头**（{about}）：{top}。设置层（layer）和头（head）可单独查看一个。{warn}"),
    "top_head": ("layer {layer} head {head} ({value:.3f})", "第 {layer} 层第 {head} 个头（{value:.3f}）"),
    "random": ("⚠️ {model} has random weights: no head has learned a job.",
               "⚠️ {model} 的权重是随机的：没有哪个头学会了某种职能。"),
    "forbidden": ("{value} (−∞: forbidden)", "{value}（−∞：禁止）"),
    "t5_scale": ("× 1 (T5 does not divide by √d)", "× 1（T5 不除以 √d）"),
    "bias": (" + position bias {bias:.4f};", " + 位置偏置 {bias:.4f}；"),
    "cell.forbidden": ("the mask forbids this key, so its weight is exactly 0", "掩码禁止了这个 key，所以它的权重恰好为 0"),
    "cell.softmax": ("softmax over the row's {count} scores = **{weight:.6f}**",
                     "对这一行的 {count} 个分数做 softmax = **{weight:.6f}**"),
    "cell": ("**Query {q} ({q_token}) → key {k} ({k_token})**, layer {layer}, head {head} (KV head {kv}): "
             "q·k = {dot:.4f}; {scale} = {scaled:.4f};{bias} + mask {mask}; {verdict}. The model's own weight: "
             "{own:.6f} (difference {gap:.1e}).",
             "**查询 {q}（{q_token}）→ key {k}（{k_token}）**，第 {layer} 层，第 {head} 个头（KV 头 {kv}）："
             "q·k = {dot:.4f}；{scale} = {scaled:.4f}；{bias} + 掩码 {mask}；{verdict}。模型自己的权重："
             "{own:.6f}（差 {gap:.1e}）。"),
    "blocked_cell": ("query {q} ({q_token}) ↛ key {k} ({k_token})", "查询 {q}（{q_token}）↛ key {k}（{k_token}）"),
    "none": ("none", "无"),
    "edit": ("**Blocked {count} cell(s)**: {cells}. The most likely next token was {first} (p = {first_p:.3f}); "
             "with the edit it is {now} (p = {now_p:.3f}), and {first} now has p = {first_after:.3f}.",
             "**屏蔽了 {count} 个格子**：{cells}。原来最可能的下一个 token 是 {first}（p = {first_p:.3f}）；"
             "编辑之后是 {now}（p = {now_p:.3f}），而 {first} 现在的 p = {first_after:.3f}。"),
    "same_as": ("the same as", "相同"),
    "different": ("**different from**", "**不同**"),
    "masks": ("**{kind}.** Caught at {model}'s first attention layer, and {same} what `masking_utils` builds. "
              "Largest attention weight on a forbidden cell: {forbidden:g}; every row that sees anything sums to 1 "
              "within {error:.0e}.",
              "**{kind}。** 在 {model} 的第一个注意力层截获，与 `masking_utils` 构建的掩码{same}。"
              "禁止格子上最大的注意力权重：{forbidden:g}；每个能看到东西的行，和为 1，误差在 {error:.0e} 以内。"),
    # the masks: a short name for the menu, and what each is
    "mask_name.causal": ("causal", "因果（causal）"),
    "mask_name.padding_right": ("causal + right padding", "因果 + 右填充"),
    "mask_name.padding_left": ("causal + left padding", "因果 + 左填充"),
    "mask_name.sliding_window": ("sliding window", "滑动窗口"),
    "mask_name.chunked": ("chunked", "分块"),
    "mask_name.packed": ("packed", "打包（packing）"),
    "mask_name.bidirectional": ("bidirectional + padding", "双向 + 填充"),
    "mask_name.t5": ("T5's three masks", "T5 的三种掩码"),
    "mask.causal": ("causal: each token sees itself and the tokens before it (GPT, LLaMA, Qwen)",
                    "因果掩码：每个 token 看到自己和它之前的 token（GPT、LLaMA、Qwen）"),
    "mask.padding_right": ("causal + right padding: two prompts in one batch, the short one padded at its end",
                           "因果 + 右填充：两个提示词在一个批次里，短的那个在末尾填充"),
    "mask.padding_left": ("causal + left padding: the short prompt padded at its start, as batched generation "
                          "needs",
                          "因果 + 左填充：短的提示词在开头填充，这是批量生成所需要的"),
    "mask.sliding_window": ("sliding window: each token sees only the last `window` tokens (Mistral, Gemma's local "
                            "layers)",
                            "滑动窗口：每个 token 只看到最近的 `window` 个 token（Mistral、Gemma 的局部层）"),
    "mask.chunked": ("chunked: each token sees only its own chunk of `window` tokens (Llama 4's local layers)",
                     "分块：每个 token 只看到它自己那块的 `window` 个 token（Llama 4 的局部层）"),
    "mask.packed": ("packed: the two prompts in one row, position_ids restarting; each sees only its own document",
                    "打包：两个提示词放在一行里，position_ids 重新开始；每个只看到自己的文档"),
    "mask.bidirectional": ("bidirectional + padding: every real token sees every other (BERT; use the MiniLM "
                           "encoder)",
                           "双向 + 填充：每个真实 token 都看到其他所有 token（BERT；用 MiniLM 编码器）"),
    "mask.t5": ("T5's three masks: encoder bidirectional + padding, decoder causal, cross-attention to the encoder's "
                "real tokens (a tiny T5 with random weights: the mask structure only)",
                "T5 的三种掩码：编码器双向 + 填充，解码器因果，交叉注意力指向编码器的真实 token（一个权重随机的微型 T5："
                "只看掩码的结构）"),
    "row": ("row {r}", "第 {r} 行"),
    "t5.layer.encoder": ("encoder self-attention", "编码器自注意力"),
    "t5.layer.decoder": ("decoder self-attention (causal)", "解码器自注意力（因果）"),
    "t5.layer.cross": ("cross-attention (decoder → encoder)", "交叉注意力（解码器 → 编码器）"),
    # the figures
    "hover.cell": ("query %{y}<br>key %{x}<br>weight %{z:.3f}", "查询 %{y}<br>key %{x}<br>权重 %{z:.3f}"),
    "axis.key": ("key (the token attended to)", "key（被关注的 token）"),
    "axis.query": ("query (the token attending)", "查询（query，发出关注的 token）"),
    "weight": ("weight", "权重"),
    "reading_kv": (", reading KV head {kv}", "，读取 KV 头 {kv}"),
    "head.title": ("Layer {layer}, head {head}{kv}: softmax(QKᵀ/√d + mask)",
                   "第 {layer} 层，第 {head} 个头{kv}：softmax(QKᵀ/√d + mask)"),
    "head": ("head {head}", "头 {head}"),
    "mean_heads": ("mean over the heads", "各头的平均"),
    "summed.y": ("summed weight (of {count})", "权重之和（共 {count} 个）"),
    "summed.title": ("Layer {layer}: where the queries {chosen} look, together", "第 {layer} 层：查询 {chosen} 合起来看向哪里"),
    "mean_weight": ("mean weight", "平均权重"),
    "shrunk": (" (averaged down to {cells} × {cells} cells)", "（平均缩小到 {cells} × {cells} 个格子）"),
    "mean.title": ("Layer {layer}, mean over its {heads} heads{shrunk}", "第 {layer} 层，{heads} 个头的平均{shrunk}"),
    "grouped": (", grouped by the {groups} KV heads they share (GQA)", "，按它们共用的 {groups} 个 KV 头分组（GQA）"),
    "layer_heads.title": ("Layer {layer}: all {heads} heads{grouped}", "第 {layer} 层：全部 {heads} 个头{grouped}"),
    "hover.head": ("layer %{y}, head %{x}<br>%{z:.3f}", "第 %{y} 层，第 %{x} 个头<br>%{z:.3f}"),
    "axis.head": ("head", "头"),
    "axis.layer": ("layer", "层"),
    "overview.title": ("Every head by {stat}: {about}", "按{stat}看每个头：{about}"),
    "state.allowed": ("allowed", "允许"),
    "state.causal": ("hidden by the causal mask", "被因果掩码遮住"),
    "state.blocked": ("blocked by you", "被你屏蔽"),
    "hover.state": ("query %{y}<br>key %{x}<br>%{customdata}", "查询 %{y}<br>key %{x}<br>%{customdata}"),
    "edited.title": ("The mask the model ran with: {count} cell(s) blocked (red)",
                     "模型运行时用的掩码：屏蔽了 {count} 个格子（红色）"),
    "before": ("causal mask (the model's own)", "因果掩码（模型自己的）"),
    "after": ("your edited mask", "你编辑过的掩码"),
    "axis.next": ("next token (·id)", "下一个 token（·id）"),
    "before_after.title": ("Next token: before vs after the edit (top 10 of each)",
                           "下一个 token：编辑前 vs 编辑后（各取前 10 个）"),
    "panel.mask": ("{name}: the mask (blue = allowed)", "{name}：掩码（蓝 = 允许）"),
    "panel.attention": ("{name}: layer 0 attention", "{name}：第 0 层的注意力"),
    "hover.allowed": ("query %{y}<br>key %{x}<br>allowed: %{z}", "查询 %{y}<br>key %{x}<br>允许：%{z}"),
    "rope.trace": ("score at distance m − n", "距离 m − n 处的分数"),
    "rope.own": ("the pair where it sits (distance {distance})", "这一对所在的位置（距离 {distance}）"),
    "rope.x": ("distance between the query and the key (tokens)", "查询与 key 之间的距离（token）"),
    "rope.y": ("q·k / √d after RoPE", "RoPE 之后的 q·k / √d"),
    "rope.title": ("RoPE: the pair's score as a function of distance alone", "RoPE：这一对的分数只是距离的函数"),
    "generated": ("generated tokens: ", "已生成的 token："),
    "growth.title": ("Generation adds one query row per token ({count} generated): each new row reads every cached "
                     "key",
                     "生成时每个 token 增加一行查询（已生成 {count} 个）：每个新行都读取所有已缓存的 key"),
    # errors
    "queries": ("queries must be token positions between 0 and {last} (got {value}).",
                "queries 必须是 0 到 {last} 之间的 token 位置（收到的是 {value}）。"),
    "head_range": ("head must be between 0 and {last} for {model} (got {value}).",
                   "对 {model}，head 必须在 0 与 {last} 之间（收到的是 {value}）。"),
    "too_long": ("The prompt is {length:,} tokens long; attention is computed for at most {limit} tokens here, since "
                 "its size grows with the square of the length (layers × heads × tokens²). Shorten it.",
                 "提示词（prompt）有 {length:,} 个 token；这里最多只为 {limit} 个 token 计算注意力，因为它的大小随长度的平方增长"
                 "（层数 × 头数 × token²）。请缩短它。"),
    "no_weights": ("{model} cannot return its attention weights.", "{model} 无法返回它的注意力权重。"),
    "position": ("{name} must be between 0 and {last}, a token position of this {count}-token prompt (got {value}).",
                 "{name} 必须在 0 与 {last} 之间，即这个 {count} 个 token 的提示词中的一个位置（收到的是 {value}）。"),
    "blocked": ("blocked must be a list of [query, key] pairs (got {value}).",
                "blocked 必须是 [query, key] 对的列表（收到的是 {value}）。"),
    "whole": ("A blocked cell holds whole numbers (got [{query}, {key}]).", "被屏蔽的格子（blocked）必须是整数（收到的是 [{query}, {key}]）。"),
    "outside": ("The cell [{query}, {key}] is outside the {n} × {n} attention matrix of this prompt.",
                "被屏蔽的格子（blocked）[{query}, {key}] 在这个提示词的 {n} × {n} 注意力矩阵之外。"),
    "hidden": ("The cell [{query}, {key}] is already hidden: key {key} comes after query {query}, and the causal mask "
               "forbids the future.",
               "被屏蔽的格子（blocked）[{query}, {key}] 已经被遮住了：key {key} 在查询 {query} 之后，而因果掩码禁止看未来。"),
    "nothing_left": ("Blocking every key of query {query} leaves it nothing to attend to: softmax over no scores is "
                     "0/0 (NaN), not a distribution. Leave it at least one key (itself, say).",
                     "屏蔽（blocked）查询 {query} 的所有 key 会让它无处可看：对空集合做 softmax 是 0/0（NaN），不是一个分布。"
                     "请至少给它留一个 key（比如它自己）。"),
    "no_such_token": ("No token before the last one reads '{word}'. The tokens are: {tokens}.",
                      "最后一个之前没有 token 是 '{word}'。这些 token 是：{tokens}。"),
    "growth.long": ("The prompt is {length} tokens long; the growth view takes at most {limit}.",
                    "提示词（prompt）有 {length} 个 token；增长视图最多接受 {limit} 个。"),
    "mask_kind": ("mask_kind must be one of {names} (got {value}); T5's masks come from t5_masks.",
                  "mask_kind 必须是 {names} 之一（收到的是 {value}）；T5 的掩码来自 t5_masks。"),
    "two_prompts": ("prompts must be two non-empty prompts (the padding and packing kinds need two).",
                    "prompts 必须是两个非空的提示词（填充和打包这两种需要两个）。"),
    "mask_tokens": ("These prompts make {count} tokens; the mask view shows at most {limit}.",
                    "这些提示词（prompts）共有 {count} 个 token；掩码视图最多显示 {limit} 个。"),
    "different_lengths": ("prompts must be two prompts of different lengths, so that one of them needs padding.",
                          "prompts 必须是两个长度不同的提示词，这样其中一个才需要填充。"),
    "t5_prompts": ("prompts must be two non-empty prompts.", "prompts 必须是两个非空的提示词。"),
    "one_kind": ("{model} has one kind of attention, self-attention; '{part}' needs an encoder-decoder (T5).",
                 "{model} 只有一种注意力，即自注意力；'{part}' 需要编码器-解码器（T5）。"),
    "no_module": ("{model} has no attention module this tab can open.", "{model} 没有这个标签页能打开的注意力模块。"),
    "no_rope": ("{model} does not use RoPE: its positions are added to the token embeddings.",
                "{model} 不使用 RoPE：它的位置信息是加在 token 嵌入上的。"),
})
