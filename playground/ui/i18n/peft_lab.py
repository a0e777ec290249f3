"""The PEFT lab's words: training one method, comparing every method, base and adapted side by side, and saving
and loading adapters. The methods' names are the study note's own terms and stay as they are."""

from playground.ui.i18n import Catalogue

PEFT = Catalogue("ui.peft_lab", {
    "intro": (
        "## Prompt tuning vs prefix tuning vs adapters vs LoRA, measured here\n"
        "Parameter-efficient fine-tuning trains a few new parameters and leaves the model's own weights alone. "
        "*Where* the new parameters sit is what tells the methods apart: [prompt tuning]"
        "(https://arxiv.org/abs/2104.08691) learns virtual token embeddings at the input; [prefix tuning]"
        "(https://arxiv.org/abs/2101.00190) learns keys and values that every layer attends to; [P-tuning]"
        "(https://arxiv.org/abs/2103.10385) learns a small network that makes the virtual tokens; [LoRA]"
        "(https://arxiv.org/abs/2106.09685) adds a low-rank update beside chosen weights; [IA3]"
        "(https://arxiv.org/abs/2205.05638) rescales activations; [LLaMA-Adapter](https://arxiv.org/abs/2303.16199) "
        "mixes learned prompts into the top layers through a gate; a [bottleneck adapter]"
        "(https://arxiv.org/abs/1902.00751) puts small modules inside each block. Full fine-tuning trains "
        "everything: the baseline.\n\n"
        "Everything runs on the embedded SmolLM2-135M through [peft](https://huggingface.co/docs/peft) (the "
        "bottleneck adapter is written here: peft has none), on a private copy of the model: what you train never "
        "touches the model other tabs and people use, and only your session sees your adapter. One training job "
        "runs at a time; the queue shows your place. The loss counts the completion's tokens only.",
        "## Prompt tuning vs prefix tuning vs adapter vs LoRA，在这里实测\n"
        "参数高效微调（PEFT）只训练少量新参数，不动模型自己的权重。区分这些方法的是新参数放在*哪里*："
        "[prompt tuning（提示微调）](https://arxiv.org/abs/2104.08691) 在输入处学习虚拟 token 嵌入；"
        "[prefix tuning（前缀微调）](https://arxiv.org/abs/2101.00190) 学习每一层都会关注的键和值；"
        "[P-tuning](https://arxiv.org/abs/2103.10385) 学习一个生成虚拟 token 的小网络；"
        "[LoRA](https://arxiv.org/abs/2106.09685) 在选定的权重旁加一个低秩更新；"
        "[IA3](https://arxiv.org/abs/2205.05638) 缩放激活；[LLaMA-Adapter](https://arxiv.org/abs/2303.16199) "
        "通过门控把学到的提示混入顶部几层；[瓶颈适配器（bottleneck adapter）](https://arxiv.org/abs/1902.00751) "
        "在每个块里放入小模块。全参数微调（full fine-tuning）训练一切：它是基线。\n\n"
        "一切都通过 [peft](https://huggingface.co/docs/peft) 在内置的 SmolLM2-135M 上运行（瓶颈适配器是这里手写的："
        "peft 没有它），并且在模型的私有副本上：你训练的东西绝不会碰到其他标签页和其他人用的模型，也只有你的会话能看到"
        "你的适配器。同一时间只运行一个训练任务；队列会显示你的位置。损失只计算补全部分（completion）的 token。"),
    "tab.train": ("Train", "训练"),
    "tab.methods": ("Compare methods", "比较各方法"),
    "tab.side_by_side": ("Side by side", "并排对比"),
    "tab.save_load": ("Save and load", "保存与加载"),
    # train one method
    "data_note": (
        "Built-in tasks: **city_json** copies the city out of a sentence into `{\"city\": ...}` (held-out cities "
        "never appear in training); **sentiment_label** labels a review POS or NEG (held-out reviews use unseen "
        "phrasings). Or upload JSONL/CSV with `prompt` and `completion` columns; the last tenth is held out.",
        "内置任务：**city_json** 把句子里的城市抄进 `{\"city\": ...}`（留出集的城市从未在训练中出现）；"
        "**sentiment_label** 给评论标上 POS 或 NEG（留出集的评论用的是没见过的说法）。或者上传带 `prompt` 和 "
        "`completion` 两列的 JSONL/CSV；最后十分之一留出。"),
    "method_info": (
        "**{method}.** {where}\n\n**{trainable:,} trainable parameters**, {share:.4%} of {model}'s {base:,} (the "
        "formula gives {formula:,}). Default learning rate {rate:g}.",
        "**{method}。** {where}\n\n**{trainable:,} 个可训练参数**，占 {model} 的 {base:,} 个参数的 {share:.4%}"
        "（公式给出 {formula:,}）。默认学习率 {rate:g}。"),
    "where_title": ("Where {method}'s trainable parameters live", "{method} 的可训练参数在哪里"),
    "progress": ("step {done}/{steps} · {rate:.2f} steps/s · about {left:.0f} s left",
                 "第 {done}/{steps} 步 · {rate:.2f} 步/秒 · 约剩 {left:.0f} 秒"),
    "training": ("Training {label}: step {done} of {steps}…", "正在训练 {label}：第 {done} 步，共 {steps} 步…"),
    "run_label": ("{method} on {task}", "{method}，任务 {task}"),
    "scoring": ("Scoring held-out exact match", "正在给留出集的精确匹配打分"),
    "stopped": (" Stopped early: {why}.", " 提前停止：{why}。"),
    "trained": (
        "**{method}** on {task}: {steps} steps in {seconds:.0f} s ({per_step:.2f} s/step), {trainable:,} trainable "
        "parameters.{stopped} Held-out exact match: base {base:.0%}, adapted **{adapted:.0%}**. Compare them side by "
        "side below (adapter: this session's last).",
        "**{method}**，任务 {task}：{steps} 步用了 {seconds:.0f} 秒（{per_step:.2f} 秒/步），{trainable:,} 个可训练"
        "参数。{stopped}留出集精确匹配：基座 {base:.0%}，适配后 **{adapted:.0%}**。在“并排对比”里比较它们（适配器："
        "这个会话最近的一个）。"),
    "stopping": ("Stopping after the current step…", "当前这一步结束后停止…"),
    "run_name": ("run {run} {method}", "第 {run} 次运行 {method}"),
    "runs_title": ("Runs compared", "各次运行对比"),
    "method": ("Method", "方法"),
    "task": ("Built-in task", "内置任务"),
    "data_file": ("…or your JSONL/CSV", "……或者你的 JSONL/CSV"),
    "steps": ("steps", "步数 steps"),
    "learning_rate": ("learning rate (0: the method's default)", "学习率（0：用方法的默认值）"),
    "batch_size": ("batch size", "批大小 batch size"),
    "eval_every": ("held-out loss every", "每隔多少步算一次留出集损失"),
    "settings": ("Method settings", "方法设置"),
    "n_virtual": ("virtual tokens (prompt, prefix, P-tuning)", "虚拟 token 数（prompt、prefix、P-tuning）"),
    "init_text": ("prompt tuning: start from this text's embeddings (empty: random)",
                  "prompt tuning：从这段文本的嵌入开始（空：随机）"),
    "encoder_hidden": ("P-tuning encoder width", "P-tuning 编码器的宽度"),
    "lora_r": ("LoRA r", "LoRA 的秩 r"),
    "lora_alpha": ("LoRA alpha", "LoRA 的缩放 alpha"),
    "lora_dropout": ("LoRA dropout", "LoRA 的 dropout"),
    "lora_targets": ("LoRA targets (comma-separated: {modules})", "LoRA 目标模块（逗号分隔：{modules}）"),
    "adapter_len": ("LLaMA-Adapter prompt length", "LLaMA-Adapter 提示长度"),
    "adapter_layers": ("LLaMA-Adapter layers", "LLaMA-Adapter 层数"),
    "bottleneck_size": ("bottleneck width", "瓶颈宽度"),
    "cancel": ("Cancel", "取消"),
    "pick": ("Pick a method (or change its settings) to see where its trainable parameters live and how many there "
             "are.",
             "选一个方法（或改它的设置），看它的可训练参数在哪里、有多少。"),
    "where": ("Where the trainable parameters live", "可训练参数在哪里"),
    "loss": ("Loss: train (solid) and held-out (dashed)", "损失：训练（实线）与留出集（虚线）"),
    "run": ("Run", "运行"),
    "history": ("This session's runs (newest last)", "这个会话的各次运行（最新的在最后）"),
    "runs_to_plot": ("Runs to plot together (none chosen: the last two)", "要一起画的运行（不选：最后两次）"),
    "overlay": ("Plot these runs' curves together", "把这些运行的曲线画在一起"),
    # every method
    "methods_intro": (
        "### Every method, the same data, steps and seed\n"
        "Each row is measured: trainable parameters and their share of the model, seconds per step, peak memory, "
        "final losses, held-out exact match for base and adapted, the adapter's size on disk, and generation latency "
        "against the base. Each method trains at its own default learning rate and settings. `make bench` prints "
        "the same table.",
        "### 每个方法，同样的数据、步数和种子\n"
        "每一行都是实测的：可训练参数及其占模型的比例、每步秒数、内存峰值、最终损失、基座与适配后在留出集上的精确匹配、"
        "适配器在磁盘上的大小，以及相对基座的生成延迟。每个方法用它自己的默认学习率和设置训练。`make bench` 会打印同一张表。"),
    "no_method": ("No method finished.", "没有方法跑完。"),
    "methods_summary": (
        "**{count} methods on {task}, {steps} steps each.** Best held-out exact match: **{best}**, {best_em:.0%} "
        "(the base scores {base:.0%}). The fewest trainable parameters: {fewest}, {fewest_count:,} ({share:.4%} of "
        "the model), reaching {fewest_em:.0%}.",
        "**{count} 个方法，任务 {task}，每个 {steps} 步。** 留出集精确匹配最好的：**{best}**，{best_em:.0%}（基座为 "
        "{base:.0%}）。可训练参数最少的：{fewest}，{fewest_count:,} 个（占模型的 {share:.4%}），达到 {fewest_em:.0%}。"),
    "smallest": (" The smallest method to get at least half right: **{method}** with {count:,} parameters.",
                 "至少答对一半的方法里最小的：**{method}**，{count:,} 个参数。"),
    "training_method": ("Training {method}", "正在训练 {method}"),
    "methods_unit": ("methods", "个方法"),
    "trained_count": ("Trained {done} of {count} methods…", "已训练 {done}/{count} 个方法…"),
    "every_loss": ("Every method's loss", "每个方法的损失"),
    "fill": ("Measure it here: train all methods and fill the table", "在这里测量：训练所有方法并填表"),
    "export": ("Export this session's runs (JSON)", "导出这个会话的各次运行（JSON）"),
    "comparison": ("Comparison", "比较"),
    "methods_loss": ("Loss: train (solid) and held-out (dashed), every method", "损失：训练（实线）与留出集（虚线），每个方法"),
    "table_csv": ("Table (CSV)", "表格（CSV）"),
    "runs_json": ("Runs (JSON)", "各次运行（JSON）"),
    # side by side
    "compare_intro": (
        "### Base and adapted, side by side\n"
        "The same prompt through both, greedy (coloured by each model's own probability) and sampled. Prompt and "
        "prefix tuning decode with their own forward pass, as training ran it (see the README: `generate` diverges "
        "for them in this stack).",
        "### 基座与适配后，并排对比\n"
        "同一个提示词分别经过两者，贪心（按各模型自己给出的概率着色）和采样。Prompt tuning 和 prefix tuning 用它们"
        "自己的前向传播解码，和训练时一样（见 README：在这套环境里 `generate` 对它们的结果会偏离）。"),
    "session_adapter": ("this session's last adapter (trained or uploaded)", "这个会话最近的适配器（训练或上传的）"),
    "no_session_adapter": ("This session has no adapter yet: train one above, upload one, or choose a shipped adapter.",
                           "这个会话还没有适配器：请在上面训练一个、上传一个，或选一个自带的适配器。"),
    "other_model": ("This session's adapter was made for {model}; choose that model to compare it.",
                    "这个会话的适配器是为 {model} 做的；请选那个模型来比较。"),
    "adapter_choice": ("adapter must be '{session}' (this session's) or a shipped one: {shipped} (got {value}).",
                       "adapter 必须是 '{session}'（这个会话的）或自带的之一：{shipped}（收到的是 {value}）。"),
    "card.base": ("Base: {model}", "基座：{model}"),
    "card.adapted": ("Adapted: {model}", "适配后：{model}"),
    "card.under": ("p={p:.3f} under {what}", "{what}给出的 p={p:.3f}"),
    "card.the_base": ("the base", "基座模型"),
    "card.the_adapted": ("the adapted model", "适配后的模型"),
    "card.sampled": ("sampled:", "采样："),
    "adapter": ("Adapter", "适配器"),
    "new_tokens": ("new tokens", "新 token 数"),
    "temperature": ("temperature (sampled)", "温度 temperature（采样）"),
    "top_p": ("top-p (sampled)", "top-p（采样）"),
    "sample_seed": ("sampling seed", "采样种子"),
    "lora_scale": ("LoRA scale (0 = base, 1 = as trained)", "LoRA 缩放（0 = 基座，1 = 训练时的样子）"),
    "change": ("Per token: probability under each model, and their KL", "逐个 token：在两个模型下的概率，以及它们的 KL"),
    # save and load
    "save_intro": (
        "### Save and load\n"
        "Adapters are saved with peft's `save_pretrained` (safetensors). An upload is checked first: safetensors "
        "only (a pickle `.bin` is refused), a config type this lab knows, and a match with the base model.",
        "### 保存与加载\n"
        "适配器用 peft 的 `save_pretrained` 保存（safetensors）。上传的文件会先检查：只接受 safetensors（pickle 的 "
        "`.bin` 会被拒绝）、这个实验室认识的配置类型，以及与基座模型匹配。"),
    "no_upload": ("Choose an adapter .zip to upload.", "请选择一个要上传的适配器 .zip。"),
    "uploaded": ("Loaded a {method} adapter; compare it as “{session}”.", "已加载一个 {method} 适配器；请选“{session}”来比较它。"),
    "uploaded_label": ("uploaded ({name})", "上传的（{name}）"),
    "no_download": ("This session has no adapter to download yet: train one first.",
                    "这个会话还没有可下载的适配器：请先训练一个。"),
    "download": ("Download this session's adapter (.zip)", "下载这个会话的适配器（.zip）"),
    "upload_file": ("Upload an adapter .zip", "上传一个适配器 .zip"),
    "upload": ("Load the uploaded adapter", "加载上传的适配器"),
})
