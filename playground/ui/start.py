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
from playground.ui.i18n.start import START
from playground.ui.opening import Opening
from playground.ui.start_facts import shipped

@dataclass(frozen=True)
class Link:
    """A button that opens `tab` (and `sub_tab` of the Tabs with elem_id `tabs`), sets the components with these
    elem_ids to these values, and, with `press`, presses the button with that elem_id to run the experiment."""

    label: str  # its key in the start page's catalogue
    tab: str
    tabs: str = ""
    sub_tab: str = ""
    inputs: dict = field(default_factory=dict)
    press: str = ""


# The study note's questions in its order (their keys in the catalogue), each with the buttons that open the
# panels that answer it.
QUESTIONS: list[tuple[str, list[Link]]] = [
    ("q1", [Link("link.next_token", "next_token",
                 inputs={"next-token-prompt": "Once upon a time, there was a", "next-token-temperature": 0.7,
                         "next-token-top-k": 50, "next-token-top-p": 0.9, "next-token-min-p": 0},
                 press="next-token-show")]),
    ("q2", [Link("link.decoding", "decoding")]),
    ("q3", [Link("link.cell", "attention", "attention-tabs", "cell", press="attention-explain"),
            Link("link.masks", "attention", "attention-tabs", "masks",
                 inputs={"attention-mask-kind": "bidirectional"}, press="attention-masks-run")]),
    ("q4", [Link("link.walk", "architecture", "architecture-tabs", "walk"),
            Link("link.lens", "architecture", "architecture-tabs", "lens"),
            Link("link.pretraining", "architecture", "architecture-tabs", "masks")]),
    ("q5", [Link("link.methods", "peft_lab", "peft-tabs", "methods"),
            Link("link.side_by_side", "peft_lab", "peft-tabs", "side_by_side")]),
    ("q6", [Link("link.kv", "internals", "internals-tabs", "kv"),
            Link("link.paged", "internals", "internals-tabs", "paged"),
            Link("link.flash", "internals", "internals-tabs", "flash"),
            Link("link.speculative", "internals", "internals-tabs", "speculative")]),
]
LINKS = {f"start-{number}-{i}": link for number, (_, links) in enumerate(QUESTIONS, 1) for i, link in enumerate(links)}


def answer_values(f: dict) -> dict:
    """What the answers quote, from the facts `f`, by the names the catalogue's templates use."""
    nt, dec, att, m, arch = f["next_token"], f["decoding"], f["attention"], f["methods"], f["architecture"]
    lora, prompt, prefix, full = m["LoRA"], m["Prompt tuning"], m["Prefix tuning"], m["Full fine-tuning"]
    kv, paged, flash, spec = f["kv"], f["paged"], f["flash"], f["speculative"]
    return {
        "kept": nt["kept"], "top_text": repr(nt["top_text"]), "top_raw": nt["top_raw"], "top_final": nt["top_final"],
        "greedy": dec["greedy"], "beam": dec["beam"], "top_p": dec["top_p"],
        "cell_weight": att["cell_weight"], "cell_gap": att["cell_gap"], "sink_layer": att["sink_layer"],
        "sink_head": att["sink_head"], "sink_share": att["sink_share"],
        "walk_steps": arch["walk_steps"], "walk_relative": arch["walk_relative"], "mlp_inner": arch["mlp_inner"],
        "width": arch["width"], "pre_norm_growth": arch["pre_norm_growth"], "post_norm_max": arch["post_norm_max"],
        "answer": repr(arch["answer"]), "first_top": arch["first_top"].split()[-1], "layers": arch["layers"],
        "middle_rank": arch["middle_rank"],
        "prompt_trainable": prompt["trainable"], "prefix_trainable": prefix["trainable"],
        "adapter_trainable": m["Bottleneck adapter"]["trainable"], "lora_trainable": lora["trainable"],
        "lora_share": lora["share"], "full_trainable": full["trainable"], "lora_base": lora["exact_match_base"],
        "lora_adapted": lora["exact_match_adapted"], "prompt_adapted": prompt["exact_match_adapted"],
        "prefix_adapted": prefix["exact_match_adapted"], "full_adapted": full["exact_match_adapted"],
        "kv_speedup": kv["speedup"], "kv_tokens": kv["new_tokens"], "kv_bytes": kv["bytes_per_token"],
        "contiguous_waste": paged["contiguous_waste"], "paged_waste": paged["paged_waste"],
        "flash_length": flash["length"], "flash_ratio": flash["naive_over_tiled_peak"],
        "flash_error": flash["row_error"],
        "spec_tokens": spec["tokens"], "spec_passes": spec["passes"], "spec_speedup": spec["speedup"],
    }


def answers(f: dict, language: str = "en") -> list[str]:
    """An answer to each question, quoting the facts `f`, in `language`."""
    values = answer_values(f)
    return [START.text(f"a{number}", language, **values) for number in range(1, len(QUESTIONS) + 1)]


def methods_figure(methods: dict) -> go.Figure:
    """The PEFT question at a glance: each method's trainable parameters against its held-out exact match."""
    names = list(methods)
    fig = go.Figure(go.Scatter(
        x=[methods[n]["trainable"] for n in names], y=[methods[n]["exact_match_adapted"] for n in names],
        text=names, mode="markers+text", textposition="top center", marker=dict(size=11, color="#1f77b4"),
        hovertemplate=START.text("plot.hover") + "<extra></extra>"))
    base = next(iter(methods.values()))["exact_match_base"]
    fig.add_hline(y=base, line_dash="dot", annotation_text=START.text("plot.base", base=base),
                  annotation_position="bottom right")
    fig.update_layout(xaxis=dict(type="log", title=START.text("plot.x")),
                      yaxis=dict(title=START.text("plot.y"), tickformat=".0%", range=[-0.05, 1.12]))
    return layout(fig, START.text("plot.title"), height=360)


def build() -> list[Opening]:
    """The questions and their answers; the PEFT plot opens in the page's language."""
    shown = shipped()
    try:
        values = shown and answer_values(shown[0])
    except KeyError:  # saved before a question was added: `make references` brings them up to date
        shown = values = None
    gr.Markdown(START("intro"))
    if shown is None:
        gr.Markdown(START("no_facts"))
        return []
    gr.Markdown(START.filled("measured", reference=lambda language: reference.measured(shown[1], language)))
    openings = []
    for number, (question, links) in enumerate(QUESTIONS, 1):
        gr.Markdown(START(question))
        gr.Markdown(START.filled(f"a{number}", **values))
        if question == "q5":
            plot = gr.Plot(show_label=False, elem_id="start-methods")
            openings.append(Opening("start/methods", lambda: methods_figure(shown[0]["methods"]), [plot]))
        with gr.Row():
            for i, link in enumerate(links):
                gr.Button(START(link.label), size="sm", elem_id=f"start-{number}-{i}")
    return openings


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
