"""The words every tab shares: the model picker, the prompt, the chat template, the experiments' line."""

from playground.ui.i18n import Catalogue

COMMON = Catalogue("common", {
    "model": ("Model", "模型"),
    "model.info": (
        "The embedded SmolLM2 works offline. Type a Hugging Face Hub id (e.g. Qwen/Qwen2.5-0.5B-Instruct) where the "
        "network allows, or engine:<id> for a model an engine serves (PLAYGROUND_ENGINE_URL). Tiny models have "
        "random weights and exist for tests.",
        "内置的 SmolLM2 离线可用。在网络允许的地方可以输入 Hugging Face Hub id（例如 Qwen/Qwen2.5-0.5B-Instruct），"
        "或用 engine:<id> 表示推理引擎提供的模型（PLAYGROUND_ENGINE_URL）。微型模型的权重是随机的，只为测试而设。"),
    "needs_weights": (
        "This tab reads the model's weights in this process, and an engine sends back only tokens and their "
        "log-probabilities: its models run in the decoding and next-token tabs. Choose an in-process model here, "
        "such as the embedded SmolLM2.",
        "这个标签页要在本进程中读取模型的权重，而推理引擎只返回 token 及其对数概率：引擎的模型可以在解码和下一个 "
        "token 标签页中运行。这里请选择进程内的模型，例如内置的 SmolLM2。"),
    "prompt": ("Prompt", "提示词（Prompt）"),
    "layer": ("layer (0-based)", "层 layer（从 0 开始）"),
    "new_tokens": ("new tokens to generate", "要生成的新 token 数"),
    "compare": ("Compare", "比较"),
    "chat_template": ("Apply the chat template (chat models)", "套用对话模板（chat template，对话模型）"),
    "random_weights": ("⚠️ {label} has random weights.", "⚠️ {label} 的权重是随机的。"),
})
