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
    "layer": ("layer (0-based)", "层 layer（从 0 开始）"),
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
    "lens.json": ("Logit lens", "Logit lens（逐层解读）"),
    "preset.fact": ("A fact: where does Paris form?", "一个事实：Paris 在哪里形成？"),
    "preset.pattern": ("A pattern: counting forms by the middle", "一个模式：数数在中间层就形成了"),
})
