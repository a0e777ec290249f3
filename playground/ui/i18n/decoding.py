"""The decoding tab's words: its explanation, controls, experiments and the captions of its traces."""

from playground.ui.i18n import Catalogue

DECODING = Catalogue("ui.decoding", {
    "intro": (
        "## Decoding strategies, side by side\n"
        "A language model only gives a probability for every possible next token. **Decoding** is the rule that "
        "turns those probabilities into text: always take the most likely token (*greedy*), keep several candidate "
        "texts alive (*beam search*), or draw at random from a reshaped distribution: *temperature* sharpens or "
        "flattens it, [*top-k*](https://arxiv.org/abs/1805.04833) keeps the k likeliest tokens, "
        "[*top-p / nucleus*](https://arxiv.org/abs/1904.09751) the smallest set holding probability p, "
        "[*min-p*](https://arxiv.org/abs/2407.01082) the tokens at least min_p × the top token's probability, "
        "[*typical*](https://arxiv.org/abs/2202.00666) the tokens whose surprise is close to the average, and "
        "[*epsilon / eta*](https://arxiv.org/abs/2210.15191) the tokens above an absolute (or entropy-scaled) "
        "floor. All of these are transformers' own `LogitsProcessor` classes; see the "
        "[generation guide](https://huggingface.co/docs/transformers/generation_strategies). "
        "[*Contrastive search*](https://arxiv.org/abs/2202.06417) picks, among the top-k tokens, the one that is "
        "likely *and* least similar (by hidden state) to everything before it; transformers 5 moved it to Hub code, "
        "so it runs here from a short local implementation of the paper's rule.",
        "## 解码策略，并排比较\n"
        "语言模型只为每个可能的下一个 token 给出一个概率。**解码**就是把这些概率变成文本的规则：每次都取最可能的 "
        "token（*贪心*，greedy），同时保留几条候选文本（*Beam Search*，束搜索），或者从重新塑形的分布中随机抽取："
        "*温度*（temperature）让它更尖锐或更平滑，[*Top-K 采样*](https://arxiv.org/abs/1805.04833) 保留最可能的 "
        "k 个 token，[*Top-P 采样（核采样，nucleus）*](https://arxiv.org/abs/1904.09751) 保留累计概率达到 p 的最小"
        "集合，[*min-p*](https://arxiv.org/abs/2407.01082) 保留概率至少为 min_p × 最高概率的 token，"
        "[*typical*](https://arxiv.org/abs/2202.00666) 保留意外程度接近平均值的 token，"
        "[*epsilon / eta*](https://arxiv.org/abs/2210.15191) 保留高于一个绝对（或按熵缩放的）下限的 token。"
        "这些都是 transformers 自己的 `LogitsProcessor` 类；参见"
        "[生成指南](https://huggingface.co/docs/transformers/generation_strategies)。"
        "[*对比搜索*](https://arxiv.org/abs/2202.06417)（contrastive search）在 top-k 个 token 中挑一个既可能、"
        "又与之前所有内容（按隐藏状态）最不相似的；transformers 5 把它移到了 Hub 代码里，所以这里用一段按论文规则"
        "写的简短本地实现来运行。"),
    "batching": (
        "Every sampling strategy here runs in **one batched `generate` call**, each row with its own settings, so "
        "the comparison costs about as much as two single runs. Each row also draws with **its own random "
        "generator**, seeded with your seed, so a strategy's text depends only on the prompt, its settings and the "
        "seed: ticking another strategy never changes it. Comparisons that other people run at the same time share "
        "one running batch: between two decoding steps a new comparison's rows join the rows already decoding, and "
        "finished rows leave, as [continuous batching](https://docs.vllm.ai/en/latest/design/arch_overview.html) "
        "does in vLLM (a prompt that several rows ask for is prefilled once). Each card says how many requests and "
        "rows it shared steps with. Its tokens are the ones it gets alone; a rare choice that sat on a float "
        "knife's edge is the exception (the README says which, and how often).",
        "这里所有的采样策略都在**一次批量的 `generate` 调用**中运行，每一行有自己的设置，所以整个比较的代价大约"
        "只相当于两次单独运行。每一行还用**自己的随机数生成器**抽样，种子来自你设的 seed，所以一个策略的文本只取决于"
        "提示词、它的设置和 seed：多勾选一个策略不会改变它。别人同时运行的比较共用一个运行中的批次：在两个解码步之间，"
        "新比较的行加入正在解码的行，完成的行离开，就像 vLLM 的"
        "[连续批处理](https://docs.vllm.ai/en/latest/design/arch_overview.html)（continuous batching）那样"
        "（多行要求的同一个提示词只预填充一次）。每张卡片都写明它与多少个请求、多少行共用了解码步。它的 token "
        "与单独运行时相同；少见的例外是恰好落在浮点误差刀刃上的选择（README 说明了是哪些、多常见）。"),
    "not_offered": ("**Not offered here:** {reasons}", "**这里不提供：** {reasons}"),
    "reading": (
        "**How to read the cards.** Each token is coloured by the probability the *model* gave it (red = "
        "surprising, green = expected); hover for its rank and the probability in the distribution the strategy "
        "actually drew from. *Mean log-prob* and *perplexity* say how likely the whole text is under the model "
        "(perplexity 1 = certain; greedy and beam are low by construction). *distinct-n* is unique n-grams ÷ all "
        "n-grams (1 = no repeats) and *repeated 3-grams* is the share of 3-token sequences seen before: high values "
        "are a decoding loop.",
        "**怎么读卡片。** 每个 token 按*模型*给它的概率着色（红 = 意外，绿 = 意料之中）；鼠标悬停可看它的排名，以及"
        "它在策略实际抽样的分布中的概率。*平均对数概率*和*困惑度*（perplexity）说明整段文本在模型看来有多可能"
        "（困惑度 1 = 确定；贪心和 Beam Search 按构造就低）。*distinct-n* 是不重复的 n-gram ÷ 全部 n-gram"
        "（1 = 没有重复），*重复的 3-gram* 是之前出现过的 3-token 序列所占的比例：数值高就是解码陷入了循环。"),
    "experiment.poem": ("Greedy loops on this poem: now compare top-p 0.9", "贪心在这首诗上打转：现在对比 top-p 0.9"),
    "experiment.beam": ("Beam search finds a likelier text than greedy", "Beam Search 找到比贪心更可能的文本"),
    "experiment.hot": ("Temperature 1.5: plain sampling derails, min-p stays on topic",
                       "温度 1.5：普通采样跑偏，min-p 不离题"),
    "experiment.flat": ("Flat distribution (temperature 2): top-k 20 caps what top-p 0.9 alone keeps",
                        "平坦的分布（温度 2）：top-k 20 限住了单用 top-p 0.9 时保留的数量"),
    "experiment.contrastive": ("Contrastive search escapes greedy's loop without randomness",
                               "对比搜索不靠随机也能跳出贪心的循环"),
    "experiment.penalty": ("A repetition penalty breaks the loop", "重复惩罚打破循环"),
    "column.step": ("step", "步"),
    "column.token": ("token", "token（词元）"),
    "column.p_model": ("p (model)", "p（模型）"),
    "column.p_drawn": ("p (drawn from)", "p（抽样分布）"),
    "column.rank": ("rank", "排名"),
    "column.entropy": ("entropy (bits)", "熵（比特）"),
    "column.top5": ("model's top 5", "模型的前 5 个"),
    "no_trace": ("Run a comparison to see its per-step trace.", "运行一次比较，就能看到它的逐步轨迹。"),
    "asking_engine": ("Asking the engine", "正在询问推理引擎"),
    "generating": ("Generating", "正在生成"),
    "no_tree_engine": ("Beam search's tree needs the model's weights in this process; an engine does not send back "
                       "the hypotheses it ranked.",
                       "Beam Search 的树需要本进程中的模型权重；推理引擎不返回它排过序的候选。"),
    "no_tree": ("Add 'beam' to the strategies to see the tree of hypotheses.",
                "在策略中加上 'beam'，就能看到候选的树。"),
    "how_it_runs": ("How the comparison runs (one batched generate), and what is not offered",
                    "比较如何运行（一次批量 generate），以及哪些不提供"),
    "strategies": ("Strategies", "策略"),
    "max_new_tokens": ("max_new_tokens (≤ {limit})", "max_new_tokens（新 token 数上限，≤ {limit}）"),
    "temperature": ("temperature (all sampling strategies)", "temperature（所有采样策略）"),
    "own_parameter": ("Each strategy's own parameter", "每个策略自己的参数"),
    "top_k": ("top_k (0 = keep all)", "top_k（0 = 全部保留）"),
    "length_penalty": ("length_penalty (beam)", "length_penalty（长度惩罚，beam）"),
    "early_stopping": ("early_stopping (beam)", "early_stopping（提前停止，beam）"),
    "penalty_alpha": ("penalty_alpha (contrastive; 0 = greedy)", "penalty_alpha（对比搜索；0 = 贪心）"),
    "contrastive_k": ("contrastive_k (candidates)", "contrastive_k（候选数）"),
    "shared": ("Shared modifiers", "共用的调节项"),
    "repetition_penalty": ("repetition_penalty (1 = none)", "repetition_penalty（1 = 不惩罚）"),
    "no_repeat": ("no_repeat_ngram_size (0 = off)", "no_repeat_ngram_size（0 = 关闭）"),
    "experiments": ("**Suggested experiments** (each sets every input but the model; then press Compare):",
                    "**推荐实验**（每个都会设置除模型之外的所有输入；然后按比较）："),
    "cards": ("Cards", "卡片"),
    "raw": ("Raw prompt (what the model sees, chat template included)", "原始提示词（模型看到的内容，含对话模板）"),
    "raw_label": ("Raw prompt", "原始提示词"),
    "raw_value": ("{count} tokens:\n{text}", "{count} 个 token：\n{text}"),
    "tab.trace": ("Per-step trace", "逐步轨迹"),
    "trace.caption": (
        "At each step: the token chosen, its probability and rank under the model, the entropy of the model's "
        "distribution (bits: 0 = certain, log₂ 49152 ≈ 15.6 = uniform over the vocabulary), and the model's top 5 "
        "alternatives. Where the bar sits far below the dash, the strategy took a token the model did not favour.",
        "每一步：选中的 token、它在模型下的概率和排名、模型分布的熵（比特：0 = 确定，log₂ 49152 ≈ 15.6 = 在整个词表上"
        "均匀），以及模型的前 5 个备选。柱远低于短横的地方，就是策略选了模型并不偏爱的 token。"),
    "trace.choice": ("Strategy to trace", "要看轨迹的策略"),
    "trace.table": ("The trace as a table", "轨迹表格"),
    "trace.table_label": ("Per-step trace (table)", "逐步轨迹（表格）"),
    "tab.beam": ("Beam tree", "Beam 树"),
    "beam.caption": (
        "Every candidate beam search ranked at each step (the top 2 × num_beams by cumulative log-prob). Blue nodes "
        "lived on as beams, green ones finished, grey ones were pruned; the red path is the sequence "
        "`generate(num_beams=...)` returned. Hover a node for its cumulative log-probability.",
        "Beam Search 在每一步排过序的所有候选（按累计对数概率取前 2 × num_beams 个）。蓝色节点作为 beam 继续，绿色的"
        "已完成，灰色的被剪掉；红色路径是 `generate(num_beams=...)` 返回的序列。鼠标悬停在节点上可看它的累计对数概率。"),
    "beam.plot": ("Beam search tree", "Beam Search 树"),
    "results": ("Per-strategy results", "各策略的结果"),
})
