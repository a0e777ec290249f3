"""The decoding tab's server-built words: the strategies' names, the cards, the figures, and the errors."""

from playground.core.language import Words

WORDS = Words("decoding", {
    # the strategies, as a card and a legend name them (Chinese in the study note's terms)
    "strategy.greedy": ("Greedy", "贪心（greedy）"),
    "strategy.beam": ("Beam search", "Beam Search（束搜索）"),
    "strategy.sampling": ("Sampling (temperature)", "随机采样（温度）"),
    "strategy.top_k": ("Top-k sampling", "Top-K 采样"),
    "strategy.top_p": ("Top-p (nucleus) sampling", "Top-P 采样（核采样）"),
    "strategy.top_k_top_p": ("Top-k + top-p sampling", "Top-K + Top-P 采样"),
    "strategy.min_p": ("Min-p sampling", "Min-P 采样"),
    "strategy.typical": ("Typical sampling", "Typical 采样"),
    "strategy.epsilon": ("Epsilon sampling", "Epsilon 采样"),
    "strategy.eta": ("Eta sampling", "Eta 采样"),
    "strategy.contrastive": ("Contrastive search", "对比搜索（contrastive search）"),
    "unavailable.diverse_beam": (
        "Diverse (group) beam search moved out of transformers 5 into the Hub repo "
        "transformers-community/group-beam-search; this app never runs downloaded code.",
        "多样化（分组）Beam Search 已从 transformers 5 移到 Hub 仓库 transformers-community/group-beam-search；"
        "本应用从不运行下载来的代码。"),
    "unavailable.dola": (
        "DoLa decoding moved out of transformers 5 into the Hub repo transformers-community/dola; this app never "
        "runs downloaded code.",
        "DoLa 解码已从 transformers 5 移到 Hub 仓库 transformers-community/dola；本应用从不运行下载来的代码。"),
    # what an engine cannot run
    "engine.beam": (
        "An engine answers with finished texts, not the hypotheses beam search ranked at each step, so there is no "
        "tree to draw; vLLM's completions API dropped beam search, and llama.cpp's server never had it.",
        "推理引擎只返回写完的文本，不返回 Beam Search 每一步排过序的候选，所以画不出树；vLLM 的 completions API "
        "去掉了 Beam Search，llama.cpp 的服务器从来没有它。"),
    "engine.contrastive": ("Contrastive search compares the hidden states of candidate tokens, which an engine does "
                           "not send back.",
                           "对比搜索要比较候选 token 的隐藏状态，而推理引擎不返回它们。"),
    "engine.typical": ("vLLM has no typical-p sampling (llama.cpp's server does), so the playground does not send it.",
                       "vLLM 没有 typical-p 采样（llama.cpp 的服务器有），所以游乐场不发送它。"),
    "engine.epsilon": ("Neither vLLM nor llama.cpp's server has epsilon sampling.",
                       "vLLM 和 llama.cpp 的服务器都没有 epsilon 采样。"),
    "engine.eta": ("Neither vLLM nor llama.cpp's server has eta sampling.",
                   "vLLM 和 llama.cpp 的服务器都没有 eta 采样。"),
    # the cards
    "stop.eos": ("end-of-text token", "文本结束 token"),
    "stop.length": ("max_new_tokens reached", "达到 max_new_tokens"),
    "stop.stop": ("the engine's end of text", "推理引擎的文本结束"),
    "rank": ("rank {rank}", "排名 {rank}"),
    "below_named": ("below the engine's named alternatives", "在推理引擎给出的备选之外"),
    "drawn": (" · drawn from p={p:.3f}", " · 从 p={p:.3f} 中抽取"),
    "end_of_text": ("end of text", "文本结束"),
    "timing.engine": (" (one request, sent at once with {others} others for the engine to batch)",
                      "（一个请求，与另外 {others} 个同时发出，由推理引擎合批）"),
    "timing.running": (" (in a running batch with up to {others} other requests, {rows} rows at most)",
                       "（在一个运行中的批次里，至多与另外 {others} 个请求同行，最多 {rows} 行）"),
    "timing.running_one": (" (in a running batch with up to {others} other request, {rows} rows at most)",
                           "（在一个运行中的批次里，至多与另外 {others} 个请求同行，最多 {rows} 行）"),
    "timing.shared": (" (one batched pass shared with {others} other strategies)",
                      "（与另外 {others} 个策略共用一次批量计算）"),
    "beam_score": ("beam score (length-normalised)", "beam 分数（按长度归一化）"),
    "stopped": ("{count} (stopped: {why})", "{count}（停止原因：{why}）"),
    "mean_logprob": ("mean log-prob", "平均对数概率"),
    "perplexity": ("perplexity", "困惑度（perplexity）"),
    "repeated": ("repeated 3-grams", "重复的 3-gram"),
    "time": ("time: {timing}", "用时：{timing}"),
    "random": ("{label} has random weights: expect gibberish.", "{label} 的权重是随机的：输出会是乱码。"),
    "not_run": ("Not run on this engine", "没有在这个推理引擎上运行"),
    "strategy": ("strategy", "策略"),
    "why": ("why", "原因"),
    # the figures
    "legend.returned": ("returned sequence", "返回的序列"),
    "legend.kept": ("kept (lives on as a beam)", "保留（作为 beam 继续）"),
    "legend.finished": ("finished hypothesis (EOS or length limit)", "完成的候选（EOS 或长度上限）"),
    "legend.pruned": ("pruned", "被剪掉"),
    "chosen_p": ("chosen token p (model)", "所选 token 的 p（模型）"),
    "hover.step": ("step %{x}: %{text}<br>p=%{y:.3f}<br><b>model's top 5</b><br>%{customdata}",
                   "第 %{x} 步：%{text}<br>p=%{y:.3f}<br><b>模型的前 5 个</b><br>%{customdata}"),
    "top1": ("model's top-1 p", "模型第 1 名的 p"),
    "step": ("generation step", "生成步"),
    "trace.title": ("{label}: each step's choice (bars) vs the model's favourite (dashes)",
                    "{label}：每一步的选择（柱）与模型的首选（短横）"),
    "prompt": ("prompt", "提示词"),
    "hover.node": ("%{text}<br>cumulative log-prob %{customdata[0]:.3f}<br>%{customdata[1]}",
                   "%{text}<br>累计对数概率 %{customdata[0]:.3f}<br>%{customdata[1]}"),
    "tree.rank": ("rank among the step's candidates (top = best cumulative log-prob)",
                  "在该步候选中的名次（最上 = 累计对数概率最高）"),
    "tree.title": ("Beam search tree ({beams} beams): red is the returned sequence",
                   "Beam Search 的树（{beams} 个 beam）：红色是返回的序列"),
    # errors
    "none_chosen": ("Choose at least one decoding strategy.", "请至少选择一种解码策略（strategies）。"),
    "unavailable": ("'{name}' is unavailable: {why}", "'{name}' 不可用：{why}"),
    "unknown": ("Unknown strategy '{name}'. Choose from: {names}.", "未知的策略 '{name}'。可选：{names}。"),
    "num_beams": ("num_beams must be between 2 and {limit} (got {value}); 1 beam is greedy.",
                  "num_beams 必须在 2 与 {limit} 之间（收到的是 {value}）；1 个 beam 就是贪心。"),
    "penalty_alpha": ("penalty_alpha must be in [0, 1] (got {value}); 0 is greedy.",
                      "penalty_alpha 必须在 [0, 1] 之内（收到的是 {value}）；0 就是贪心。"),
    "no_repeat": ("no_repeat_ngram_size must be ≥ 0 (got {value}).", "no_repeat_ngram_size 必须 ≥ 0（收到的是 {value}）。"),
    "max_new_tokens": ("max_new_tokens must be between 1 and {limit} (got {value}).",
                       "max_new_tokens 必须在 1 与 {limit} 之间（收到的是 {value}）。"),
    "context": ("The prompt ({prompt} tokens) plus max_new_tokens ({new}) exceeds {label}'s context of {context} "
                "tokens.",
                "提示词（{prompt} 个 token）加上 max_new_tokens（{new}）超出了 {label} 的 {context} 个 token 的上下文。"),
    "engine.no_repeat": ("no_repeat_ngram_size is not available on an engine (vLLM has no such parameter): set it "
                         "to 0, or choose an in-process model.",
                         "推理引擎上没有 no_repeat_ngram_size（vLLM 没有这个参数）：请设为 0，或选择进程内的模型。"),
    "engine.none_runs": ("None of the chosen strategies runs on an engine (see why under the cards); choose greedy, "
                         "sampling, top-k, top-p or min-p.",
                         "所选的策略都不能在推理引擎上运行（原因见卡片下方）；请选择贪心、随机采样、top-k、top-p 或 "
                         "min-p。"),
})
