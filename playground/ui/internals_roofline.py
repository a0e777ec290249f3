"""The internals tab's roofline panel: why a decode step costs what it costs on this machine."""

import gradio as gr

from playground.internals import plots
from playground.internals.roofline import MAX_ROOFLINE_BATCH, RooflineSettings, measure_roofline
from playground.core import reference
from playground.ui.components import load_model, on, settings_from
from playground.ui.opening import Reference

INTRO = """
### The decode roofline: where the time goes
To make one token, a decode step multiplies one vector per sequence by every weight matrix: it reads all the
weights from memory and does only a couple of flops per weight read. So at batch 1 its floor is **weight bytes ÷
memory bandwidth**, and a bigger batch reuses the same read almost for free until compute catches up. That is why
vLLM batches requests, and why the decoding tab runs every strategy in one pass. Everything below is measured now,
on this machine: the bandwidth, the time per token, the batch sweep, and a profile of one step. bf16 and int8
copies of the model are exhibits of what lowers the floor; the playground's own tabs stay exact fp32.
"""
EXHIBIT_COLUMNS = ["weights", "bytes read per step (MB)", "floor (ms)", "measured ms per token",
                   "token agreement with fp32", "top-1 agreement with fp32"]


def roofline(model: str, prompt: str, new_tokens: int, max_batch: int, exhibit_tokens: int, progress=gr.Progress()):
    """Weight bytes against the measured bandwidth (the floor) and ms per token, tokens/s against batch size,
    torch.profiler's split of one decode step, and bf16 / int8 copies as exhibits."""
    settings = settings_from(RooflineSettings, locals())
    loaded = load_model(model, progress)
    roof = measure_roofline(loaded, prompt, settings, progress)
    fp32 = roof.exhibits[0]
    ratio = roof.batches[-1][1] / roof.batches[0][1]
    text = (f"**{loaded.label}** reads **{roof.weight_bytes / 1e6:,.0f} MB** of weights per decode step. This "
            f"machine read memory at **{roof.bandwidth / 1e9:.1f} GB/s** just now, so the floor is "
            f"**{roof.floor_ms:.1f} ms** per token; a step measured **{roof.ms_per_token:.1f} ms** "
            f"(**{roof.over_floor:.1f}×** the floor). Two things keep it above: the matrix products themselves read "
            f"weights at only {roof.matmul_bandwidth / 1e9:.1f} GB/s (small matrix-vector products on few cores do "
            f"not stream memory like one long sum), and everything else in the step (the profile's grey bar: "
            f"hundreds of small ops and Python's dispatch) adds time that no weight read explains. Decoding "
            f"{roof.batches[-1][0]} sequences at once gave "
            f"**{ratio:.1f}×** the tokens/s of one.\n\n"
            f"The exhibits: bf16 halves the bytes; int8 dynamic quantisation stores the linear weights in a byte "
            f"but also rounds each activation vector to int8 on the fly, and language models' activations have "
            f"outlier features ([Dettmers et al.](https://arxiv.org/abs/2208.07339)), so it agrees with fp32 less. "
            f"Whether either is faster here depends on this CPU's kernels for those types, not only on the bytes.")
    rows = [[e.name, round(e.weight_bytes / 1e6, 1), round(e.weight_bytes / roof.bandwidth * 1000, 2),
             round(e.ms_per_token, 2), f"{e.token_agreement:.0%}", f"{e.top1_agreement:.0%}"] for e in roof.exhibits]
    payload = {"weight_bytes": roof.weight_bytes, "bandwidth_bytes_per_s": roof.bandwidth,
               "floor_ms": roof.floor_ms, "ms_per_token": roof.ms_per_token, "over_floor": roof.over_floor,
               "tokens_per_s": {str(b): t for b, t in roof.batches}, "batch_speedup": ratio,
               "step_split_s": roof.step_split, "matmul_bandwidth_bytes_per_s": roof.matmul_bandwidth,
               "exhibits": [vars(e) for e in roof.exhibits],
               "fp32_ms_per_token_exhibit": fp32.ms_per_token}
    return (text, plots.floor_figure(roof), plots.batch_figure(roof), plots.step_split_figure(roof), rows, payload)


def build(shared: dict) -> Reference:
    gr.Markdown(INTRO)
    s = RooflineSettings()
    c = dict(shared)
    with gr.Row():
        c["new_tokens"] = gr.Slider(4, 128, value=s.new_tokens, step=1, label="tokens per timed decode")
        c["max_batch"] = gr.Slider(1, MAX_ROOFLINE_BATCH, value=s.max_batch, step=1,
                                   label="batch sweep up to (doubling from 1)", elem_id="internals-roofline-max-batch")
        c["exhibit_tokens"] = gr.Slider(8, 128, value=s.exhibit_tokens, step=1,
                                        label="greedy tokens compared in the exhibits",
                                        elem_id="internals-roofline-exhibit-tokens")
    run = gr.Button("Measure it here: the roofline", variant="primary", elem_id="internals-roofline-run")
    summary = gr.Markdown(elem_id="internals-roofline-summary")
    floor = gr.Plot(label="The floor and the measured time", elem_id="internals-roofline-floor")
    batches = gr.Plot(label="Tokens/s against batch size", elem_id="internals-roofline-batch")
    split = gr.Plot(label="One decode step, by kind of op", elem_id="internals-roofline-split")
    table = gr.Dataframe(headers=EXHIBIT_COLUMNS, label="fp32, bf16 and int8", wrap=True)
    roof_json = gr.JSON(label="Roofline", visible=False)
    outputs = [summary, floor, batches, split, table, roof_json]
    on(run.click, roofline, c, outputs, api_name="roofline")
    return Reference("internals/roofline", reference.shipped("internals", "roofline"), roofline, c, outputs)
