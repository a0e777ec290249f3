"""The architecture tab's server-built words: the walked block's steps, the lens, the anatomy, the pretraining
objectives, the swaps, their figures and errors. A step's name or formula that is code (`LayerNorm`, `c_fc`,
`hidden_states[layer]`) is shown as it is and has no entry here."""

from playground.core.language import Words

WORDS = Words("architecture", {
    # the walked block's steps: names
    "step.embeddings": ("embeddings", "嵌入（embeddings）"),
    "step.entering": ("x, the residual stream entering the block", "x，进入这个块的残差流"),
    "step.attention": ("attention", "注意力（attention）"),
    "step.residual_add": ("residual add", "残差相加"),
    "step.residual_norm": ("residual add, then LayerNorm", "残差相加，再做 LayerNorm"),
    "step.rope_q": ("RoPE on q", "对 q 施加 RoPE"),
    "step.rope_k": ("RoPE on k", "对 k 施加 RoPE"),
    "step.output_projection": ("output projection", "输出投影"),
    "step.intermediate": ("intermediate", "中间层（intermediate）"),
    "step.output": ("output", "输出（output）"),
    # ... and their formulas, where they hold words
    "f.embeddings_gpt2": ("wte[token] + wpe[position]: a learned vector per position, added once here",
                          "wte[token] + wpe[position]：每个位置一个学到的向量，只在这里加一次"),
    "f.rmsnorm": ("x / √(mean(x²) + ε) · g   (no mean taken out, no bias)",
                  "x / √(mean(x²) + ε) · g   （不减均值，没有偏置）"),
    "f.q": ("norm · W_qᵀ → tokens × {heads} heads × {d}", "norm · W_qᵀ → token 数 × {heads} 个头 × {d}"),
    "f.k": ("norm · W_kᵀ → tokens × {kv} KV heads × {d} (each shared by {group} query heads)",
            "norm · W_kᵀ → token 数 × {kv} 个 KV 头 × {d}（每个由 {group} 个查询头共用）"),
    "f.v": ("norm · W_vᵀ → tokens × {kv} KV heads × {d}", "norm · W_vᵀ → token 数 × {kv} 个 KV 头 × {d}"),
    "f.rope_q": ("q · cos(mθ) + rotate_half(q) · sin(mθ), θᵢ = base^(−2i/d) at position m",
                 "q · cos(mθ) + rotate_half(q) · sin(mθ)，θᵢ = base^(−2i/d)，在位置 m"),
    "f.rope_k": ("the same rotation at each key's own position", "同样的旋转，在每个 key 自己的位置上"),
    "f.causal_attention": ("softmax(q·kᵀ/√d + causal mask) · v per head, heads side by side",
                           "每个头 softmax(q·kᵀ/√d + 因果掩码) · v，各头并排"),
    "f.x_attention": ("x + attention", "x + 注意力"),
    "f.block_output": ("h + MLP: the block's output", "h + MLP：这个块的输出"),
    "f.swiglu": ("silu(gate) ⊙ up   (silu(g) = g·σ(g): the gate decides how much of up passes)",
                 "silu(gate) ⊙ up   （silu(g) = g·σ(g)：门控决定 up 有多少能通过）"),
    "f.qkv_gpt2": ("norm · W_qkv + b, one projection split in three", "norm · W_qkv + b，一次投影分成三份"),
    "f.fc_gpt2": ("norm · W_fc + b → {wide} wide (4·d)", "norm · W_fc + b → {wide} 宽（4·d）"),
    "f.q_bert": ("x · W_qᵀ + b → tokens × {heads} heads × {d}", "x · W_qᵀ + b → token 数 × {heads} 个头 × {d}"),
    "f.bert_attention": ("softmax(q·kᵀ/√d) · v per head: every token sees every token (no mask)",
                         "每个头 softmax(q·kᵀ/√d) · v：每个 token 都看到所有 token（没有掩码）"),
    "f.post_norm": ("LayerNorm(x + attention): post-norm", "LayerNorm(x + 注意力)：后置归一化（post-norm）"),
    "f.intermediate": ("h · W_upᵀ + b → {wide} wide", "h · W_upᵀ + b → {wide} 宽"),
    "f.gelu_exact": ("u · Φ(u) (the exact, erf form)", "u · Φ(u)（精确的 erf 形式）"),
    "f.bert_output": ("LayerNorm(h + MLP): the block's output", "LayerNorm(h + MLP)：这个块的输出"),
    # the anatomy table
    "column.model": ("model", "模型"),
    "column.layout": ("layout", "结构"),
    "column.norm": ("norm", "归一化（norm）"),
    "column.activation": ("activation", "激活函数"),
    "column.positions": ("positions", "位置编码"),
    "column.attention": ("attention", "注意力"),
    "column.mask": ("mask", "掩码"),
    "column.params": ("{component} (M)", "{component}（百万）"),
    "column.total": ("total (M)", "合计（百万）"),
    "component.embeddings": ("embeddings", "嵌入"),
    "component.attention": ("attention", "注意力"),
    "component.mlp": ("mlp", "MLP（前馈层）"),
    "component.norms": ("norms", "归一化层"),
    "component.other": ("other", "其他"),
    "layout.decoder-only": ("decoder-only", "Decoder-Only（仅解码器）"),
    "layout.encoder-only": ("encoder-only", "Encoder-Only（仅编码器）"),
    "layout.encoder-decoder": ("encoder-decoder", "Encoder-Decoder（编码器-解码器）"),
    "mask.decoder-only": ("causal", "因果掩码"),
    "mask.encoder-only": ("bidirectional + padding", "双向 + 填充"),
    "mask.encoder-decoder": ("encoder bidirectional, decoder causal, cross-attention to the encoder",
                             "编码器双向，解码器因果，交叉注意力指向编码器"),
    "positions.rope": ("RoPE (rotary, relative)", "RoPE（旋转，相对位置）"),
    "positions.relative": ("relative position bias", "相对位置偏置"),
    "positions.learned": ("learned absolute", "学到的绝对位置"),
    "heads": ("{kind}: {heads} query heads, {kv} KV heads", "{kind}：{heads} 个查询头，{kv} 个 KV 头"),
    # the walk's and the lens's figures
    "shape": ("shape", "形状"),
    "max_gap": ("max |here − module| = {gap:.1e}", "最大 |这里 − 模块| = {gap:.1e}"),
    "the_input": ("the input", "输入"),
    "walk.y": ("‖vector‖ at the chosen token", "所选 token 处的 ‖向量‖"),
    "walk.title": ("Layer {layer}, token {position} ({token}): the norm after each step (dark: the residual stream)",
                   "第 {layer} 层，token {position}（{token}）：每一步之后的范数（深色：残差流）"),
    "hover.lens": ("%{y}, position %{x}<br>top token %{text}, p = %{z:.3f}",
                   "%{y}，位置 %{x}<br>首选 token %{text}，p = %{z:.3f}"),
    "lens.x": ("position (the lens predicts the token after it)", "位置（lens 预测它后面的 token）"),
    "lens.y": ("the stream after", "之后的残差流"),
    "lens.title": ("The logit lens: each layer's top next-token guess", "logit lens：每一层对下一个 token 的首选猜测"),
    "rank_top": ("rank (1 = top)", "名次（1 = 第一）"),
    "probability": ("probability", "概率"),
    "rank": ("rank", "名次"),
    "rank.title": ("Where {answer} forms, layer by layer", "{answer} 在哪一层形成，逐层来看"),
    # the walk's and the lens's summaries
    "post_norm": ("post-norm: each residual add is followed by LayerNorm",
                  "后置归一化（post-norm）：每次残差相加之后接 LayerNorm"),
    "pre_norm": ("pre-norm: the norm feeds each sublayer, and the stream itself is never normalised inside the block",
                 "前置归一化（pre-norm）：归一化只送进每个子层，残差流本身在块内从不被归一化"),
    "walk.summary": ("**{model}**, layer {layer}, token {position} (“{token}”): {steps} steps computed here from the "
                     "weights. Every one matches the model's own module: the largest difference is **{gap:.1e}** "
                     "({relative:.1e} of the tensor's largest value, float32's rounding). The stream enters with norm "
                     "{enters:.1f} and leaves with {leaves:.1f} ({norm}).",
                     "**{model}**，第 {layer} 层，token {position}（“{token}”）：这里用权重算了 {steps} 步。每一步都与"
                     "模型自己的模块一致：最大差为 **{gap:.1e}**（张量最大值的 {relative:.1e}，即 float32 的舍入）。"
                     "残差流进入时范数为 {enters:.1f}，离开时为 {leaves:.1f}（{norm}）。"),
    "lens.summary": ("After “{token}” the model says **“{answer}”** (p = {p:.2f}). Under the lens it is top from "
                     "**{first_top}** on (of {layers} layers); at {middle} it ranks #{rank:,}. The last row is the "
                     "model's own output (largest difference {gap:.1e}).",
                     "在“{token}”之后，模型说 **“{answer}”**（p = {p:.2f}）。在 lens 下，它从 **{first_top}** 起"
                     "（共 {layers} 层）一直排第一；在 {middle} 时它排第 {rank:,} 名。最后一行是模型自己的输出"
                     "（最大差 {gap:.1e}）。"),
    # errors
    "no_layers": ("The block walk does not know where {model} keeps its layers.", "块遍历不知道 {model} 把层放在哪里。"),
    "families": ("model: the block walk covers LLaMA, Qwen2 (SmolLM2 is a LLaMA), GPT-2 and BERT; this is a {kind}.",
                 "model：块遍历支持 LLaMA、Qwen2（SmolLM2 属于 LLaMA）、GPT-2 和 BERT；这是一个 {kind}。"),
    "layer": ("layer must be between 0 and {last} for {model} (got {value}).",
              "对 {model}，layer 必须在 0 与 {last} 之间（收到的是 {value}）。"),
    "position": ("position must be between {first} and {last} for this prompt of {count} tokens (got {value}).",
                 "对这个 {count} 个 token 的提示词，position 必须在 {first} 与 {last} 之间（收到的是 {value}）。"),
    "no_final_norm": ("The logit lens does not know where {model} keeps its final norm.",
                      "logit lens 不知道 {model} 把最后的归一化层放在哪里。"),
    "lens.causal": ("model: the logit lens reads the residual stream through a causal LM's final norm and LM head, "
                    "and {model} has none (it is an encoder or an encoder-decoder). Choose SmolLM2 or a tiny causal "
                    "model.",
                    "model：logit lens 通过因果语言模型最后的归一化层和 LM head 读取残差流，而 {model} 没有这些"
                    "（它是编码器或编码器-解码器）。请选择 SmolLM2 或一个微型因果模型。"),
    # what a step was checked against
    "output_of": ("the output of `{module}`", "`{module}` 的输出"),
    "rotary_oracle": ("transformers' own rotary embedding and apply_rotary_pos_emb",
                      "transformers 自己的 rotary embedding 和 apply_rotary_pos_emb"),
})
