"""The architecture tab's words: its explanation, the sub-tabs, the block walk, the logit lens and the anatomy."""

from playground.ui.i18n import Catalogue

ARCHITECTURE = Catalogue("ui.architecture", {
    "intro": (
        "## From BERT to Qwen, number by number\n"
        "BERT ([Devlin et al., 2018](https://arxiv.org/abs/1810.04805)) and GPT-2 normalise with LayerNorm and mix "
        "with a GELU MLP; LLaMA ([Touvron et al., 2023](https://arxiv.org/abs/2302.13971)), Qwen and SmolLM2 use "
        "RMSNorm ([Zhang & Sennrich, 2019](https://arxiv.org/abs/1910.07467)), a gated SwiGLU MLP "
        "([Shazeer, 2020](https://arxiv.org/abs/2002.05202)) and rotary positions, and put the norm *before* each "
        "sublayer (pre-norm) where BERT puts it after the residual add (post-norm). Here every step of one real "
        "block is computed from its weights and checked against the model's own module, caught by forward hooks in "
        "the same pass. Pick SmolLM2 (LLaMA), the embedded MiniLM (BERT) or a tiny GPT-2 or Qwen2. Why did "
        "decoder-only win? One objective (the next token) trains on every position of any text and generates with "
        "the same model; BERT's MLM learns from 15% of positions and cannot write; T5 needs two stacks. The "
        "*Pretraining masks* panel shows all three.",
        "## 从 BERT 到 Qwen，一个数一个数地看\n"
        "BERT（[Devlin 等，2018](https://arxiv.org/abs/1810.04805)）和 GPT-2 用 LayerNorm 归一化，用 GELU MLP 混合；"
        "LLaMA（[Touvron 等，2023](https://arxiv.org/abs/2302.13971)）、Qwen 和 SmolLM2 用 RMSNorm"
        "（[Zhang & Sennrich，2019](https://arxiv.org/abs/1910.07467)）、带门控的 SwiGLU MLP"
        "（[Shazeer，2020](https://arxiv.org/abs/2002.05202)）和旋转位置编码，并把归一化放在每个子层*之前*"
        "（前置归一化，pre-norm），而 BERT 把它放在残差相加之后（后置归一化，post-norm）。这里一个真实块的每一步都用它的"
        "权重计算，并与模型自己的模块对照（同一次前向传播中由 forward hook 截获）。可选 SmolLM2（LLaMA）、内置的 "
        "MiniLM（BERT），或微型 GPT-2、Qwen2。为什么 Decoder-Only 胜出？一个目标（下一个 token）就能在任何文本的每个"
        "位置上训练，并用同一个模型生成；BERT 的 MLM 只从 15% 的位置学习，而且不会写；T5 需要两套堆栈。"
        "*预训练掩码*面板把三者都展示出来。"),
    "tab.walk": ("Block walk", "逐步走过一个块"),
    "tab.swaps": ("Norms and MLPs", "归一化与 MLP"),
    "tab.lens": ("Logit lens", "Logit lens（逐层解读）"),
    "tab.masks": ("Pretraining masks", "预训练掩码"),
    "tab.anatomy": ("Anatomy", "结构解剖"),
    "position": ("token position (−1 = the last)", "token 位置（−1 = 最后一个）"),
    "column.step": ("step", "步骤"),
    "column.formula": ("formula", "公式"),
    "column.shape": ("shape", "形状"),
    "column.values": ("first values at the token", "该 token 处的前几个值"),
    "column.norm": ("‖vector‖", "‖向量‖"),
    "column.gap": ("max |here − module|", "最大 |这里 − 模块|"),
    "column.against": ("checked against", "对照"),
    "lens_intro": (
        "### The logit lens\n"
        "Read the residual stream after every layer as if it were the last: through the model's own final norm and "
        "LM head ([nostalgebraist, 2020](https://www.lesswrong.com/posts/AcKRB8wDpdaN6v6ru/"
        "interpreting-gpt-the-logit-lens)). Early layers guess punctuation and common words; the answer appears near "
        "the top of the stack. The last row is the model's own output. (The [tuned lens]"
        "(https://arxiv.org/abs/2303.08112) first trains a small map per layer, because middle layers do not quite "
        "speak the output's language; the plain lens needs no training.)",
        "### Logit lens\n"
        "把每一层之后的残差流都当作最后一层来读：通过模型自己最后的归一化层和 LM head"
        "（[nostalgebraist，2020](https://www.lesswrong.com/posts/AcKRB8wDpdaN6v6ru/"
        "interpreting-gpt-the-logit-lens)）。前面的层猜标点和常用词；答案在堆栈靠上的地方出现。最后一行是模型自己的"
        "输出。（[tuned lens](https://arxiv.org/abs/2303.08112) 先为每层训练一个小映射，因为中间层说的还不完全是输出的"
        "语言；普通的 lens 不需要训练。）"),
    "anatomy_intro": (
        "### The anatomy, read from the models\n"
        "Each row is read from a model object and its config, not typed in: the norm (LayerNorm subtracts the mean "
        "and has a bias; RMSNorm has neither) and where it sits (a forward pass with hooks sees whether a norm runs "
        "before attention), the activation (SwiGLU when the MLP has a gate), the positions (learned, T5's relative "
        "bias, RoPE), the attention (query vs KV heads) and the parameters per component. Llama-3-8B and Qwen2.5-7B "
        "are built from their published configs on the meta device: the structure without the weights.",
        "### 结构解剖，从模型中读出\n"
        "每一行都从模型对象及其配置中读出，而不是手写的：归一化（LayerNorm 减去均值并有偏置；RMSNorm 两者都没有）及其"
        "位置（一次带 hook 的前向传播能看出归一化是否在注意力之前运行）、激活函数（MLP 有门控时是 SwiGLU）、位置编码"
        "（学到的、T5 的相对偏置、RoPE）、注意力（查询头 vs KV 头），以及各部分的参数量。Llama-3-8B 和 Qwen2.5-7B "
        "由公开的配置在 meta 设备上构建：只有结构，没有权重。"),
    "anatomy.run": ("Read the architectures", "读出各个架构"),
    "anatomy.table": ("Architecture anatomy", "架构解剖"),
    "walk.run": ("Walk the block", "走过这个块"),
    "walk.plot": ("The block, step by step", "这个块，一步一步"),
    "walk.caption": ("Dark bars are the residual stream (entering, and after each add); light bars what is computed "
                     "inside. Hover a bar for its formula and shape.",
                     "深色柱是残差流（进入时，以及每次相加之后）；浅色柱是块内计算的量。鼠标悬停在柱上可看公式和形状。"),
    "walk.table": ("Every step", "每一步"),
    "walk.json": ("Block walk", "块遍历"),
    "preset.layer15": ("Layer 15: the stream arrives large", "第 15 层：残差流到达时已经很大"),
    "preset.minilm": ("MiniLM: BERT's post-norm block", "MiniLM：BERT 的后置归一化块"),
    "lens.run": ("Read the lens", "读 lens"),
    "lens.plot": ("Top token per layer and position", "每层每个位置的首选 token"),
    "lens.rank": ("The final answer, layer by layer", "最终答案，逐层来看"),
    "swaps_intro": (
        "### Norms and MLPs, swapped on one real hidden state\n"
        "**LayerNorm** (BERT, GPT-2) takes the mean out, divides by the spread and adds a bias; **RMSNorm** (LLaMA, "
        "Qwen, SmolLM2) only divides by the root mean square: one reduction instead of two, no bias, and in practice "
        "as good ([Zhang & Sennrich, 2019](https://arxiv.org/abs/1910.07467)). **SwiGLU** gates each channel of one "
        "projection with silu of another ([Shazeer, 2020](https://arxiv.org/abs/2002.05202)): three matrices "
        "instead of two, so its width is cut to about ⅔ · 4d to cost what a 4d GELU MLP costs. In trained models "
        "the stream's mean is already small (here |mean| < 0.1 · rms on every token), which is why dropping the "
        "centring costs nothing; the shift shows what it would cost if it were not. RoPE against learned positions "
        "is in the attention tab's *RoPE* panel.",
        "### 归一化与 MLP，在一个真实的隐藏状态上互换\n"
        "**LayerNorm**（BERT、GPT-2）减去均值、除以标准差并加上偏置；**RMSNorm**（LLaMA、Qwen、SmolLM2）只除以均方根："
        "一次归约而不是两次，没有偏置，实践中效果一样好（[Zhang & Sennrich，2019](https://arxiv.org/abs/1910.07467)）。"
        "**SwiGLU** 用另一个投影的 silu 给一个投影的每个通道加门控（[Shazeer，2020](https://arxiv.org/abs/2002.05202)）："
        "三个矩阵而不是两个，所以宽度缩到约 ⅔ · 4d，与 4d 宽的 GELU MLP 代价相当。在训练好的模型里，残差流的均值本来就"
        "很小（这里每个 token 上 |均值| < 0.1 · rms），所以去掉减均值这一步不损失什么；平移展示了如果不是这样会损失多少。"
        "RoPE 与学到的位置编码的对比在注意力标签页的 *RoPE* 面板里。"),
    "agree": ("so the two norms agree: centring removes almost nothing here",
              "所以两种归一化一致：在这里减均值几乎什么也没去掉"),
    "centring_matters": ("so centring matters here", "所以在这里减均值有影响"),
    "swaps_summary": (
        "At “{token}” entering layer {layer} the mean is {mean:.3f} against a spread of {spread:.3f} (the two "
        "outputs' cosine **{cosine:.4f}**), {agree}. Push the mean to one spread and RMSNorm's output turns (cosine "
        "{one:.2f}; at four spreads {four:.2f}) while LayerNorm's does not move. **{model}**'s MLP is {kind}, "
        "{inner:,} wide for d = {width}: {ratio:.2f} · d, {weights:.2f} M weights a layer (a 4d GELU MLP: "
        "{gelu:.2f} M). Its gate nearly shuts (|{gate}| < {shut}) **{share:.0%}** of the channels at this token. "
        "The pre-norm stream ({pre}) grows from {grows_from:.1f} to {grows_to:.1f} across the layers; the post-norm "
        "one ({post}) stays between {low:.1f} and {high:.1f}.",
        "在“{token}”进入第 {layer} 层处，均值为 {mean:.3f}，标准差为 {spread:.3f}（两个输出的余弦 **{cosine:.4f}**），"
        "{agree}。把均值推到一个标准差，RMSNorm 的输出就转向了（余弦 {one:.2f}；四个标准差时 {four:.2f}），而 "
        "LayerNorm 的纹丝不动。**{model}** 的 MLP 是 {kind}，d = {width} 时宽 {inner:,}：{ratio:.2f} · d，每层 "
        "{weights:.2f} 百万个权重（4d 宽的 GELU MLP：{gelu:.2f} 百万）。在这个 token 上，它的门控几乎关闭"
        "（|{gate}| < {shut}）了 **{share:.0%}** 的通道。前置归一化的残差流（{pre}）在各层间从 {grows_from:.1f} "
        "增长到 {grows_to:.1f}；后置归一化的（{post}）保持在 {low:.1f} 与 {high:.1f} 之间。"),
    "swaps.run": ("Compare on this token", "在这个 token 上比较"),
    "swaps.norms": ("LayerNorm vs RMSNorm", "LayerNorm 与 RMSNorm"),
    "swaps.gate": ("The MLP's gate", "MLP 的门控"),
    "swaps.streams": ("Pre-norm vs post-norm", "前置归一化与后置归一化"),
    "swaps.table": ("MLP widths and weights", "MLP 的宽度与权重"),
    "preset.layer25": ("SmolLM2, layer 25", "SmolLM2，第 25 层"),
    "preset.post_norm": ("MiniLM (post-norm) beside SmolLM2", "MiniLM（后置归一化）与 SmolLM2 并排"),
    "masks_intro": (
        "### What each model was trained to predict\n"
        "**BERT** ([Devlin et al., 2018](https://arxiv.org/abs/1810.04805)) hides 15% of the tokens and predicts them "
        "from both sides; of the picked ones 80% become `[MASK]`, 10% a random token and 10% stay, so that "
        "fine-tuning, which never shows `[MASK]`, does not surprise it. BERT also trained *next sentence prediction* "
        "(NSP: is B the sentence after A?); RoBERTa ([Liu et al., 2019](https://arxiv.org/abs/1907.11692)) dropped "
        "it and did as well or better. **T5** ([Raffel et al., 2019](https://arxiv.org/abs/1910.10683)) cuts spans "
        "out and has the decoder write them back after sentinels. **GPT, LLaMA and Qwen** predict every next token, "
        "and a chat fine-tune takes the loss on the reply alone. MLM and span corruption run on MiniLM's WordPiece "
        "tokens (BERT-base's vocabulary), the next-token labels on SmolLM2's.",
        "### 每个模型被训练来预测什么\n"
        "**BERT**（[Devlin 等，2018](https://arxiv.org/abs/1810.04805)）遮住 15% 的 token，从两边预测它们；被选中的 "
        "token 中 80% 变成 `[MASK]`，10% 变成随机 token，10% 保持不变，这样在从不出现 `[MASK]` 的微调阶段它不会感到意外。"
        "BERT 还训练了*下一句预测*（NSP：B 是不是 A 的下一句？）；RoBERTa（[Liu 等，2019](https://arxiv.org/abs/"
        "1907.11692)）去掉了它，效果一样好甚至更好。**T5**（[Raffel 等，2019](https://arxiv.org/abs/1910.10683)）"
        "剪掉一些片段，让解码器在哨兵 token 之后把它们写回来。**GPT、LLaMA 和 Qwen** 预测每一个下一个 token，而对话微调"
        "只在回复上计算损失。MLM 和片段破坏用 MiniLM 的 WordPiece token（BERT-base 的词表），下一个 token 的标签用 "
        "SmolLM2 的。"),
    "objective.mlm": ("BERT: masked LM", "BERT：掩码语言模型（MLM）"),
    "objective.span_corruption": ("T5: span corruption", "T5：片段破坏（span corruption）"),
    "objective.next_token": ("GPT / LLaMA: next token", "GPT / LLaMA：下一个 token"),
    "mlm_summary": (
        "transformers' `DataCollatorForLanguageModeling` (seed {seed}) picked **{picked}** of {ordinary} ordinary "
        "tokens (15% expects {expects:.1f}): {masked} became `[MASK]`, {random} a random token, {unchanged} stayed. "
        "The loss is taken at those {picked} positions only: their labels hold the original ids, every other label "
        "is −100.",
        "transformers 的 `DataCollatorForLanguageModeling`（seed {seed}）在 {ordinary} 个普通 token 中选中了 "
        "**{picked}** 个（按 15% 期望 {expects:.1f} 个）：{masked} 个变成 `[MASK]`，{random} 个变成随机 token，"
        "{unchanged} 个保持不变。损失只在这 {picked} 个位置上计算：它们的标签是原来的 id，其他标签都是 −100。"),
    "fill_none": ("**Fill-mask:** none here. {why}", "**填空（fill-mask）：** 这里没有。{why}"),
    "fill": ("**Fill-mask** by {model}: {guesses}.", "**填空（fill-mask）**，由 {model} 完成：{guesses}。"),
    "span_summary": (
        "{cut} of {count} tokens (round({density} · n)) cut in {spans} span(s) of {lengths} (mean {mean:g} over long "
        "texts). The encoder reads {encoder} tokens with one sentinel per span; the decoder writes only {decoder}: "
        "each sentinel and the span it hides. Written here from transformers' example script, which is the only "
        "place it ships.",
        "{count} 个 token 中剪掉 {cut} 个（round({density} · n)），分成 {spans} 段，长度为 {lengths}（长文本上平均 "
        "{mean:g}）。编码器读 {encoder} 个 token，每段一个哨兵 token；解码器只写 {decoder} 个：每个哨兵 token 和它遮住的"
        "片段。这里按 transformers 的示例脚本编写，它只在那里提供。"),
    "next_summary": ("Pretraining: each of the {count} positions is trained on the token after it, {loss} losses "
                     "(the last position's next token is not in the text).",
                     "预训练：{count} 个位置中的每一个都以它后面的 token 为训练目标，共 {loss} 个损失（最后一个位置的"
                     "下一个 token 不在文本中）。"),
    "fine_tune_summary": ("{text} Chat fine-tune (your text as the reply to “{user}”): {count} tokens, but the loss "
                          "covers only the {loss} that predict the reply and its end “{end}”; the template, system "
                          "and user turns are labelled −100.",
                          "{text}对话微调（你的文本作为对“{user}”的回复）：{count} 个 token，但损失只覆盖预测回复及其结尾"
                          "“{end}”的 {loss} 个；模板、系统和用户轮次的标签都是 −100。"),
    "rates_summary": ("Over **{draws:,}** draws {verdict}: {lines}.", "在 **{draws:,}** 次抽样中，{verdict}：{lines}。"),
    "rate_line": ("{name} {observed:.3f} (expected {expected:.3f} ± {bound:.3f})",
                  "{name} {observed:.3f}（期望 {expected:.3f} ± {bound:.3f}）"),
    "sentence": ("Sentence", "句子"),
    "objective": ("Objective", "训练目标"),
    "fill_model": ("fill-mask model (an MLM head)", "填空模型（带 MLM 头）"),
    "draw": ("Draw", "抽取"),
    "draw_again": ("Draw again (next seed)", "再抽一次（下一个 seed）"),
    "masks.plot": ("The sentence, as the objective sees it", "句子，在这个训练目标眼中的样子"),
    "draws": ("draws", "抽样次数"),
    "count": ("Count the MLM rates over these draws", "在这些抽样上统计 MLM 的比例"),
    "rates.plot": ("MLM rates", "MLM 比例"),
    "preset.spans": ("T5's spans on a paragraph", "T5 在一段文字上的片段"),
    "preset.rates": ("The MLM rates over 10,000 draws", "10,000 次抽样的 MLM 比例"),
    "preset.fact": ("A fact: where does Paris form?", "一个事实：Paris 在哪里形成？"),
    "preset.pattern": ("A pattern: counting forms by the middle", "一个模式：数数在中间层就形成了"),
})
