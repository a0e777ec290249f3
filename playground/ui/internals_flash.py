"""The internals tab's FlashAttention panel: one real attention row through the online softmax, tile by tile, and
naive vs tiled vs SDPA attention measured as the sequence grows."""

import gradio as gr

from playground.internals import plots
from playground.internals.flash_lab import MAX_FLASH_LENGTH, FlashSettings, walk_real_row
from playground.ui.components import load_model, settings_from
from playground.ui.opening import Opening, panel

INTRO = """
### FlashAttention: exact attention without the N × N matrix
Attention's softmax needs each row's maximum and sum over *all* keys before any weight is known, so naive
attention builds the whole N × N score matrix. The **online softmax**
([Milakov & Gimelshein](https://arxiv.org/abs/1805.02867)) takes keys a tile at a time and keeps a running max
m and sum l: when a tile brings a bigger max, the sum and the partial output so far are multiplied by
exp(m_old − m_new), and the result is exact. **FlashAttention** ([Dao et al.](https://arxiv.org/abs/2205.14135))
tiles queries and keys this way, so only one small block of scores ever exists. Here it runs in plain torch on this
model's real queries, keys and values (caught as the layer's attention receives them, after RoPE).
"""
STEP_COLUMNS = ["keys", "tile max", "running max m", "earlier sums × exp(m_old − m_new)", "running sum l",
                "|output| so far"]
SWEEP_COLUMNS = ["N", "naive peak (MB)", "tiled peak (MB)", "SDPA peak (MB)", "naive (ms)", "tiled (ms)", "SDPA (ms)"]


def flash_attention(model: str, prompt: str, layer: int, head: int, key_tile: int, q_tile: int, k_tile: int,
                    max_length: int, progress=gr.Progress()):
    """The last token's attention row in one head, walked a tile of keys at a time; the tiled forward against
    SDPA on the layer's real q/k/v; peak memory and time of naive, tiled and SDPA attention as N doubles."""
    settings = settings_from(FlashSettings, locals())
    loaded = load_model(model, progress)
    progress(0.3, desc="Walking the row and measuring the sweep")
    result = walk_real_row(loaded, prompt, settings)
    steps = [[f"{s.keys[0]}–{s.keys[1] - 1}", round(s.tile_max, 4), round(s.running_max, 4), round(s.rescale, 4),
              round(s.running_sum, 4), round(s.output_norm, 4)] for s in result.steps]
    sweep = [[p.length] + [round(p.peak_bytes[w] / 1e6, 2) for w in ("naive", "tiled", "sdpa")]
             + [round(p.seconds[w] * 1000, 2) for w in ("naive", "tiled", "sdpa")] for p in result.sweep]
    last = result.sweep[-1]
    ratio = last.peak_bytes["naive"] / max(last.peak_bytes["tiled"], 1)
    text = (f"**{loaded.label}**, layer {settings.layer}, head {settings.head}, the row of the last token "
            f"(`{result.tokens[-1]}`) over {len(result.tokens)} keys in tiles of {settings.key_tile}: the online "
            f"softmax ends **{result.row_error:.1e}** from softmax(q·Kᵀ/√d)·V. The tiled forward "
            f"({settings.q_tile} queries × {settings.k_tile} keys) on this layer's real q/k/v is off SDPA by "
            f"{result.tiled_error['causal']:.1e} (causal) and {result.tiled_error['full']:.1e} (no mask).\n\n"
            f"At N = {last.length}, naive attention held **{ratio:.0f}×** the tiled forward's peak memory. The tiled "
            f"forward is a Python loop over tiles, so on this CPU it is no faster than naive and far slower than "
            f"SDPA's fused kernel: what it proves is the memory and the exactness, not speed.")
    payload = {"layer": result.layer, "head": result.head, "tokens": result.tokens, "row_error": result.row_error,
               "tiled_error": result.tiled_error,
               "steps": [vars(s) for s in result.steps],
               "sweep": [vars(p) for p in result.sweep], "naive_over_tiled_peak": ratio}
    return text, plots.online_softmax_figure(result), steps, plots.attention_sweep_figure(result), sweep, payload


def build(shared: dict) -> Opening:
    gr.Markdown(INTRO)
    s = FlashSettings()
    c = dict(shared)
    with gr.Row():
        c["layer"] = gr.Number(value=s.layer, precision=0, label="layer", minimum=0)
        c["head"] = gr.Number(value=s.head, precision=0, label="head", minimum=0)
        c["key_tile"] = gr.Number(value=s.key_tile, precision=0, label="keys per tile (the walk)", minimum=1)
        c["q_tile"] = gr.Number(value=s.q_tile, precision=0, label="tiled forward: query tile", minimum=1)
        c["k_tile"] = gr.Number(value=s.k_tile, precision=0, label="tiled forward: key tile", minimum=1)
        c["max_length"] = gr.Slider(128, MAX_FLASH_LENGTH, value=s.max_length, step=128,
                                    label="sweep up to N tokens")
    run = gr.Button("Walk the online softmax and measure", variant="primary", elem_id="internals-flash-run")
    summary = gr.Markdown(elem_id="internals-flash-summary")
    walk = gr.Plot(label="The online softmax", elem_id="internals-flash-walk")
    steps = gr.Dataframe(headers=STEP_COLUMNS, label="Tile by tile")
    memory = gr.Plot(label="Naive vs tiled vs SDPA", elem_id="internals-flash-sweep")
    sweep = gr.Dataframe(headers=SWEEP_COLUMNS, label="Measured (peak from torch.profiler's allocation log)")
    flash_json = gr.JSON(label="FlashAttention", visible=False)
    outputs = [summary, walk, steps, memory, sweep, flash_json]
    return panel("internals/flash", run.click, flash_attention, c, outputs, api_name="flash_attention")
