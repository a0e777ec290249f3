"""The core's words: the errors every tab shares (a value of the wrong kind or out of range, an empty or long
prompt, a model that cannot be had, too many requests, an unforeseen failure)."""

from playground.core.language import Words

WORDS = Words("core", {
    # what a value must be (the guard's annotations, the settings' fields)
    "kind.text": ("text", "文本"),
    "kind.bool": ("true or false", "布尔值（true 或 false）"),
    "kind.number": ("a number", "一个数"),
    "kind.texts": ("a list of text", "一个文本列表"),
    "kind.numbers": ("a list of numbers", "一个数的列表"),
    "must_be": ("{name} must be {what} (got {value}).", "{name} 必须是{what}（收到的是 {value}）。"),
    "finite": ("{name} must be a finite number (got {value}).", "{name} 必须是有限的数（收到的是 {value}）。"),
    "whole": ("{name} must be a whole number (got {value}).", "{name} 必须是整数（收到的是 {value}）。"),
    "too_large": ("{name} is too large (got {value}).", "{name} 太大了（收到的是 {value}）。"),
    "between": ("{name} must be between {low} and {high} (got {value}).",
                "{name} 必须在 {low} 与 {high} 之间（收到的是 {value}）。"),
    "one_of": ("{name} must be one of {choices} (got {value}).", "{name} 必须是 {choices} 之一（收到的是 {value}）。"),
    "surrogate": ("{name} is not valid Unicode text: it holds a lone surrogate ({char} at character {at}).",
                  "{name} 不是有效的 Unicode 文本：第 {at} 个字符处有一个孤立的代理项（{char}）。"),
    # the prompt
    "prompt.empty": ("The prompt is empty. Type some text for the model to continue.",
                     "提示词（prompt）是空的。请输入一些文字，让模型接着写。"),
    "prompt.chars": ("The prompt is {length:,} characters long; the limit here is {limit:,}.",
                     "提示词（prompt）有 {length:,} 个字符；这里的上限是 {limit:,}。"),
    "prompt.tokens": ("The prompt is {length:,} tokens long; the limit here is {limit:,} tokens. Shorten it.",
                      "提示词（prompt）有 {length:,} 个 token；这里的上限是 {limit:,} 个 token。请缩短它。"),
    # the model
    "model.empty": ("The model name is empty: choose a model from the list, or type a Hub id.",
                    "模型名（model）是空的：请从列表中选一个模型，或输入一个 Hub id。"),
    "model.fallback": ("Choose the embedded model SmolLM2-135M-Instruct, which needs no network.",
                       "请选择内置模型 SmolLM2-135M-Instruct，它不需要网络。"),
    "model.no_mlm": ("No model with an MLM head ships offline (the embedded MiniLM was trained for sentence "
                     "embeddings and has none): name a folder listed in PLAYGROUND_LOCAL_MODEL_DIRS, or run where the "
                     "Hub is reachable.",
                     "离线时没有带 MLM 头的模型（内置的 MiniLM 是为句向量训练的，没有这个头）：请指定 "
                     "PLAYGROUND_LOCAL_MODEL_DIRS 中列出的文件夹，或在能连上 Hub 的地方运行。"),
    "model.not_an_id": ("'{model}' is not a model name or Hugging Face Hub id. {fallback}",
                        "'{model}' 不是模型名，也不是 Hugging Face Hub id。{fallback}"),
    "model.server_path": ("'{model}' names a file or folder on this server, and models load only from the Hub or "
                          "from folders listed in PLAYGROUND_LOCAL_MODEL_DIRS.",
                          "'{model}' 指向这台服务器上的文件或文件夹；模型只能从 Hub 或 PLAYGROUND_LOCAL_MODEL_DIRS "
                          "列出的文件夹加载。"),
    "model.offline": ("'{model}' would come from the Hugging Face Hub, which is unreachable here (offline). "
                      "{fallback}",
                      "'{model}' 要从 Hugging Face Hub 下载，而这里连不上 Hub（离线）。{fallback}"),
    "model.failed": ("Could not load '{model}' from the Hub: {error}. {fallback}",
                     "无法从 Hub 加载 '{model}'：{error}。{fallback}"),
    "model.not_causal": ("{label} is not a decoder-only causal LM, and this needs one: choose SmolLM2, a tiny "
                         "model, or a GPT, LLaMA or Qwen from the Hub.",
                         "{label} 不是 Decoder-Only 的因果语言模型，而这里需要一个：请换一个模型（model），例如 SmolLM2、"
                         "一个微型模型，或 Hub 上的 GPT、LLaMA、Qwen。"),
    "model.served": ("'{model}' is served by an outside engine, which sends back tokens and their "
                     "log-probabilities but not the weights, and this needs the weights in this process (attention, "
                     "beam search's tree, training, the cache internals). Engine models run in the decoding and "
                     "next-token tabs; here choose an in-process model, such as the embedded SmolLM2.",
                     "'{model}' 由外部推理引擎提供，它只返回 token 及其对数概率，不提供权重；而这里需要本进程中的权重"
                     "（注意力、Beam Search 的树、训练、缓存内部）。引擎模型可以在解码和下一个 token 标签页中使用；"
                     "这里请选择进程内的模型，例如内置的 SmolLM2。"),
    # words several tabs' figures and checks share
    "probability": ("probability", "概率"),
    "entropy": ("entropy (bits)", "熵（比特）"),
    "token": ("token", "token（词元）"),
    "tokens": ("tokens", "token 数"),
    "play": ("▶ play", "▶ 播放"),
    "seed": ("seed must be a whole number ≥ 0 (got {value}).", "seed 必须是 ≥ 0 的整数（收到的是 {value}）。"),
    "layer": ("layer must be between 0 and {last} for {model} (got {value}).",
              "对 {model}，layer 必须在 0 与 {last} 之间（收到的是 {value}）。"),
    # the colours of token chips
    "legend": ("Token colour = probability under {what}: {chips}. Hover a token for its probability.",
               "token 的颜色 = {what}给出的概率：{chips}。鼠标悬停在 token 上可看它的概率。"),
    "legend.the_model": ("the model", "模型"),
    "legend.writer": ("the model that wrote it", "写出它的模型"),
    "legend.unlikely": ("unlikely", "不太可能"),
    "legend.even": ("even", "一半一半"),
    "legend.certain": ("near certain", "几乎确定"),
    # a file that cannot be written
    "unwritable": ("{what} cannot be written in {where}: {why}. {advice}", "{what}无法写入 {where}：{why}。{advice}"),
    "unwritable.disk_full": ("the disk is full", "磁盘已满"),
    "unwritable.quota": ("the disk quota is used up", "磁盘配额已用完"),
    "unwritable.permission": ("permission denied", "没有权限"),
    "unwritable.read_only": ("the file system is read-only", "文件系统是只读的"),
    "unwritable.file_in_the_way": ("a file stands where a folder should be", "该放文件夹的地方有一个文件"),
    "unwritable.cache": ("The model cache", "模型缓存"),
    "unwritable.cache_advice": ("Free some space (the SmolLM2 cache takes about 540 MB) or set PLAYGROUND_CACHE_DIR "
                                "to a writable folder.",
                                "请腾出一些空间（SmolLM2 的缓存约占 540 MB），或把 PLAYGROUND_CACHE_DIR 设为一个可写的文件夹。"),
    # a slow panel's shipped result
    "reference": ("**Reference result**, measured on {cpu} ({threads} threads, {dtype}, torch {torch}) on {date} by "
                  "`{command}`.",
                  "**参考结果**，由 `{command}` 于 {date} 在 {cpu}（{threads} 个线程，{dtype}，torch {torch}）上测得。"),
    "reference.again": ("**Measure it here** runs it again on this machine.", "点 **在这里测量** 会在这台机器上重新运行。"),
    "reference.missing": ("No reference result at {path} ({error}); `{command}` makes it.",
                          "{path} 处没有参考结果（{error}）；`{command}` 会生成它。"),
    # the server
    "rate_limit": ("Too many requests: this server takes {per_minute} a minute from each visitor. Try again in "
                   "{wait:.0f} s.",
                   "请求太多了：这台服务器每位访客每分钟只接受 {per_minute} 个请求。请在 {wait:.0f} 秒后再试。"),
    "went_wrong": ("Something went wrong ({kind}: {error}). The server is still up.",
                   "出错了（{kind}：{error}）。服务器仍在运行。"),
})
