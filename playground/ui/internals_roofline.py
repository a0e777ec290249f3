"""The internals tab's roofline panel: why a decode step costs what it costs on this machine."""

import gradio as gr

from playground.core import reference
from playground.internals import plots
from playground.internals.roofline import MAX_ROOFLINE_BATCH, RooflineSettings, measure_roofline
from playground.ui.components import headers, load_model, on, settings_from, table
from playground.ui.i18n.internals import INTERNALS
from playground.ui.opening import Reference, shown_by

EXHIBIT_COLUMNS = ["column.weights", "column.read", "column.floor", "column.ms", "column.token_agreement",
                   "column.top1_agreement"]


def show_roofline(measured):
    """The panel's outputs for one measurement, in the request's language."""
    loaded, roof = measured
    ratio = roof.batches[-1][1] / roof.batches[0][1]
    text = INTERNALS.text(
        "roof.summary", model=loaded.label, mb=roof.weight_bytes / 1e6, bandwidth=roof.bandwidth / 1e9,
        floor=roof.floor_ms, ms=roof.ms_per_token, over=roof.over_floor, matmul=roof.matmul_bandwidth / 1e9,
        batch=roof.batches[-1][0], ratio=ratio)
    rows = [[name, round(e.weight_bytes / 1e6, 1), round(e.weight_bytes / roof.bandwidth * 1000, 2),
             round(e.ms_per_token, 2), f"{e.token_agreement:.0%}", f"{e.top1_agreement:.0%}"]
            for name, e in zip(plots.exhibit_names(roof), roof.exhibits)]
    payload = {"weight_bytes": roof.weight_bytes, "bandwidth_bytes_per_s": roof.bandwidth,
               "floor_ms": roof.floor_ms, "ms_per_token": roof.ms_per_token, "over_floor": roof.over_floor,
               "tokens_per_s": {str(b): t for b, t in roof.batches}, "batch_speedup": ratio,
               "step_split_s": roof.step_split, "matmul_bandwidth_bytes_per_s": roof.matmul_bandwidth,
               "exhibits": [vars(e) for e in roof.exhibits],
               "fp32_ms_per_token_exhibit": roof.exhibits[0].ms_per_token}
    return (text, plots.floor_figure(roof), plots.batch_figure(roof), plots.step_split_figure(roof),
            table(INTERNALS, EXHIBIT_COLUMNS, rows), payload)


@shown_by(show_roofline)
def roofline(model: str, prompt: str, new_tokens: int, max_batch: int, exhibit_tokens: int, progress=gr.Progress()):
    """Weight bytes against the measured bandwidth (the floor) and ms per token, tokens/s against batch size,
    torch.profiler's split of one decode step, and bf16 / int8 copies as exhibits."""
    settings = settings_from(RooflineSettings, locals())
    loaded = load_model(model, progress)
    return loaded, measure_roofline(loaded, prompt, settings, progress)


def build(shared: dict) -> Reference:
    gr.Markdown(INTERNALS("roof.intro"))
    s = RooflineSettings()
    c = dict(shared)
    with gr.Row():
        c["new_tokens"] = gr.Slider(4, 128, value=s.new_tokens, step=1, label=INTERNALS("roof.new_tokens"),
                                    elem_id="internals-roofline-new-tokens")
        c["max_batch"] = gr.Slider(1, MAX_ROOFLINE_BATCH, value=s.max_batch, step=1,
                                   label=INTERNALS("roof.max_batch"), elem_id="internals-roofline-max-batch")
        c["exhibit_tokens"] = gr.Slider(8, 128, value=s.exhibit_tokens, step=1,
                                        label=INTERNALS("roof.exhibit_tokens"),
                                        elem_id="internals-roofline-exhibit-tokens")
    run = gr.Button(INTERNALS("roof.run"), variant="primary", elem_id="internals-roofline-run")
    summary = gr.Markdown(elem_id="internals-roofline-summary")
    floor = gr.Plot(label=INTERNALS("roof.floor"), elem_id="internals-roofline-floor")
    batches = gr.Plot(label=INTERNALS("roof.batches"), elem_id="internals-roofline-batch")
    split = gr.Plot(label=INTERNALS("roof.split"), elem_id="internals-roofline-split")
    table = gr.Dataframe(headers=headers(INTERNALS, EXHIBIT_COLUMNS), label=INTERNALS("roof.table"), wrap=True)
    roof_json = gr.JSON(label=INTERNALS("tab.roofline"), visible=False)
    outputs = [summary, floor, batches, split, table, roof_json]
    on(run.click, roofline, c, outputs, api_name="roofline")
    return Reference("internals/roofline", reference.shipped("internals", "roofline"), roofline, c, outputs)
