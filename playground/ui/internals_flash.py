"""The internals tab's FlashAttention panel: one real attention row through the online softmax, tile by tile, and
naive vs tiled vs SDPA attention measured as the sequence grows."""

import gradio as gr

from playground.internals import plots
from playground.internals.flash_lab import MAX_FLASH_LENGTH, FlashSettings, walk_real_row
from playground.internals.words import WORDS
from playground.ui.components import headers, load_model, settings_from, table
from playground.ui.i18n.common import COMMON
from playground.ui.i18n.internals import INTERNALS
from playground.ui.opening import Opening, panel, shown_by

STEP_COLUMNS = ["flash.key_range", "flash.tile_max", "flash.running_max", "flash.rescale_column", "flash.sum",
                "flash.output"]  # the walk's words, as its figure says them
SWEEP_COLUMNS = ["N", "column.naive_peak", "column.tiled_peak", "column.sdpa_peak", "column.naive_ms",
                 "column.tiled_ms", "column.sdpa_ms"]


def show_flash(measured: tuple):
    """The walk's summary, figures and tables, in the request's language; `measured` is the model's label, the
    settings and the walk."""
    label, settings, result = measured
    steps = [[f"{s.keys[0]}–{s.keys[1] - 1}", round(s.tile_max, 4), round(s.running_max, 4), round(s.rescale, 4),
              round(s.running_sum, 4), round(s.output_norm, 4)] for s in result.steps]
    sweep = [[p.length] + [round(p.peak_bytes[w] / 1e6, 2) for w in ("naive", "tiled", "sdpa")]
             + [round(p.seconds[w] * 1000, 2) for w in ("naive", "tiled", "sdpa")] for p in result.sweep]
    last = result.sweep[-1]
    ratio = last.peak_bytes["naive"] / max(last.peak_bytes["tiled"], 1)
    text = INTERNALS.text(
        "flash.summary", model=label, layer=settings.layer, head=settings.head, token=result.tokens[-1],
        keys=len(result.tokens), tile=settings.key_tile, row_error=result.row_error, q_tile=settings.q_tile,
        k_tile=settings.k_tile, causal=result.tiled_error["causal"], full=result.tiled_error["full"],
        length=last.length, ratio=ratio)
    payload = {"layer": result.layer, "head": result.head, "tokens": result.tokens, "row_error": result.row_error,
               "tiled_error": result.tiled_error,
               "steps": [vars(s) for s in result.steps],
               "sweep": [vars(p) for p in result.sweep], "naive_over_tiled_peak": ratio}
    return (text, plots.online_softmax_figure(result), table(WORDS, STEP_COLUMNS, steps),
            plots.attention_sweep_figure(result), table(INTERNALS, SWEEP_COLUMNS, sweep), payload)


@shown_by(show_flash)
def flash_attention(model: str, prompt: str, layer: int, head: int, key_tile: int, q_tile: int, k_tile: int,
                    max_length: int, progress=gr.Progress()):
    """The last token's attention row in one head, walked a tile of keys at a time; the tiled forward against
    SDPA on the layer's real q/k/v; peak memory and time of naive, tiled and SDPA attention as N doubles."""
    settings = settings_from(FlashSettings, locals())
    loaded = load_model(model, progress)
    progress(0.3, desc=INTERNALS.text("flash.walking"))
    return loaded.label, settings, walk_real_row(loaded, prompt, settings)


def build(shared: dict) -> Opening:
    gr.Markdown(INTERNALS("flash.intro"))
    s = FlashSettings()
    c = dict(shared)
    with gr.Row():
        c["layer"] = gr.Number(value=s.layer, precision=0, label=COMMON("layer"), minimum=0)
        c["head"] = gr.Number(value=s.head, precision=0, label=INTERNALS("flash.head"), minimum=0)
        c["key_tile"] = gr.Number(value=s.key_tile, precision=0, label=INTERNALS("flash.key_tile"), minimum=1)
        c["q_tile"] = gr.Number(value=s.q_tile, precision=0, label=INTERNALS("flash.q_tile"), minimum=1)
        c["k_tile"] = gr.Number(value=s.k_tile, precision=0, label=INTERNALS("flash.k_tile"), minimum=1)
        c["max_length"] = gr.Slider(128, MAX_FLASH_LENGTH, value=s.max_length, step=128,
                                    label=INTERNALS("flash.max_length"))
    run = gr.Button(INTERNALS("flash.run"), variant="primary", elem_id="internals-flash-run")
    summary = gr.Markdown(elem_id="internals-flash-summary")
    walk = gr.Plot(label=INTERNALS("flash.walk"), elem_id="internals-flash-walk")
    steps = gr.Dataframe(headers=headers(WORDS, STEP_COLUMNS), label=INTERNALS("flash.steps"))
    memory = gr.Plot(label=INTERNALS("flash.sweep"), elem_id="internals-flash-sweep")
    sweep = gr.Dataframe(headers=headers(INTERNALS, SWEEP_COLUMNS), label=INTERNALS("flash.measured"))
    flash_json = gr.JSON(label=INTERNALS("tab.flash"), visible=False)
    outputs = [summary, walk, steps, memory, sweep, flash_json]
    return panel("internals/flash", run.click, flash_attention, c, outputs, api_name="flash_attention")
