"""The words around the tabs: the header, where the models run, and each tab's title."""

from playground.ui.i18n import Catalogue

APP = Catalogue("app", {
    "title": ("LLM Playground", "LLM Playground 大模型游乐场"),
    "header": (
        "# LLM Playground\nRun a real language model and watch how it works. Everything runs on this machine, on "
        "the embedded SmolLM2-135M-Instruct unless you pick another model.\n\n{runs_on}",
        "# LLM Playground 大模型游乐场\n运行一个真实的语言模型，看它如何工作。一切都在这台机器上运行；除非你选择别的模型，"
        "用的是内置的 SmolLM2-135M-Instruct。\n\n{runs_on}"),
    "runs_on": ("In-process models run on **{where}** in **{dtype}**.", "进程内的模型运行在 **{where}** 上，精度为 **{dtype}**。"),
    "runs_on_engine": ("In-process models run on **{where}** in **{dtype}**; models marked *served by the engine* come "
                       "from {url}.",
                       "进程内的模型运行在 **{where}** 上，精度为 **{dtype}**；标为 *由推理引擎提供* 的模型来自 {url} 。"),
    "tab.start": ("Start here", "从这里开始"),
    "tab.decoding": ("Decoding strategies", "解码策略"),
    "tab.next_token": ("Next-token distribution", "下一个 token 的分布"),
    "tab.attention": ("Attention", "注意力（Attention）"),
    "tab.peft_lab": ("PEFT lab", "PEFT 实验室"),
    "tab.internals": ("Inference internals", "推理内部"),
    "tab.architecture": ("Architecture: from BERT to Qwen", "架构：从 BERT 到 Qwen"),
})
