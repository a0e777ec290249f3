"""The internals tab's PagedAttention panel: the prompts served together by transformers' paged engine with its
block table shown, and a workload simulator on the same allocator against contiguous pre-allocation."""

import gradio as gr

from playground.internals import plots
from playground.internals.kv_cache import bytes_per_token
from playground.internals.paged import MAX_PAGED_REQUESTS, MAX_PAGED_TOKENS, PagedSettings, paged_generate
from playground.internals.paged_sim import DISTRIBUTIONS, MAX_FIT, WorkloadSettings, beam_search_sharing, simulate
from playground.core import reference
from playground.ui.components import load_model, on, settings_from
from playground.ui.opening import Reference

INTRO = """
### PagedAttention: the KV cache in blocks, as vLLM keeps it
Systems before [vLLM](https://arxiv.org/abs/2309.06180) gave each request one contiguous cache, reserved up front
for the longest answer it might give, and most of that memory was never written. **PagedAttention** stores the
cache in fixed-size blocks, like an operating system's pages: a request holds a *block table* of physical blocks,
takes a new block only when its last one fills, and can share full blocks with other sequences (the samples of one
request, the beams of a search, prompts that begin with the same system prompt). Below, the prompts run through
transformers' own continuous-batching engine with a paged cache (`attn_implementation="paged|eager"`), then a
workload runs through the same block allocator, counted against contiguous pre-allocation. Does paging share a
common system prompt across requests ([vLLM #2354](https://github.com/vllm-project/vllm/issues/2354))? Set
"shared system prompt tokens" and watch the shared tokens: full blocks with the same content hash are stored once.
"""
REQUEST_COLUMNS = ["request", "prompt tokens", "tokens cached", "blocks (physical ids)", "same text as generate",
                   "gathered attention vs SDPA (max |gap|)", "text"]
PAPER = """**Against the vLLM paper** (Kwon et al., 2023, §3 and Fig. 2): it measured that earlier systems kept
only 20.4–38.2% of their KV memory holding tokens (60–80% wasted) and that paging cuts the waste to under 4%.
This simulation: contiguous pre-allocation wastes **{contiguous:.0%}**, paged blocks **{paged:.1%}**. It agrees
on the mechanism and the size of the gap. It differs in what it counts: every request is taken at its full length
at once (the peak), contiguous waste is reservation to `max_length` only (no external fragmentation between
requests, which made the paper's figures worse), and the lengths come from the distribution you chose, not the
paper's traces."""


def paged_attention(model: str, batch_prompts: str, new_tokens: int, block_size: int, num_blocks: int, requests: int,
                    distribution: str, prompt_mean: int, output_mean: int, max_length: int, samples: int,
                    system_prompt: int, budget_mib: float, seed: int, progress=gr.Progress()):
    """The prompts through transformers' paged engine (block tables, text against plain generate, gathered
    attention against SDPA), then the workload on the same allocator against contiguous pre-allocation."""
    settings, work = settings_from(PagedSettings, locals()), settings_from(WorkloadSettings, locals())
    loaded = load_model(model, progress)
    per_token = bytes_per_token(loaded.model.config, next(loaded.model.parameters()).element_size())
    sim = simulate(work, settings.block_size, per_token)  # first: a bad workload fails before the slow part
    progress(0.3, desc="Serving the prompts through the paged engine")
    run = paged_generate(loaded, batch_prompts, settings)
    same = all(r.paged_ids == r.plain_ids for r in run.requests)
    worst = max(r.gather_error for r in run.requests)
    rows = [[i, len(r.prompt_ids), r.cached_tokens, " ".join(map(str, r.blocks)), r.paged_ids == r.plain_ids,
             f"{r.gather_error:.1e}", loaded.tokenizer.decode(r.paged_ids)] for i, r in enumerate(run.requests)]
    held = sum(len(r.blocks) for r in run.requests)
    text = (f"**{loaded.label}**: {len(run.requests)} requests served together by transformers' continuous batching "
            f"from a paged cache of {len(run.block_ids)} blocks × {run.block_size} tokens "
            f"({run.block_bytes:,} bytes a block). They held {held} blocks. Greedy text: "
            f"**{'the same as' if same else 'different from'}** plain "
            f"`generate` for every request. Attention over keys and values gathered through each block table vs "
            f"SDPA over the contiguous cache of a plain forward: max gap **{worst:.1e}** over all layers.")
    fit = f"{sim.fit_paged}+" if sim.fit_paged == MAX_FIT else str(sim.fit_paged)
    sim_text = (f"**The workload**: {len(sim.requests)} requests × {work.samples} sample(s), {per_token:,} bytes "
                f"per token. Contiguous reserves {work.max_length} tokens per sequence: "
                f"{sim.contiguous.reserved_tokens * per_token / 2**20:,.1f} MiB, of which "
                f"{sim.contiguous.waste:.0%} is never written. Paged holds "
                f"{sim.paged.reserved_tokens * per_token / 2**20:,.1f} MiB, {sim.paged.waste:.1%} wasted in last "
                f"blocks; {sim.paged.shared_tokens:,} tokens are read through shared blocks. In "
                f"{work.budget_mib:g} MiB, **{sim.fit_contiguous}** requests fit contiguously and **{fit}** "
                f"paged.\n\n" + PAPER.format(contiguous=sim.contiguous.waste, paged=sim.paged.waste))
    beams = beam_search_sharing(work.prompt_mean + work.system_prompt, max(2, work.samples),
                                min(work.output_mean, 128), settings.block_size, work.seed)
    payload = {"block_size": run.block_size, "num_blocks": len(run.block_ids), "block_bytes": run.block_bytes,
               "requests": [vars(r) for r in run.requests], "same_as_generate": same, "gather_error": worst,
               "simulation": {"contiguous": vars(sim.contiguous), "paged": vars(sim.paged),
                              "contiguous_waste": sim.contiguous.waste, "paged_waste": sim.paged.waste,
                              "fit_contiguous": sim.fit_contiguous, "fit_paged": sim.fit_paged,
                              "bytes_per_token": per_token},
               "beam_search": [vars(s) for s in beams]}
    return (text, plots.block_map_figure(run), rows, sim_text, plots.workload_memory_figure(sim),
            plots.beam_figure(beams), payload)


def build(shared: dict) -> Reference:
    gr.Markdown(INTRO)
    s, w = PagedSettings(), WorkloadSettings()
    c = {"model": shared["model"]}
    c["batch_prompts"] = gr.Textbox(value="The capital of France is\nOnce upon a time there was a\ndef fib(n):",
                                    lines=3, label=f"Requests, one per line (up to {MAX_PAGED_REQUESTS})",
                                    elem_id="internals-paged-prompts")
    with gr.Row():
        c["new_tokens"] = gr.Slider(1, MAX_PAGED_TOKENS, value=s.new_tokens, step=1, label="new tokens per request")
        c["block_size"] = gr.Dropdown([4, 8, 16, 32, 64, 128, 256], value=s.block_size, label="block size (tokens)")
        c["num_blocks"] = gr.Number(value=s.num_blocks, precision=0, label="blocks in the engine's cache", minimum=1)
    gr.Markdown("**The workload simulator** (the vLLM paper's ShareGPT averages by default)")
    with gr.Row():
        c["requests"] = gr.Number(value=w.requests, precision=0, label="requests", minimum=1)
        c["distribution"] = gr.Dropdown(list(DISTRIBUTIONS), value=w.distribution, label="lengths")
        c["prompt_mean"] = gr.Number(value=w.prompt_mean, precision=0, label="mean prompt tokens", minimum=1)
        c["output_mean"] = gr.Number(value=w.output_mean, precision=0, label="mean output tokens", minimum=1)
        c["max_length"] = gr.Number(value=w.max_length, precision=0, label="max length (contiguous reserves it)",
                                    minimum=2)
    with gr.Row():
        c["samples"] = gr.Slider(1, 16, value=w.samples, step=1, label="parallel samples (beams) per request")
        c["system_prompt"] = gr.Number(value=w.system_prompt, precision=0, label="shared system prompt tokens",
                                       minimum=0)
        c["budget_mib"] = gr.Number(value=w.budget_mib, label="memory budget (MiB)")
        c["seed"] = gr.Number(value=w.seed, precision=0, label="seed", minimum=0)
    run = gr.Button("Measure it here: serve the prompts paged and simulate the workload", variant="primary",
                    elem_id="internals-paged-run")
    summary = gr.Markdown(elem_id="internals-paged-summary")
    block_map = gr.Plot(label="The block table", elem_id="internals-paged-map")
    table = gr.Dataframe(headers=REQUEST_COLUMNS, label="Requests", wrap=True)
    sim_summary = gr.Markdown(elem_id="internals-paged-sim-summary")
    with gr.Row():
        memory = gr.Plot(label="Contiguous vs paged", elem_id="internals-paged-memory")
        beams = gr.Plot(label="Beam search with copy-on-write forks", elem_id="internals-paged-beams")
    paged_json = gr.JSON(label="PagedAttention", visible=False)
    outputs = [summary, block_map, table, sim_summary, memory, beams, paged_json]
    on(run.click, paged_attention, c, outputs, api_name="paged_attention")
    return Reference("internals/paged", reference.shipped("internals", "paged"), paged_attention, c, outputs)
