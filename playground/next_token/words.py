"""The next-token tab's server-built words: its figures (titles, axes, legends), the walked path, and its errors."""

from playground.core.language import Words

WORDS = Words("next_token", {
    # the stages, as a legend names them
    "stage.raw": ("raw softmax", "原始 softmax"),
    "stage.repetition_penalty": ("after repetition penalty", "重复惩罚之后"),
    "stage.temperature": ("after temperature", "温度之后"),
    "stage.top_k": ("after top-k", "top-k 之后"),
    "stage.top_p": ("after top-p", "top-p 之后"),
    "stage.min_p": ("after min-p", "min-p 之后"),
    "stage.typical_p": ("after typical-p", "typical-p 之后"),
    "stage.other": ("after the {name} cut", "{name} 截断之后"),
    "sampled_from": (" = sampled from", " = 从这里采样"),
    "rest": ("(rest)", "（其余）"),
    "cut": ("cut", "被截掉"),
    "kept": ("kept", "保留"),
    # the stage bars
    "bars.x": ("token (␣ = space, ↵ = newline; ·id)", "token（␣ = 空格，↵ = 换行；·id）"),
    "bars.title": ("Top {shown} tokens, stage by stage. {kept:,} token(s) kept; hatched, faded bars were cut",
                   "前 {shown} 个 token，逐个阶段。保留 {kept:,} 个；带斜线的淡色柱被截掉了"),
    # the nucleus
    "cumulative.trace": ("cumulative p ({stage})", "累计概率 p（{stage}）"),
    "nucleus.trace": ("nucleus: {nucleus} token(s)", "核：{nucleus} 个 token"),
    "nucleus.title": ("The nucleus: {nucleus} token(s) reach top_p = {top_p}",
                      "核（nucleus）：{nucleus} 个 token 达到 top_p = {top_p}"),
    "cumulative.title": ("Cumulative probability (set top_p < 1 for the nucleus)",
                         "累计概率（设 top_p < 1 可看到核）"),
    "cumulative.x": ("rank (1 = most likely, log scale)", "名次（1 = 最可能，对数刻度）"),
    "cumulative.y": ("cumulative probability", "累计概率"),
    # the temperature sweep
    "effective": ("effective vocabulary (2^entropy)", "有效词表大小（2^熵）"),
    "your_t": ("your T = {temperature}", "你的 T = {temperature}"),
    "temperature": ("temperature", "温度"),
    "effective.axis": ("effective vocabulary (tokens, log scale)", "有效词表大小（token 数，对数刻度）"),
    "sweep.title": ("Temperature alone: entropy vs T", "只看温度：熵随 T 的变化"),
    "animated.title": ("Temperature alone, animated", "只看温度：动画"),
    # the empirical check
    "theory": ("probability (theory)", "概率（理论）"),
    "frequency": ("frequency in {draws:,} samples", "{draws:,} 次采样中的频率"),
    "within": ("within", "在界限之内"),
    "above": ("ABOVE", "超出界限"),
    "empirical.title": ("Samples vs theory: TV distance {tv:.4f}, {verdict} the bound {bound:.4f}",
                        "采样 vs 理论：TV 距离 {tv:.4f}，{verdict}（界限 {bound:.4f}）"),
    # the walked path
    "path.empty": ("Path: just the prompt. Pick a token below, or press <b>Sample</b>.",
                   "路径：只有提示词。在下面选一个 token，或按 <b>采样</b>。"),
    "path": ("Path (token, its probability when chosen): prompt → {chips}",
             "路径（token，被选中时的概率）：提示词 → {chips}"),
    # errors
    "samples": ("The number of samples must be between 1 and {limit:,} (got {value}).",
                "采样次数（n_samples）必须在 1 与 {limit:,} 之间（收到的是 {value}）。"),
    "path.outside": ("The path holds a token id outside the vocabulary.", "路径中有一个词表之外的 token id。"),
    "path.texts": ("The path holds something other than token texts.", "路径中有不是 token 文本的东西。"),
    "not_kept": ("Token {token} is not among the tokens the sampler keeps here; choose one of the kept tokens.",
                 "token {token} 不在采样器此处保留的 token 之中；请从保留的 token 里选一个。"),
    "order": ("order must be a list of stage names (got {value}).", "order 必须是阶段名的列表（收到的是 {value}）。"),
    "unknown_stage": ("Unknown stage(s) {unknown}; stages are {stages}.", "未知的阶段 {unknown}；可用的阶段是 {stages}。"),
    "stage_twice": ("Each stage may appear once in the order.", "每个阶段在顺序（order）中只能出现一次。"),
    "too_long": ("The text is longer than {label}'s context.", "文本超出了 {label} 的上下文长度。"),
    "engine.penalty": ("The repetition penalty needs the logit of every token the context holds, and an engine names "
                       "only its top tokens: set it to 1 here, or choose an in-process model.",
                       "重复惩罚需要上下文中每个 token 的 logit，而推理引擎只给出它最靠前的 token：这里请把它设为 1，"
                       "或选择进程内的模型。"),
    "engine.nothing": ("The engine at {url} returned no token for this prompt.", "{url} 的推理引擎对这个提示词没有返回 token。"),
})
