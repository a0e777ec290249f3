"""The internals tab's words for speculative decoding: the drafters, the passes, and the rejection rule."""

from playground.ui.i18n import Catalogue

SPECULATIVE = Catalogue("ui.internals.speculative", {
    "intro": (
        "### Speculative decoding: draft cheaply, check in one pass\n"
        "One token costs a read of every weight, and checking several tokens in one forward pass costs about the "
        "same. So a cheap **drafter** proposes a few tokens; the model runs once over them all, keeps the longest "
        "prefix it agrees with and adds one token of its own. Greedy, the text is exactly plain greedy's; sampling, "
        "the **rejection rule** keeps the model's distribution ([Leviathan et al. 2023]"
        "(https://arxiv.org/abs/2211.17192), [Chen et al. 2023](https://arxiv.org/abs/2302.01318), "
        "[vLLM's speculative decoding](https://docs.vllm.ai/en/latest/features/spec_decode.html)). This runs "
        "transformers' assisted generation and records every pass. **Prompt lookup** copies what followed the last "
        "n-gram where it appeared before (it pays when the answer repeats its input); **early exit** drafts with the "
        "model's first L layers and its head (the architecture tab's logit lens shows how far a middle layer is from "
        "the answer); a **draft model** is a smaller model with the same tokenizer.",
        "### 推测解码（speculative decoding）：便宜地起草，一遍检查\n"
        "一个 token 要读一遍所有权重，而在一次前向传播里检查好几个 token 的代价差不多。所以让一个便宜的**草稿器**"
        "（drafter）提出几个 token；模型在它们上面运行一次，保留它同意的最长前缀，再加上一个自己的 token。贪心时，"
        "文本和普通贪心完全一样；采样时，**拒绝规则**（rejection rule）保持模型的分布（[Leviathan 等 2023]"
        "(https://arxiv.org/abs/2211.17192)、[Chen 等 2023](https://arxiv.org/abs/2302.01318)、"
        "[vLLM 的推测解码](https://docs.vllm.ai/en/latest/features/spec_decode.html)）。这里运行 transformers 的"
        "辅助生成（assisted generation），并记录每一遍。**提示查找**（prompt lookup）复制最后一个 n-gram 上次出现时"
        "后面跟着的内容（回答重复输入时很划算）；**提前退出**（early exit）用模型的前 L 层加它的输出头来起草（架构"
        "标签页的 logit lens 显示中间层离答案有多远）；**草稿模型**（draft model）是一个用同一分词器的更小的模型。"),
    "summary": (
        "**{model}**, {drafter}, drafts of {length}, {kind}: {tokens} tokens in **{passes} target forward passes** "
        "({per_pass:.2f} tokens a pass); {accepted} of {drafted} drafted tokens accepted (**{rate:.0%}**). "
        "{seconds:.2f} s against {plain:.2f} s for plain decoding of the same prompt in this request: "
        "**{speedup:.2f}×** its speed per token. The text is {verdict}: {text}.",
        "**{model}**，{drafter}，每次起草 {length} 个，{kind}：{tokens} 个 token 用了 **{passes} 次目标模型前向传播**"
        "（每遍 {per_pass:.2f} 个 token）；{drafted} 个草稿 token 中接受了 {accepted} 个（**{rate:.0%}**）。用时 "
        "{seconds:.2f} 秒，而这次请求里同一提示词的普通解码用了 {plain:.2f} 秒：每个 token 的速度是它的 "
        "**{speedup:.2f}×**。文本{verdict}：{text}。"),
    "greedy": ("greedy", "贪心（greedy）"),
    "sampling": ("sampling (temperature 1, no truncation)", "采样（温度 1，不截断）"),
    "same": ("**the same tokens as plain greedy**, as it must be", "**与普通贪心的 token 完全相同**，理应如此"),
    "sampled": (
        "different tokens from the plain run, as expected when sampling: the two runs draw differently; the rule "
        "below shows why both follow the model's distribution",
        "与普通运行的 token 不同，采样时本该如此：两次运行抽样不同；下面的规则说明为什么两者都服从模型的分布"),
    "bug": ("**different tokens from plain greedy**: that would be a bug", "**与普通贪心的 token 不同**：这会是一个 bug"),
    "decoding": ("Decoding plainly, then with the drafter", "先普通解码，再用草稿器解码"),
    "rule": (
        "**The rule on the first draft**, '{token}': the model gives it p = {p:.3f}, the drafter q = {q:.3f}, so it "
        "is kept with probability min(1, p/q) = **{keep:.3f}**; a draft from q is rejected with probability "
        "Σ max(0, q − p) = {reject:.3f}, and then redrawn from max(0, p − q), normalised. Over {draws:,} drafts drawn "
        "from q, the rule's tokens sit within {worst:.2f}× the bound of p on every bin ({verdict}); always accepting "
        "gives q's shares, {broken:.1f}× the bound ({broken_verdict}).",
        "**第一个草稿上的规则**，'{token}'：模型给它 p = {p:.3f}，草稿器给 q = {q:.3f}，所以它以 min(1, p/q) = "
        "**{keep:.3f}** 的概率被保留；一个从 q 抽出的草稿被拒绝的概率是 Σ max(0, q − p) = {reject:.3f}，拒绝后从归一化"
        "的 max(0, p − q) 重抽。从 q 抽 {draws:,} 个草稿，规则给出的 token 在每一格都落在 p 的界的 {worst:.2f}× 以内"
        "（{verdict}）；总是接受则得到 q 的比例，是界的 {broken:.1f}×（{broken_verdict}）。"),
    "broken.passes": ("passes: p and q agree here", "通过：p 与 q 在这里一致"),
    "broken.fails": ("fails, as it must", "不通过，理应如此"),
    "lookup": (
        " Prompt lookup's q is all on the copied token, so the rule keeps it with probability p and redraws from p "
        "without it: generate does the same by sampling from p and comparing.",
        "提示查找的 q 全部集中在复制来的 token 上，所以规则以概率 p 保留它，否则从去掉它的 p 中重抽：generate 的做法"
        "（从 p 采样再比较）与此相同。"),
    "no_draft": (
        "This run drafted nothing (prompt lookup found no n-gram to copy), so there is no draft to show the rule on.",
        "这次运行什么也没起草（提示查找没找到可复制的 n-gram），所以没有草稿可用来演示规则。"),
    "prompt": ("Prompt (this panel's own: prompt lookup needs text to copy)", "提示词（这个面板自己的：提示查找需要可复制的文本）"),
    "drafter": ("drafter", "草稿器 drafter"),
    "draft_length": ("draft length", "草稿长度"),
    "exit_layer": ("early exit: layers L", "提前退出：层数 L"),
    "draft_model": ("draft model (same tokenizer)", "草稿模型（同一分词器）"),
    "max_new_tokens": ("max new tokens", "最多新 token 数"),
    "do_sample": ("sample (temperature 1)", "采样（温度 1）"),
    "run": ("Decode plainly and speculatively", "普通解码与推测解码"),
    "plot": ("Passes and the clock", "各遍与时钟"),
    "rule_plot": ("The rejection rule", "拒绝规则"),
    "preset.repeat": ("Repeating a text: prompt lookup copies it", "重复一段文本：提示查找复制它"),
    "preset.story": ("An open-ended story: little to copy", "开放式故事：没什么可复制"),
    "preset.exit12": ("Early exit at 12 layers", "在第 12 层提前退出"),
    "preset.exit28": ("Early exit at 28 layers", "在第 28 层提前退出"),
    "preset.sampling": ("Sampling: the rule with an early-exit drafter", "采样：用提前退出草稿器演示规则"),
})
