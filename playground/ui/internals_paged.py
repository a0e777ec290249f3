"""The internals tab's PagedAttention panel: the prompts served together by transformers' paged engine with its
block table shown, and a workload simulator on the same allocator against contiguous pre-allocation."""

import gradio as gr

from playground.core import reference
from playground.internals import plots
from playground.internals.kv_cache import bytes_per_token
from playground.internals.paged import MAX_PAGED_REQUESTS, MAX_PAGED_TOKENS, PagedSettings, paged_generate
from playground.internals.paged_sim import DISTRIBUTIONS, MAX_FIT, WorkloadSettings, beam_search_sharing, simulate
from playground.internals.words import WORDS
from playground.ui.components import headers, load_model, on, settings_from, table
from playground.ui.i18n import static
from playground.ui.i18n.internals import INTERNALS
from playground.ui.i18n.internals_paged import PAGED
from playground.ui.opening import Reference, shown_by

PROMPTS = "The capital of France is\nOnce upon a time there was a\ndef fib(n):"
REQUEST_COLUMNS = ["column.request", "column.prompt", "column.cached", "column.blocks", "column.same", "column.gap",
                   "column.text"]


def show_paged(measured):
    """The panel's outputs for one measurement (the engine's run and the simulation), in the request's language."""
    loaded, settings, work, per_token, sim, run, beams = measured
    same = all(r.paged_ids == r.plain_ids for r in run.requests)
    worst = max(r.gather_error for r in run.requests)
    rows = [[i, len(r.prompt_ids), r.cached_tokens, " ".join(map(str, r.blocks)), r.paged_ids == r.plain_ids,
             f"{r.gather_error:.1e}", loaded.tokenizer.decode(r.paged_ids)] for i, r in enumerate(run.requests)]
    text = PAGED.text("summary", model=loaded.label, requests=len(run.requests), blocks=len(run.block_ids),
                      size=run.block_size, bytes=run.block_bytes, held=sum(len(r.blocks) for r in run.requests),
                      same=PAGED.text("same" if same else "different"), gap=worst)
    fit = f"{sim.fit_paged}+" if sim.fit_paged == MAX_FIT else str(sim.fit_paged)
    sim_text = PAGED.text(
        "workload", requests=len(sim.requests), samples=work.samples, per_token=per_token, length=work.max_length,
        contiguous_mib=sim.contiguous.reserved_tokens * per_token / 2**20, contiguous=sim.contiguous.waste,
        paged_mib=sim.paged.reserved_tokens * per_token / 2**20, paged=sim.paged.waste,
        shared=sim.paged.shared_tokens, budget=work.budget_mib, fit_contiguous=sim.fit_contiguous, fit_paged=fit)
    sim_text += "\n\n" + PAGED.text("paper", contiguous=sim.contiguous.waste, paged=sim.paged.waste)
    payload = {"block_size": run.block_size, "num_blocks": len(run.block_ids), "block_bytes": run.block_bytes,
               "requests": [vars(r) for r in run.requests], "same_as_generate": same, "gather_error": worst,
               "simulation": {"contiguous": vars(sim.contiguous), "paged": vars(sim.paged),
                              "contiguous_waste": sim.contiguous.waste, "paged_waste": sim.paged.waste,
                              "fit_contiguous": sim.fit_contiguous, "fit_paged": sim.fit_paged,
                              "bytes_per_token": per_token},
               "beam_search": [vars(s) for s in beams]}
    return (text, plots.block_map_figure(run), table(PAGED, REQUEST_COLUMNS, rows), sim_text,
            plots.workload_memory_figure(sim), plots.beam_figure(beams), payload)


@shown_by(show_paged)
def paged_attention(model: str, batch_prompts: str, new_tokens: int, block_size: int, num_blocks: int, requests: int,
                    distribution: str, prompt_mean: int, output_mean: int, max_length: int, samples: int,
                    system_prompt: int, budget_mib: float, seed: int, progress=gr.Progress()):
    """The prompts through transformers' paged engine (block tables, text against plain generate, gathered
    attention against SDPA), then the workload on the same allocator against contiguous pre-allocation."""
    settings, work = settings_from(PagedSettings, locals()), settings_from(WorkloadSettings, locals())
    loaded = load_model(model, progress)
    per_token = bytes_per_token(loaded.model.config, next(loaded.model.parameters()).element_size())
    sim = simulate(work, settings.block_size, per_token)  # first: a bad workload fails before the slow part
    progress(0.3, desc=PAGED.text("serving"))
    run = paged_generate(loaded, batch_prompts, settings)
    beams = beam_search_sharing(work.prompt_mean + work.system_prompt, max(2, work.samples),
                                min(work.output_mean, 128), settings.block_size, work.seed)
    return loaded, settings, work, per_token, sim, run, beams


def build(shared: dict) -> Reference:
    gr.Markdown(PAGED("intro"))
    s, w = PagedSettings(), WorkloadSettings()
    c = {"model": shared["model"]}
    c["batch_prompts"] = gr.Textbox(value=PROMPTS,
                                    lines=3, label=PAGED.filled("prompts", limit=MAX_PAGED_REQUESTS),
                                    elem_id="internals-paged-prompts")
    with gr.Row():
        c["new_tokens"] = gr.Slider(1, MAX_PAGED_TOKENS, value=s.new_tokens, step=1, label=PAGED("new_tokens"))
        c["block_size"] = gr.Dropdown([4, 8, 16, 32, 64, 128, 256], value=s.block_size, label=PAGED("block_size"))
        c["num_blocks"] = gr.Number(value=s.num_blocks, precision=0, label=PAGED("num_blocks"), minimum=1)
    gr.Markdown(PAGED("simulator"))
    with gr.Row():
        c["requests"] = gr.Number(value=w.requests, precision=0, label=static(WORDS, "memory.requests"), minimum=1)
        c["distribution"] = gr.Dropdown([(static(WORDS, f"distribution.{d}"), d) for d in DISTRIBUTIONS],
                                        value=w.distribution, label=PAGED("distribution"))
        c["prompt_mean"] = gr.Number(value=w.prompt_mean, precision=0, label=PAGED("prompt_mean"), minimum=1)
        c["output_mean"] = gr.Number(value=w.output_mean, precision=0, label=PAGED("output_mean"), minimum=1)
        c["max_length"] = gr.Number(value=w.max_length, precision=0, label=PAGED("max_length"),
                                    minimum=2)
    with gr.Row():
        c["samples"] = gr.Slider(1, 16, value=w.samples, step=1, label=PAGED("samples"))
        c["system_prompt"] = gr.Number(value=w.system_prompt, precision=0, label=PAGED("system_prompt"),
                                       minimum=0)
        c["budget_mib"] = gr.Number(value=w.budget_mib, label=PAGED("budget"))
        c["seed"] = gr.Number(value=w.seed, precision=0, label="seed", minimum=0)
    run = gr.Button(PAGED("run"), variant="primary", elem_id="internals-paged-run")
    summary = gr.Markdown(elem_id="internals-paged-summary")
    block_map = gr.Plot(label=PAGED("block_map"), elem_id="internals-paged-map")
    table = gr.Dataframe(headers=headers(PAGED, REQUEST_COLUMNS), label=PAGED("table"), wrap=True)
    sim_summary = gr.Markdown(elem_id="internals-paged-sim-summary")
    with gr.Row():
        memory = gr.Plot(label=PAGED("memory"), elem_id="internals-paged-memory")
        beams = gr.Plot(label=PAGED("beams"), elem_id="internals-paged-beams")
    paged_json = gr.JSON(label=INTERNALS("tab.paged"), visible=False)
    outputs = [summary, block_map, table, sim_summary, memory, beams, paged_json]
    on(run.click, paged_attention, c, outputs, api_name="paged_attention")
    return Reference("internals/paged", reference.shipped("internals", "paged"), paged_attention, c, outputs)
