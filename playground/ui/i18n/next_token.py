"""The next-token tab's words: its explanation, controls, experiments, captions and summary."""

from playground.ui.i18n import Catalogue

NEXT_TOKEN = Catalogue("ui.next_token", {
    "intro": (
        "## Temperature, top-k, top-p and min-p: the next-token distribution, stage by stage\n"
        "For your prompt the model runs **once** and gives a score (logit) for each of its 49,152 tokens. Sampling "
        "then passes those scores through a pipeline of transformers' own processors, in `generate`'s order:\n"
        "repetition penalty → [temperature](https://huggingface.co/blog/how-to-generate) (divide the logits by T) →\n"
        "[top-k](https://arxiv.org/abs/1805.04833) (keep the k best) → [top-p](https://arxiv.org/abs/1904.09751)\n"
        "(keep the smallest set holding probability p) → [min-p](https://arxiv.org/abs/2407.01082) (keep tokens "
        "with at least min_p × the top probability) → [typical-p](https://arxiv.org/abs/2202.00666). A cut token "
        "gets score −∞; the survivors are renormalised, and one is drawn. A stage runs exactly when `generate` would "
        "run it: min-p runs whenever it is set, even at 0, where it keeps every token. Change any parameter: the "
        "logits are cached, so only the cheap pipeline runs again. Reorder the stages to see that order matters "
        "(top-p after temperature is not top-p before it).",
        "## 温度、top-k、top-p 与 min-p：下一个 token 的分布，逐个阶段\n"
        "对你的提示词，模型只运行**一次**，为它的 49,152 个 token 各给出一个分数（logit）。采样再让这些分数按 "
        "`generate` 的顺序，依次通过 transformers 自己的处理器（LogitsProcessor）：\n"
        "重复惩罚（repetition penalty）→ [温度（temperature）](https://huggingface.co/blog/how-to-generate)"
        "（logits 除以 T）→\n"
        "[Top-K 采样](https://arxiv.org/abs/1805.04833)（保留最好的 k 个）→ "
        "[Top-P 采样（核采样，nucleus sampling）](https://arxiv.org/abs/1904.09751)\n"
        "（保留累计概率达到 p 的最小集合）→ [min-p](https://arxiv.org/abs/2407.01082)（保留概率至少为 min_p × "
        "最高概率的 token）→ [typical-p](https://arxiv.org/abs/2202.00666)。被截掉的 token 分数变为 −∞；"
        "剩下的重新归一化，再从中抽取一个。每个阶段恰好在 `generate` 会运行它时才运行：min-p 只要设置了就会运行，"
        "即使是 0（此时保留所有 token）。改动任何参数都行：logits 已缓存，只有很快的流水线会重跑。调换阶段的顺序，"
        "就能看到顺序有影响（温度之后的 top-p 不同于温度之前的 top-p）。"),
    "caption.cumulative": (
        "Tokens sorted by probability, as top-p sees them (after the stages before it). Top-p keeps tokens up to "
        "where the curve crosses the dashed line: the *nucleus*. A flat distribution needs many tokens to get "
        "there, a peaked one few.",
        "按概率排序的 token，即 top-p 看到的样子（经过它之前的阶段之后）。Top-P 保留到曲线穿过虚线处为止的 token："
        "这就是*核*（nucleus）。平坦的分布要很多 token 才能到达，尖锐的分布只要几个。"),
    "caption.sweep": (
        "Entropy (bits) of softmax(logits / T) as T goes from 0.1 to 3, and the *effective vocabulary* "
        "2^entropy: how many equally likely tokens would be as uncertain. Near 0 it is 1 token (greedy); at high T "
        "it heads to the whole vocabulary.",
        "T 从 0.1 变到 3 时 softmax(logits / T) 的熵（比特），以及*有效词表大小* 2^熵：多少个等可能的 token "
        "才有同样的不确定性。T 接近 0 时它是 1 个 token（贪心）；T 很高时它趋向整个词表。"),
    "caption.animated": (
        "Drag the slider or press play: the same tokens under temperature alone. Watch the top token's share drain "
        "away as T grows.",
        "拖动滑块或按播放：同样的 token，只受温度影响。看最可能的 token 的份额随 T 增大而流失。"),
    "caption.empirical": (
        "Draws from the final distribution (seeded) against its probabilities, over the tokens on show plus one "
        "bucket for the rest of the vocabulary. The total-variation distance is half the summed gap; the bound is "
        "how far chance alone could push it (99.9999% confidence, Bretagnolle-Huber-Carol). Above the bound would "
        "mean a bug.",
        "从最终分布中抽样（固定种子），与它的概率对比；范围是显示的 token，加上代表词表其余部分的一个桶。"
        "总变差（TV）距离是差距之和的一半；界限是单凭偶然能把它推到多远（置信度 99.9999%，"
        "Bretagnolle-Huber-Carol）。超出界限就意味着有 bug。"),
    "experiment.order": ("Order matters: top-p before temperature", "顺序有影响：top-p 在温度之前"),
    "experiment.generate_order": ("Same settings in generate's order", "同样的设置，按 generate 的顺序"),
    "experiment.min_p": ("Hot and safe: temperature 2 with min-p 0.1", "又热又稳：温度 2 加 min-p 0.1"),
    "experiment.greedy": ("Temperature → 0 is greedy: top_k = 1", "温度 → 0 就是贪心：top_k = 1"),
    "experiment.fact": ("A fact leaves top-p one token", "事实问题只给 top-p 留下一个 token"),
    "summary": (
        "{engine_note}**Kept set: {kept:,} token(s)** after {stages}; the most likely now has p = {top:.3f}. "
        "Context: {context} tokens. Empirical check over the {shown} tokens on show plus the rest: TV distance "
        "{tv:.4f} over {samples:,} samples, {verdict} the bound {bound:.4f} that chance alone allows.{warn}",
        "{engine_note}经过 {stages} 之后，**保留集合：{kept:,} 个 token**；最可能的那个现在 p = {top:.3f}。"
        "上下文：{context} 个 token。对显示的 {shown} 个 token 加其余部分做经验检验：{samples:,} 次采样的 TV 距离为 "
        "{tv:.4f}，{verdict}（单凭偶然所允许的界限为 {bound:.4f}）。{warn}"),
    "engine_note": (
        "**Top-{named} only.** {label} named its {named} most likely tokens, {share:.1%} of the probability; the "
        "other {rest:.1%} is one bucket, *the rest*, in the raw stage. The stage *engine top-{named}* cuts it, so "
        "the stages after it act on the named tokens, as the sampler would with top_k = {named} in front. The "
        "temperature sweep is over the named tokens.\n\n",
        "**只有前 {named} 个。** {label} 给出了它最可能的 {named} 个 token，占概率的 {share:.1%}；其余的 "
        "{rest:.1%} 在原始阶段里是一个桶，*其余*。阶段 *engine top-{named}* 把它截掉，于是之后的阶段只作用于给出的 "
        "token，就像采样器前面有 top_k = {named} 一样。温度扫描也只在这些 token 上进行。\n\n"),
    "order": ("Stage order (remove and re-add a stage to move it to the end)",
              "阶段顺序（删掉一个阶段再加回来，就把它移到末尾）"),
    "show": ("Show distribution", "显示分布"),
    "top_k": ("top_k (0 = off)", "top_k（0 = 关闭）"),
    "top_p": ("top_p (1 = off)", "top_p（1 = 关闭）"),
    "min_p": ("min_p (0 keeps every token)", "min_p（0 保留所有 token）"),
    "more": ("More", "更多"),
    "typical_p": ("typical_p (1 = off)", "typical_p（1 = 关闭）"),
    "repetition_penalty": ("repetition_penalty (1 = off)", "repetition_penalty（1 = 关闭）"),
    "top_n": ("tokens on show (top N)", "显示的 token 数（前 N 个）"),
    "samples": ("samples (≤ {limit:,})", "采样次数（≤ {limit:,}）"),
    "experiments": ("**Suggested experiments** (each sets every input but the model, then shows the distribution):",
                    "**推荐实验**（每个都会设置除模型之外的所有输入，然后显示分布）："),
    "bars": ("Stage by stage", "逐个阶段"),
    "walk": ("### Walk one branch by hand\nPick one of the kept tokens to append it to the context, or let the "
             "sampler draw one. The model runs once per step; the path shows each choice's probability.",
             "### 亲手走一条分支\n从保留的 token 中选一个接到上下文后面，或让采样器抽一个。每一步模型运行一次；"
             "路径显示每次选择的概率。"),
    "choice": ("Kept tokens (most likely first)", "保留的 token（最可能的在前）"),
    "append": ("Append chosen token", "接上选中的 token"),
    "sample": ("Sample next token", "采样下一个 token"),
    "reset": ("Reset path", "重置路径"),
    "tab.nucleus": ("The nucleus and the temperature", "核与温度"),
    "tab.checked": ("Temperature animated, sampling checked", "温度动画与采样检验"),
    "plot.cumulative": ("Cumulative probability", "累计概率"),
    "plot.sweep": ("Temperature sweep", "温度扫描"),
    "plot.animated": ("Temperature, animated", "温度动画"),
    "plot.empirical": ("Empirical check", "经验检验"),
    "distribution": ("Distribution", "分布"),
    "pick_first": ("Pick one of the tokens first (or press Sample).", "请先选一个 token（或按采样）。"),
})
