"""The architecture tab: one block of the chosen model walked number by number and checked against its own
modules, and the logit lens; from BERT's post-norm GELU block to LLaMA's and Qwen's pre-norm SwiGLU one."""

import gradio as gr

from playground.architecture import plots
from playground.architecture.anatomy import TABLE_COLUMNS, anatomy_row, reference_rows
from playground.architecture.block_walk import block_walk as walk_block
from playground.architecture.logit_lens import logit_lens as read_lens
from playground.architecture.prompt import prompt_ids
from playground.architecture.walk import WalkSettings
from playground.core import models
from playground.core.visible import visible
from playground.ui import architecture_pretraining, architecture_swaps
from playground.core import config
from playground.ui.components import load_model, model_picker, panel_tabs, preset_buttons, settings_from
from playground.ui.opening import Opening, panel

INTRO = """
## From BERT to Qwen, number by number
BERT ([Devlin et al., 2018](https://arxiv.org/abs/1810.04805)) and GPT-2 normalise with LayerNorm and mix with a
GELU MLP; LLaMA ([Touvron et al., 2023](https://arxiv.org/abs/2302.13971)), Qwen and SmolLM2 use RMSNorm
([Zhang & Sennrich, 2019](https://arxiv.org/abs/1910.07467)), a gated SwiGLU MLP
([Shazeer, 2020](https://arxiv.org/abs/2002.05202)) and rotary positions, and put the norm *before* each sublayer
(pre-norm) where BERT puts it after the residual add (post-norm). Here every step of one real block is computed
from its weights and checked against the model's own module, caught by forward hooks in the same pass. Pick
SmolLM2 (LLaMA), the embedded MiniLM (BERT) or a tiny GPT-2 or Qwen2. Why did decoder-only win? One objective
(the next token) trains on every position of any text and generates with the same model; BERT's MLM learns from
15% of positions and cannot write; T5 needs two stacks. The *Pretraining masks* panel shows all three.
"""

PROMPT = "The Eiffel Tower is in the city of"
WALK_COLUMNS = ["step", "formula", "shape", "first values at the token", "‖vector‖", "max |here − module|",
                "checked against"]

LENS_INTRO = """### The logit lens
Read the residual stream after every layer as if it were the last: through the model's own final norm and LM
head ([nostalgebraist, 2020](https://www.lesswrong.com/posts/AcKRB8wDpdaN6v6ru/interpreting-gpt-the-logit-lens)).
Early layers guess punctuation and common words; the answer appears near the top of the stack. The last row is the
model's own output. (The [tuned lens](https://arxiv.org/abs/2303.08112) first trains a small map per layer,
because middle layers do not quite speak the output's language; the plain lens needs no training.)
"""


def block_walk(model: str, prompt: str, layer: int, position: int, progress=gr.Progress()):
    """One block (`layer`) walked at one token (`position`, negative counts from the end): every step computed from
    the weights and compared with the module's own output. The JSON holds every step."""
    settings = settings_from(WalkSettings, locals())
    loaded = load_model(model, progress, any_kind=True)
    walk = walk_block(loaded, prompt_ids(loaded, prompt), settings)
    rows = [[s.name, s.formula, " × ".join(map(str, s.shape)), ", ".join(f"{v:.3f}" for v in s.strip),
             round(s.norm, 3), "—" if s.difference is None else f"{s.difference:.1e}", s.checked_against or "—"]
            for s in walk.steps]
    return walk_summary(walk), plots.walk_figure(walk), rows, walk.payload()


def walk_summary(walk) -> str:
    stream = [s for s in walk.steps if s.name.startswith(("x,", "residual"))]
    norm = "post-norm: each residual add is followed by LayerNorm" if walk.family == "bert" else \
        "pre-norm: the norm feeds each sublayer, and the stream itself is never normalised inside the block"
    return (f"**{walk.model_label}**, layer {walk.layer}, token {walk.position} "
            f"(“{visible(walk.tokens[walk.position])}”): {len(walk.steps)} steps computed here from the weights. "
            f"Every one matches the model's own module: the largest difference is **{walk.max_difference:.1e}** "
            f"({walk.max_relative:.1e} of the tensor's largest value, float32's rounding). The stream enters with "
            f"norm {stream[0].norm:.1f} and leaves with {stream[-1].norm:.1f} ({norm}).")


def logit_lens(model: str, prompt: str, progress=gr.Progress()):
    """The stream after every layer, at every position, read through the final norm and LM head: the top token
    per layer and position, and where the model's final prediction at the last token ranks at each layer."""
    loaded = load_model(model, progress, any_kind=True)
    lens = read_lens(loaded, prompt_ids(loaded, prompt))
    return lens_summary(lens), plots.lens_figure(lens), plots.rank_figure(lens), lens.payload()


def lens_summary(lens) -> str:
    ranks = [row[-1] for row in lens.final_ranks]
    first_top = next(i for i, r in enumerate(ranks) if all(later == 0 for later in ranks[i:]))
    middle = len(ranks) // 2
    return (f"After “{visible(lens.tokens[-1])}” the model says **“{visible(lens.final_tokens[-1])}”** "
            f"(p = {lens.final_probs[-1][-1]:.2f}). Under the lens it is top from **{lens.rows[first_top]}** on "
            f"(of {len(ranks) - 1} layers); at {lens.rows[middle]} it ranks #{ranks[middle] + 1:,}. The last row "
            f"is the model's own output (largest difference {lens.last_layer_difference:.1e}).")


ANATOMY_INTRO = """### The anatomy, read from the models
Each row is read from a model object and its config, not typed in: the norm (LayerNorm subtracts the mean and
has a bias; RMSNorm has neither) and where it sits (a forward pass with hooks sees whether a norm runs before
attention), the activation (SwiGLU when the MLP has a gate), the positions (learned, T5's relative bias, RoPE), the
attention (query vs KV heads) and the parameters per component. Llama-3-8B and Qwen2.5-7B are built from their
published configs on the meta device: the structure without the weights.
"""


def anatomy(model: str, progress=gr.Progress()):
    """The architecture table: the reference models (BERT, GPT-2, T5, Llama-3-8B, Qwen2.5-7B), the embedded
    MiniLM, and the chosen model, with parameters per component in millions."""
    loaded = load_model(model, progress, any_kind=True)
    encoder = models.load_encoder()
    rows = [*reference_rows(), anatomy_row(encoder.label, encoder.model)]
    rows += [anatomy_row(loaded.label, loaded.model)] if loaded.label != encoder.label else []
    return [row.table_row() for row in rows]


def build() -> list[Opening]:
    gr.Markdown(INTRO)
    s = WalkSettings()
    with gr.Row(equal_height=True):
        c = {"model": model_picker(any_kind=True, elem_id="architecture-model"),
             "prompt": gr.Textbox(label="Prompt", value=PROMPT, lines=1, elem_id="architecture-prompt", scale=2),
             "layer": gr.Number(value=s.layer, precision=0, label="layer (0-based)", elem_id="architecture-layer"),
             "position": gr.Number(value=s.position, precision=0, label="token position (−1 = the last)",
                                   elem_id="architecture-position")}
    return panel_tabs("architecture-tabs", [
        ("Block walk", "walk", build_walk), ("Norms and MLPs", "swaps", architecture_swaps.build),
        ("Logit lens", "lens", build_lens), ("Pretraining masks", "masks", architecture_pretraining.build),
        ("Anatomy", "anatomy", build_anatomy)], c)


def build_anatomy(c: dict) -> Opening:
    gr.Markdown(ANATOMY_INTRO)
    read = gr.Button("Read the architectures", elem_id="architecture-anatomy-run")
    table = gr.Dataframe(headers=TABLE_COLUMNS, label="Architecture anatomy", wrap=True,
                         elem_id="architecture-anatomy")
    return panel("architecture/anatomy", read.click, anatomy, c, [table], api_name="anatomy")


def build_walk(c: dict) -> Opening:
    run = gr.Button("Walk the block", variant="primary", elem_id="architecture-walk")
    presets = gr.Row()
    summary = gr.Markdown(elem_id="architecture-walk-summary")
    figure = gr.Plot(label="The block, step by step", elem_id="architecture-walk-plot")
    gr.Markdown("Dark bars are the residual stream (entering, and after each add); light bars what is computed "
                "inside. Hover a bar for its formula and shape.")
    table = gr.Dataframe(headers=WALK_COLUMNS, label="Every step", wrap=True, elem_id="architecture-walk-table")
    result = gr.JSON(label="Block walk", visible=False)
    outputs = [summary, figure, table, result]
    opening = panel("architecture/walk", run.click, block_walk, c, outputs, api_name="block_walk")
    preset_buttons([("Layer 15: the stream arrives large", {"layer": 15, "position": -1}),
                    ("MiniLM: BERT's post-norm block", {"model": config.EMBEDDED_ENCODER, "layer": 0})],
                   c, block_walk, outputs, presets)
    return opening


def build_lens(c: dict) -> Opening:
    gr.Markdown(LENS_INTRO)
    run = gr.Button("Read the lens", variant="primary", elem_id="architecture-lens-run")
    presets = gr.Row()
    summary = gr.Markdown(elem_id="architecture-lens-summary")
    with gr.Row():
        heatmap = gr.Plot(label="Top token per layer and position", elem_id="architecture-lens-plot", scale=3)
        ranks = gr.Plot(label="The final answer, layer by layer", elem_id="architecture-lens-rank", scale=2)
    result = gr.JSON(label="Logit lens", visible=False)
    outputs = [summary, heatmap, ranks, result]
    opening = panel("architecture/lens", run.click, logit_lens, c, outputs, api_name="logit_lens")
    preset_buttons([("A fact: where does Paris form?", {"prompt": PROMPT}),
                    ("A pattern: counting forms by the middle", {"prompt": "1, 2, 3, 4, 5,"})],
                   c, logit_lens, outputs, presets)
    return opening
