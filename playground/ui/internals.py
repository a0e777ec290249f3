"""The internals tab: what happens inside `generate`, measured on the loaded model, in five panels: the KV cache
(here), PagedAttention, FlashAttention, the decode roofline and speculative decoding (one module each)."""

import gradio as gr

from playground.core import reference
from playground.core.published import KV_REFERENCES
from playground.core.visible import visible
from playground.internals import plots
from playground.internals.kv_cache import (
    DTYPE_BYTES,
    CalculatorSettings,
    KVSettings,
    calculator_row,
    compare_cache,
    head_sharing_rows,
)
from playground.ui import internals_flash, internals_paged, internals_roofline, internals_speculative
from playground.ui.components import load_model, model_picker, on, panel_tabs, settings_from
from playground.ui.opening import Opening, Reference

PROMPT = "The capital of France is Paris, and the capital of Italy is"

TAB_INTRO = """
## Inside `generate`, measured on the model you loaded
The KV cache, PagedAttention (the idea behind vLLM), FlashAttention's online softmax, why one token costs what it
costs, and speculative decoding, which spends that cost on several tokens at once: each panel runs on the model
chosen here, and every number in it is measured or read from the model, not typed in.
"""
INTRO = """
### The KV cache
Each new token's query attends to the keys and values of every token before it (the attention tab shows the
matrix growing one row per token). Those keys and values never change once computed, so `generate` keeps them:
the **KV cache**. With it, a step runs the model on one new token; without it, on the whole text again, so each
step costs more than the last. The cache's price is memory: 2 (a key and a value) × layers × KV heads × head_dim ×
bytes per element, for every token. Grouped-query attention ([Ainslie et al.](https://arxiv.org/abs/2305.13245))
shrinks it by letting query heads share KV heads; sliding-window layers keep only their window. Every number here
is measured on, or read from, the model.
"""
CALC_COLUMNS = ["model", "layers", "attention", "head_dim", "KiB per token (full layers)", "cache (GiB)",
                "naive formula (GiB)", "naive error"]
SHARING_COLUMNS = ["attention", "KV heads", "bytes per token", "cache (MiB)"]


def kv_cache(model: str, prompt: str, new_tokens: int, context: int, batch: int, dtype: str,
             progress=gr.Progress()):
    """Greedy generation with the cache and without it (time per token, same text?), the cache's bytes from the
    formula and from the real tensors, MHA/GQA/MQA for this model's shape, and the calculator for well-known
    models (sliding windows counted)."""
    settings, calc = settings_from(KVSettings, locals()), settings_from(CalculatorSettings, locals())
    loaded = load_model(model, progress)
    result = compare_cache(loaded, prompt, settings)
    per_token = result.per_token_bytes
    text = (f"**{loaded.label}**: {settings.new_tokens} new tokens after a {result.prompt_tokens}-token prompt took "
            f"{result.cached.total:.2f} s with the cache and {result.uncached.total:.2f} s without "
            f"(**{result.speedup:.1f}×**); the greedy text is {'the same' if result.same_output else '**different**'}"
            f" ({visible(loaded.tokenizer.decode(result.cached.token_ids))[:80]}…).\n\n"
            f"**The ledger:** {per_token:,} bytes per token ({per_token / 1024:g} KiB); for the "
            f"{result.prompt_tokens + settings.new_tokens} tokens the formula gives {result.formula_bytes:,} bytes, "
            f"and the real cache tensors (`cache.layers[i].keys` and `.values`) hold {result.real_bytes:,}: "
            f"{'exactly equal' if result.formula_bytes == result.real_bytes else '**not equal**'}.")
    element = DTYPE_BYTES[calc.dtype]
    sharing = [[r["attention"], r["KV heads"], r["bytes per token"], round(list(r.values())[-1], 2)]
               for r in head_sharing_rows(loaded.model.config, calc.context, element)]
    rows = [calculator_row(loaded.label, loaded.model.config, calc)]
    rows += [calculator_row(name, config, calc) for name, config in KV_REFERENCES.items()]
    table = [[r["model"], r["layers"], r["attention"], r["head_dim"], round(r["KiB per token (full layers)"], 1),
              round(r["cache (GiB)"], 3), round(r["naive formula (GiB)"], 3), f"{r['naive error']:+.0%}"]
             for r in rows]
    payload = {"prompt_tokens": result.prompt_tokens, "new_tokens": settings.new_tokens,
               "ms_per_token_cached": [s * 1000 for s in result.cached.step_seconds],
               "ms_per_token_uncached": [s * 1000 for s in result.uncached.step_seconds],
               "speedup": result.speedup, "same_output": result.same_output, "bytes_per_token": per_token,
               "formula_bytes": result.formula_bytes, "real_bytes": result.real_bytes, "calculator": rows}
    return text, plots.cache_timing_figure(result), sharing, table, payload


def build() -> list[Opening]:
    """The shared model and prompt above five sub-tabs; each panel opens on its result (the slow ones on a
    reference result measured by `make references`)."""
    gr.Markdown(TAB_INTRO)
    shared = {"model": model_picker(),
              "prompt": gr.Textbox(value=PROMPT, label="Prompt", elem_id="internals-prompt")}
    return panel_tabs("internals-tabs", [
        ("KV cache", "kv", build_kv_cache), ("PagedAttention", "paged", internals_paged.build),
        ("FlashAttention", "flash", internals_flash.build), ("Decode roofline", "roofline", internals_roofline.build),
        ("Speculative decoding", "speculative", internals_speculative.build),
    ], shared)


def build_kv_cache(shared: dict) -> Reference:
    gr.Markdown(INTRO)
    s, calc = KVSettings(), CalculatorSettings()
    c = dict(shared)
    with gr.Row():
        c["new_tokens"] = gr.Slider(1, 256, value=s.new_tokens, step=1, label="new tokens to generate",
                                    elem_id="internals-kv-new-tokens")
        c["context"] = gr.Number(value=calc.context, precision=0, label="calculator: context (tokens)", minimum=1)
        c["batch"] = gr.Number(value=calc.batch, precision=0, label="calculator: batch", minimum=1)
        c["dtype"] = gr.Dropdown(list(DTYPE_BYTES), value=calc.dtype, label="calculator: dtype")
    run = gr.Button("Measure it here: generate with and without the cache", variant="primary",
                    elem_id="internals-kv-run")
    summary = gr.Markdown(elem_id="internals-kv-summary")
    timing = gr.Plot(label="Time per new token", elem_id="internals-kv-plot")
    gr.Markdown("Without the cache each step runs the model over the whole text so far, so its time grows with the "
                "position; with it, each step reads the cached keys and values and computes one new row. The first "
                "token costs more either way: it also reads the whole prompt (the prefill).")
    sharing = gr.Dataframe(headers=SHARING_COLUMNS, label="This model's cache at the calculator's context, as "
                           "MHA, as it is, and as MQA")
    table = gr.Dataframe(headers=CALC_COLUMNS, label="The calculator: this model and published configs (built "
                         "without weights)", wrap=True, elem_id="internals-kv-table")
    gr.Markdown("Sliding-window layers keep only the last window − 1 tokens (the current token is the window's "
                "last): a formula that counts every layer at the full context overstates Gemma-2's cache, whose "
                "layers alternate sliding and full. Tests hold the calculator to the real cache of small models "
                "built with and without a window.")
    kv_json = gr.JSON(label="KV cache", visible=False)
    outputs = [summary, timing, sharing, table, kv_json]
    on(run.click, kv_cache, c, outputs, api_name="kv_cache")
    return Reference("internals/kv_cache", reference.shipped("internals", "kv_cache"), kv_cache, c, outputs)
