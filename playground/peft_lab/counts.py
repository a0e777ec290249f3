"""Each method's trainable-parameter count from its formula, read off the model's config: what a learner can
work out on paper, held by a test to what peft (and the model) really count."""

from peft.utils import (
    TRANSFORMERS_MODELS_TO_IA3_FEEDFORWARD_MODULES_MAPPING as IA3_FEEDFORWARD,
    TRANSFORMERS_MODELS_TO_IA3_TARGET_MODULES_MAPPING as IA3_TARGETS,
)

from playground.peft_lab.methods import MethodSettings


def _dims(config) -> dict[str, int]:
    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    return dict(d=config.hidden_size, layers=config.num_hidden_layers, heads=heads, head_dim=head_dim,
                kv=getattr(config, "num_key_value_heads", None) or heads, inter=config.intermediate_size,
                vocab=config.vocab_size)


def _linear_shapes(x: dict[str, int]) -> dict[str, tuple[int, int]]:
    """(in, out) of each linear layer of a Llama-family block."""
    d, q, kv, inter = x["d"], x["heads"] * x["head_dim"], x["kv"] * x["head_dim"], x["inter"]
    return {"q_proj": (d, q), "k_proj": (d, kv), "v_proj": (d, kv), "o_proj": (q, d), "gate_proj": (d, inter),
            "up_proj": (d, inter), "down_proj": (inter, d)}


def expected_trainable(method: str, s: MethodSettings, config) -> int:
    x = _dims(config)
    shapes = _linear_shapes(x)
    d, layers, n = x["d"], x["layers"], s.n_virtual
    if method == "lora":  # A is r × in, B is out × r
        return layers * sum(s.lora_r * (shapes[t][0] + shapes[t][1]) for t in s.targets)
    if method == "ia3":  # a vector over each target's outputs; over its inputs for a feed-forward module (peft's
        # default targets for the architecture: Llama k_proj, v_proj and down_proj; Qwen2 q_proj instead of k_proj)
        kind = config.model_type
        return layers * sum(shapes[t][0] if t in IA3_FEEDFORWARD[kind] else shapes[t][1] for t in IA3_TARGETS[kind])
    if method == "prompt_tuning":  # one embedding per virtual token
        return n * d
    if method == "prefix_tuning":  # a key and a value per virtual token, layer and KV head
        return n * layers * 2 * x["kv"] * x["head_dim"]
    if method == "p_tuning":  # the virtual token embeddings, then an MLP d → h → h → d, with biases
        h = s.encoder_hidden
        return n * d + (d * h + h) + (h * h + h) + (h * d + d)
    if method == "llama_adapter":  # an adaption prompt and one gate per adapted layer
        return s.adapter_layers * (s.adapter_len * d + 1)
    if method == "bottleneck":  # two adapters per block, each d → b → d with biases
        b = s.bottleneck_size
        return layers * 2 * (d * b + b + b * d + d)
    if method == "full":
        return full_count(config)
    raise ValueError(method)


def full_count(config) -> int:
    """Every parameter of a Llama-family model: embeddings (tied to the output unless not), per block the
    attention and MLP projections and two RMSNorms, and the final norm."""
    x = _dims(config)
    block = sum(i * o for i, o in _linear_shapes(x).values()) + 2 * x["d"]
    if getattr(config, "attention_bias", config.model_type == "qwen2"):  # Qwen2 always has q, k, v biases
        block += sum(o for name, (_, o) in _linear_shapes(x).items() if name in ("q_proj", "k_proj", "v_proj"))
    embeddings = x["vocab"] * x["d"] * (1 if config.tie_word_embeddings else 2)
    return embeddings + x["layers"] * block + x["d"]
