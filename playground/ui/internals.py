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
from playground.ui.components import headers, load_model, model_picker, on, panel_tabs, settings_from, table
from playground.ui.i18n.common import COMMON
from playground.ui.i18n.internals import INTERNALS
from playground.ui.opening import Opening, Reference, shown_by

PROMPT = "The capital of France is Paris, and the capital of Italy is"
CALC_COLUMNS = ["column.model", "column.layers", "column.attention", "head_dim", "column.kib", "column.cache",
                "column.naive", "column.naive_error"]
SHARING_COLUMNS = ["column.attention", "column.kv_heads", "column.bytes", "column.cache_mib"]


def show_kv_cache(measured):
    """The KV cache panel's outputs for one measurement, in the request's language."""
    loaded, settings, calc, result = measured
    per_token = result.per_token_bytes
    same = "kv.same" if result.same_output else "kv.different"
    text = INTERNALS.text(
        "kv.summary", model=loaded.label, new=settings.new_tokens, prompt=result.prompt_tokens,
        cached=result.cached.total, uncached=result.uncached.total, speedup=result.speedup,
        same=INTERNALS.text(same), text=visible(loaded.tokenizer.decode(result.cached.token_ids))[:80],
        per_token=per_token, kib=per_token / 1024, tokens=result.prompt_tokens + settings.new_tokens,
        formula=result.formula_bytes, real=result.real_bytes,
        equal=INTERNALS.text("kv.equal" if result.formula_bytes == result.real_bytes else "kv.not_equal"))
    element = DTYPE_BYTES[calc.dtype]
    sharing = [[r["attention"], r["KV heads"], r["bytes per token"], round(list(r.values())[-1], 2)]
               for r in head_sharing_rows(loaded.model.config, calc.context, element)]
    rows = [calculator_row(loaded.label, loaded.model.config, calc)]
    rows += [calculator_row(name, config, calc) for name, config in KV_REFERENCES.items()]
    table_rows = [[r["model"], r["layers"], r["attention"], r["head_dim"], round(r["KiB per token (full layers)"], 1),
                   round(r["cache (GiB)"], 3), round(r["naive formula (GiB)"], 3), f"{r['naive error']:+.0%}"]
                  for r in rows]
    payload = {"prompt_tokens": result.prompt_tokens, "new_tokens": settings.new_tokens,
               "ms_per_token_cached": [s * 1000 for s in result.cached.step_seconds],
               "ms_per_token_uncached": [s * 1000 for s in result.uncached.step_seconds],
               "speedup": result.speedup, "same_output": result.same_output, "bytes_per_token": per_token,
               "formula_bytes": result.formula_bytes, "real_bytes": result.real_bytes, "calculator": rows}
    return (text, plots.cache_timing_figure(result), table(INTERNALS, SHARING_COLUMNS, sharing),
            table(INTERNALS, CALC_COLUMNS, table_rows), payload)


@shown_by(show_kv_cache)
def kv_cache(model: str, prompt: str, new_tokens: int, context: int, batch: int, dtype: str,
             progress=gr.Progress()):
    """Greedy generation with the cache and without it (time per token, same text?), the cache's bytes from the
    formula and from the real tensors, MHA/GQA/MQA for this model's shape, and the calculator for well-known
    models (sliding windows counted)."""
    settings, calc = settings_from(KVSettings, locals()), settings_from(CalculatorSettings, locals())
    loaded = load_model(model, progress)
    return loaded, settings, calc, compare_cache(loaded, prompt, settings)


def build() -> list[Opening]:
    """The shared model and prompt above five sub-tabs; each panel opens on its result (the slow ones on a
    reference result measured by `make references`)."""
    gr.Markdown(INTERNALS("intro"))
    shared = {"model": model_picker(),
              "prompt": gr.Textbox(value=PROMPT, label=COMMON("prompt"), elem_id="internals-prompt")}
    return panel_tabs("internals-tabs", [
        (INTERNALS("tab.kv"), "kv", build_kv_cache), (INTERNALS("tab.paged"), "paged", internals_paged.build),
        (INTERNALS("tab.flash"), "flash", internals_flash.build),
        (INTERNALS("tab.roofline"), "roofline", internals_roofline.build),
        (INTERNALS("tab.speculative"), "speculative", internals_speculative.build),
    ], shared)


def build_kv_cache(shared: dict) -> Reference:
    gr.Markdown(INTERNALS("kv.intro"))
    s, calc = KVSettings(), CalculatorSettings()
    c = dict(shared)
    with gr.Row():
        c["new_tokens"] = gr.Slider(1, 256, value=s.new_tokens, step=1, label=COMMON("new_tokens"),
                                    elem_id="internals-kv-new-tokens")
        c["context"] = gr.Number(value=calc.context, precision=0, label=INTERNALS("kv.context"), minimum=1)
        c["batch"] = gr.Number(value=calc.batch, precision=0, label=INTERNALS("kv.batch"), minimum=1)
        c["dtype"] = gr.Dropdown(list(DTYPE_BYTES), value=calc.dtype, label=INTERNALS("kv.dtype"))
    run = gr.Button(INTERNALS("kv.run"), variant="primary", elem_id="internals-kv-run")
    summary = gr.Markdown(elem_id="internals-kv-summary")
    timing = gr.Plot(label=INTERNALS("kv.plot"), elem_id="internals-kv-plot")
    gr.Markdown(INTERNALS("kv.caption"))
    sharing = gr.Dataframe(headers=headers(INTERNALS, SHARING_COLUMNS), label=INTERNALS("kv.sharing"))
    calculator = gr.Dataframe(headers=headers(INTERNALS, CALC_COLUMNS), label=INTERNALS("kv.table"), wrap=True,
                              elem_id="internals-kv-table")
    gr.Markdown(INTERNALS("kv.window_note"))
    kv_json = gr.JSON(label=INTERNALS("tab.kv"), visible=False)
    outputs = [summary, timing, sharing, calculator, kv_json]
    on(run.click, kv_cache, c, outputs, api_name="kv_cache")
    return Reference("internals/kv_cache", reference.shipped("internals", "kv_cache"), kv_cache, c, outputs)
