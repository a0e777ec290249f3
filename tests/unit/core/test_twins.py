"""Twins: another attention implementation over the shared model's very tensors, the shared model untouched."""

import torch

from playground.core.prompts import build_prompt
from playground.core.twins import eager_twin, twin


def test_the_twin_shares_every_tensor_and_leaves_the_shared_model_alone(tiny):
    twin = eager_twin(tiny.model)
    assert twin is eager_twin(tiny.model)  # built once
    assert twin.config._attn_implementation == "eager"
    assert tiny.model.config._attn_implementation != "eager"
    shared, own = tiny.model.state_dict(), twin.state_dict()
    assert own.keys() == shared.keys()
    assert all(own[name].data_ptr() == shared[name].data_ptr() for name in shared)
    assert not any(p.requires_grad for p in twin.parameters())


def test_the_twin_computes_what_the_shared_model_computes(smollm2):
    ids = torch.tensor([build_prompt(smollm2.tokenizer, "The capital of France is", False).input_ids])
    with torch.inference_mode():
        shared = smollm2.model(ids).logits
        twin = eager_twin(smollm2.model)(ids, output_attentions=True)
    assert torch.allclose(shared, twin.logits, atol=1e-4)
    assert len(twin.attentions) == 30 and twin.attentions[0].shape == (1, 9, ids.shape[1], ids.shape[1])


def test_each_implementation_gets_its_own_twin(tiny):
    paged = twin(tiny.model, "paged|eager")
    assert paged is not eager_twin(tiny.model) and paged is twin(tiny.model, "paged|eager")
    assert paged.config._attn_implementation == "paged|eager"
    assert paged.generation_config is tiny.model.generation_config


def test_caught_inputs_catch_only_this_threads_pass(tiny):
    """Two requests through the shared twin at once: each catches its own mask, never the other's."""
    from concurrent.futures import ThreadPoolExecutor

    from playground.core.twins import caught_inputs

    model = eager_twin(tiny.model)
    layer = next(m for name, m in model.named_modules() if name.endswith("layers.0.self_attn")
                 or name.endswith("h.0.attn"))

    def catch(length: int) -> int:
        with caught_inputs(layer) as caught, torch.inference_mode():
            for _ in range(5):
                model(torch.arange(1, length + 1)[None])
        return caught["args"][0].shape[1] if caught.get("args") else caught["kwargs"]["hidden_states"].shape[1]

    with ThreadPoolExecutor(4) as pool:
        lengths = list(pool.map(catch, [3, 7, 4, 9] * 4))
    assert lengths == [3, 7, 4, 9] * 4
