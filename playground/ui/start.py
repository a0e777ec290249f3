"""Start here: the study note's questions in its order, each answered in a few sentences with a number this app
measured, and buttons that open the panel (and sub-tab) that shows it, its inputs set.

The numbers come from start_facts (saved by `make references`), so the page is instant and offline. A link names
its panel and inputs by the ids the tabs already give their components (and their tab buttons, "<elem_id>-button",
which Gradio gives them); build_app wires the links once every tab is built (`link`), so no tab module is imported
here.
"""

from dataclasses import dataclass, field

import gradio as gr
import plotly.graph_objects as go

from playground.core import reference
from playground.core.plots import layout
from playground.ui.start_facts import shipped

TITLE = "Start here"

INTRO = """
## Start here: six questions, answered by the model running on this machine
Each answer quotes a number the playground measured; each button opens the panel that shows it, with the
experiment's inputs set. Change anything there: every panel runs again on what you choose.
"""


@dataclass(frozen=True)
class Link:
    """A button that opens `tab` (and `sub_tab` of the Tabs with elem_id `tabs`), sets the components with these
    elem_ids to these values, and, with `press`, presses the button with that elem_id to run the experiment."""

    label: str
    tab: str
    tabs: str = ""
    sub_tab: str = ""
    inputs: dict = field(default_factory=dict)
    press: str = ""


# The study note's questions in its order, each with the buttons that open the panels that answer it.
QUESTIONS: list[tuple[str, list[Link]]] = [
    ("What do top-k, top-p and temperature do, and which should I use?",
     [Link("Open the next-token distribution on those settings", "next_token",
           inputs={"next-token-prompt": "Once upon a time, there was a", "next-token-temperature": 0.7,
                   "next-token-top-k": 50, "next-token-top-p": 0.9, "next-token-min-p": 0},
           press="next-token-show")]),
    ("Why does greedy loop, and what does beam search buy?",
     [Link("Compare greedy, beam search and the samplers", "decoding")]),
    ("What is QKᵀ/√d, and what does a mask do: BERT vs GPT vs T5 vs LLaMA/Qwen?",
     [Link("Work one cell by hand", "attention", "attention-tabs", "cell", press="attention-explain"),
      Link("See BERT's mask beside a decoder's", "attention", "attention-tabs", "masks",
           inputs={"attention-mask-kind": "bidirectional"}, press="attention-masks-run")]),
    ("What changed from BERT to Qwen, and why did decoder-only win?",
     [Link("Walk one block of SmolLM2", "architecture", "architecture-tabs", "walk"),
      Link("Read the logit lens", "architecture", "architecture-tabs", "lens"),
      Link("See BERT's, T5's and GPT's training masks", "architecture", "architecture-tabs", "masks")]),
    ("Prompt tuning vs prefix tuning vs adapters vs LoRA: what trains, how much, how well?",
     [Link("Compare all eight methods", "peft_lab", "peft-tabs", "methods"),
      Link("See a shipped LoRA beside the base", "peft_lab", "peft-tabs", "side_by_side")]),
    ("Why does a KV cache help, and what does it cost? What does PagedAttention fix? Why is FlashAttention faster? "
     "How does speculative decoding make decoding itself faster?",
     [Link("Measure the KV cache", "internals", "internals-tabs", "kv"),
      Link("See the cache in pages", "internals", "internals-tabs", "paged"),
      Link("Walk FlashAttention's online softmax", "internals", "internals-tabs", "flash"),
      Link("Watch drafts accepted and rejected", "internals", "internals-tabs", "speculative")]),
]
LINKS = {f"start-{number}-{i}": link for number, (_, links) in enumerate(QUESTIONS, 1) for i, link in enumerate(links)}


def answers(f: dict) -> list[str]:
    """An answer to each question, quoting the facts `f`."""
    nt, dec, att, m, arch = f["next_token"], f["decoding"], f["attention"], f["methods"], f["architecture"]
    lora, prompt, prefix, full = m["LoRA"], m["Prompt tuning"], m["Prefix tuning"], m["Full fine-tuning"]
    adapter, kv, paged, flash, spec = m["Bottleneck adapter"], f["kv"], f["paged"], f["flash"], f["speculative"]
    return [
        f"Temperature divides the logits before the softmax (below 1 sharpens, above 1 flattens); top-k keeps the k "
        f"likeliest tokens; top-p keeps the smallest set holding probability p. The study note's advice is top-p ≈ "
        f"0.9 with a moderate temperature, with top-k in front to cap the tail. After \"Once upon a time, there was "
        f"a\", temperature 0.7, top-k 50 and top-p 0.9 leave **{nt['kept']} of 49,152 tokens**, and the likeliest "
        f"({nt['top_text']!r}) goes from p = {nt['top_raw']:.3f} to {nt['top_final']:.3f}.",
        f"Greedy takes the likeliest token every time, and once a phrase makes itself likeliest again it repeats: "
        f"asked for three birthday-party ideas, greedy repeats **{dec['greedy']:.0%}** of its 3-grams. Beam search "
        f"keeps several sequences and picks the likeliest whole text ({dec['beam']:.0%} repeated); sampling with "
        f"top-p breaks the loop by chance ({dec['top_p']:.0%}).",
        f"Each query's scores against every key, q·k divided by √d, plus the mask (−∞ where it may not look), go "
        f"through a softmax. One cell worked by hand gives {att['cell_weight']:.6f}, {att['cell_gap']:.0e} from the "
        f"model's own weight. The mask is what tells the families apart: BERT sees both ways, GPT, LLaMA and Qwen "
        f"only the past, T5 both in its encoder and the past in its decoder. Many heads park their attention on the "
        f"first token: layer {att['sink_layer']} head {att['sink_head']} puts **{att['sink_share']:.3f}** of it "
        f"there.",
        f"BERT (encoder-only) learns to fill in 15% of masked tokens, T5 (encoder-decoder) to write cut spans back, "
        f"GPT to predict every next token. LLaMA and Qwen kept GPT's decoder-only shape and swapped its parts: "
        f"RMSNorm for LayerNorm, SwiGLU for GELU, RoPE for learned positions, the norm before each sublayer. "
        f"Decoder-only won because one objective trains on every position of any text and the same stack "
        f"generates, with no cross-attention, and it kept improving with scale. Here each of SmolLM2's "
        f"{arch['walk_steps']} block steps, computed from the weights, matches the model to "
        f"{arch['walk_relative']:.0e}; its SwiGLU is {arch['mlp_inner']:,} wide for d = {arch['width']} (⅔ · 4d, "
        f"the weights of a 4d GELU MLP); its pre-norm stream grows **{arch['pre_norm_growth']:.0f}×** across the "
        f"layers, while post-norm MiniLM's, reset by a LayerNorm after every layer, never passes "
        f"{arch['post_norm_max']:.0f}. The logit lens finds "
        f"{arch['answer']!r} after \"The Eiffel Tower is in the city of\" only from "
        f"**{arch['first_top']}** (counting from 0, of {arch['layers']}); halfway up it ranks "
        f"#{arch['middle_rank']:,}.",
        f"Prompt tuning learns {prompt['trainable']:,} parameters (a few virtual token embeddings), prefix tuning "
        f"{prefix['trainable']:,} (keys and values in every layer), a bottleneck adapter {adapter['trainable']:,} "
        f"and LoRA {lora['trainable']:,} ({lora['share']} of the model); full fine-tuning trains all "
        f"{full['trainable']:,}. On the city-to-JSON task, 60 steps each, held-out exact match goes from "
        f"{lora['exact_match_base']:.0%} (the base) to **{lora['exact_match_adapted']:.0%} with LoRA**, "
        f"{prompt['exact_match_adapted']:.0%} with prompt tuning, {prefix['exact_match_adapted']:.0%} with prefix "
        f"tuning and {full['exact_match_adapted']:.0%} with full fine-tuning.",
        f"Without a cache each new token runs the model over the whole text again; with it, over one token: "
        f"**{kv['speedup']:.1f}×** faster for {kv['new_tokens']} tokens here, for {kv['bytes_per_token']:,} bytes of "
        f"cache per token. Reserving each request's cache up to its longest answer leaves "
        f"{paged['contiguous_waste']:.0%} of it unwritten; paged blocks waste {paged['paged_waste']:.1%}. "
        f"FlashAttention never builds the N × N score matrix: at N = {flash['length']:,}, naive attention held "
        f"**{flash['naive_over_tiled_peak']:.0f}×** the tiled forward's peak memory, for the same result "
        f"({flash['row_error']:.0e} apart). Decoding is bound by reading the weights, so checking several drafted "
        f"tokens in one pass costs about what one does: asked to repeat a text, SmolLM2 with prompt lookup (drafts "
        f"copied from the prompt) wrote {spec['tokens']} tokens in {spec['passes']} forward passes, "
        f"**{spec['speedup']:.1f}×** plain greedy's speed, with exactly greedy's tokens.",
    ]


def methods_figure(methods: dict) -> go.Figure:
    """The PEFT question at a glance: each method's trainable parameters against its held-out exact match."""
    names = list(methods)
    fig = go.Figure(go.Scatter(
        x=[methods[n]["trainable"] for n in names], y=[methods[n]["exact_match_adapted"] for n in names],
        text=names, mode="markers+text", textposition="top center", marker=dict(size=11, color="#1f77b4"),
        hovertemplate="%{text}<br>%{x:,} trainable<br>exact match %{y:.0%}<extra></extra>"))
    base = next(iter(methods.values()))["exact_match_base"]
    fig.add_hline(y=base, line_dash="dot", annotation_text=f"base {base:.0%}", annotation_position="bottom right")
    fig.update_layout(xaxis=dict(type="log", title="trainable parameters (log scale)"),
                      yaxis=dict(title="held-out exact match", tickformat=".0%", range=[-0.05, 1.12]))
    return layout(fig, "PEFT at a glance: what trains, how much, how well (city → JSON, 60 steps)", height=360)


def build() -> list:
    shown = shipped()
    try:
        texts = shown and answers(shown[0])
    except KeyError:  # saved before a question was added: `make references` brings them up to date
        shown = texts = None
    where = "The panels the buttons open measure again on this machine."
    gr.Markdown(INTRO + (f"\n{reference.provenance(shown[1], where)}" if shown else ""))
    if shown is None:
        gr.Markdown("The start page's numbers are made by `make references`; the panels below still work.")
        return []
    for number, ((question, links), answer) in enumerate(zip(QUESTIONS, texts, strict=True), 1):
        gr.Markdown(f"### {number}. {question}\n{answer}")
        if "LoRA" in question:
            gr.Plot(methods_figure(shown[0]["methods"]), show_label=False, elem_id="start-methods")
        with gr.Row():
            for i, link in enumerate(links):
                gr.Button(link.label, size="sm", elem_id=f"start-{number}-{i}")
    return []


def link(demo: gr.Blocks) -> None:
    """Wire each start-page button to its panel: set the inputs, then click the tab's and the sub-tab's own
    buttons in the page (so the tab's opening arrives as when the learner clicks it) and press the experiment's."""
    by_id = {block.elem_id: block for block in demo.blocks.values() if getattr(block, "elem_id", None)}
    for elem_id, target in LINKS.items():
        if elem_id not in by_id:  # the page is drawn without its numbers (no references yet): no buttons
            continue
        values = list(target.inputs.values())
        event = by_id[elem_id].click(lambda values=values: values if len(values) > 1 else values[0], None,
                                     [by_id[i] for i in target.inputs], api_visibility="private", queue=False) \
            if values else by_id[elem_id].click(None, None, None, api_visibility="private", queue=False)
        event.then(None, None, None, api_visibility="private", js=landing_js(target))


def landing_js(target: Link) -> str:
    """Click the tab's button, then the sub-tab's, then (after the panel is drawn) the experiment's."""
    clicks = [f"#tab-{target.tab}-button"] + ([f"#{target.tabs}-{target.sub_tab}-button"] if target.tabs else [])
    steps = [f"document.querySelector('{selector}')?.click();" for selector in clicks]
    press = (f"setTimeout(() => document.querySelector('#{target.press}')?.click(), 500);" if target.press else "")
    return ("async () => { const pause = ms => new Promise(r => setTimeout(r, ms)); "
            + " await pause(100); ".join(steps) + f" {press} }}")
