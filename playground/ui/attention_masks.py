"""The attention tab's masks: edit the mask and watch the prediction, the masks models really apply (padding,
packing, BERT, T5), and padding side proven."""

import gradio as gr

from playground.attention import plots
from playground.attention.edit_mask import cells_from_text, edit_and_predict
from playground.attention.explain import edit_markdown, masks_markdown
from playground.attention.extraction import tokenize
from playground.attention.masks import MASK_KINDS, packing_gap, view_mask
from playground.attention.padding import padding_proof
from playground.attention.t5_masks import t5_panels
from playground.attention.words import WORDS
from playground.core import models
from playground.core.visible import token_pieces
from playground.ui.components import headers, load_model, on, table
from playground.ui.i18n import static
from playground.ui.i18n.attention import ATTENTION
from playground.ui.opening import Opening, on_defaults, run_on_defaults, shown_by

PADDING_COLUMNS = ["column.run", "column.continuation", "column.gap"]
MASK_PROMPTS = ["The capital of France is", "Hi there"]


def block_cells(model: str, prompt: str, use_chat_template: bool, cells_text: str, progress=gr.Progress()):
    """The [query, key] pairs that the typed cells or words name, for this prompt."""
    loaded = load_model(model, progress)
    return cells_from_text(token_pieces(loaded.tokenizer, tokenize(loaded, prompt, use_chat_template)), cells_text)


def edit_mask(model: str, prompt: str, blocked: list[list[int]], use_chat_template: bool, progress=gr.Progress()):
    """The next token before and after forbidding the `blocked` [query, key] cells in every layer and head."""
    loaded = load_model(model, progress)
    token_ids = tokenize(loaded, prompt, use_chat_template)
    edit = edit_and_predict(loaded, token_ids, blocked)
    tokens = token_pieces(loaded.tokenizer, token_ids)
    before, after = edit.top(edit.before, loaded.tokenizer), edit.top(edit.after, loaded.tokenizer)
    return (
        edit_markdown(tokens, edit.cells, before, after, edit.after), plots.before_after_figure(before, after),
        plots.edited_mask_figure(edit.mask, plots.token_labels(tokens), edit.cells),
        {"tokens": tokens, "blocked": [list(c) for c in edit.cells], "before": before, "after": after},
    )


def _t5_masks(prompts: list[str]):
    t5 = models.tiny_t5()
    panels = t5_panels(t5, prompts)
    same = all(p.matches_reference for p in panels)
    text = ATTENTION.text("t5_masks", kind=WORDS.text("mask.t5"),
                          same=WORDS.text("same_as" if same else "different"))
    payload = {"model": t5.label, "kind": "t5", "matches_masking_utils": same,
               "panels": [{"name": p.name, "query_tokens": p.query_tokens, "key_tokens": p.key_tokens,
                           "mask": p.allowed.int().tolist()} for p in panels]}
    return text, plots.panels_figure(panels), payload


def masks(model: str, prompts: list[str], mask_kind: str, window: int, progress=gr.Progress()):
    """The mask the model applied to a batch of two prompts, beside the attention it produced. The bidirectional
    kind runs on the embedded MiniLM (BERT) encoder and the t5 kind on a tiny T5, whatever the model."""
    if mask_kind == "t5":
        return _t5_masks(prompts)
    loaded = models.load_encoder() if mask_kind == "bidirectional" else load_model(model, progress)
    view = view_mask(loaded.model, loaded.tokenizer, prompts, mask_kind, window)
    payload = {"model": loaded.label, "kind": view.kind, "tokens": view.tokens,
               "mask": view.allowed.int().tolist(), "matches_masking_utils": view.matches_reference,
               "forbidden_weight": view.forbidden_weight, "row_sum_error": view.row_sum_error}
    text = masks_markdown(view, loaded.label)
    if mask_kind == "packed":
        gap, counting_on = (packing_gap(loaded.model, loaded.tokenizer, prompts, restart) for restart in (True, False))
        payload.update(packing_gap=gap, packing_gap_without_restart=counting_on)
        text += "\n\n" + ATTENTION.text("packing", gap=gap, counting_on=counting_on)
    return text, plots.panels_figure(view.panels()), payload


def show_padding(proof):
    """The padding proof's summary, table and JSON, in the request's language."""
    rows = [[ATTENTION.text("alone"), proof.alone, "—"]] + [
        [ATTENTION.text("side_padding", side=ATTENTION.text(f"side.{run.side}")), run.continuation,
         f"{run.last_logits_gap:.2g}"] for run in proof.runs]
    verdict = {run.side: ATTENTION.text("same" if run.continuation == proof.alone else "different")
               for run in proof.runs}
    text = ATTENTION.text("padding_summary", prompt=proof.prompt, left=verdict["left"], right=verdict["right"])
    payload = {"prompt": proof.prompt, "alone": proof.alone,
               **{run.side: {"continuation": run.continuation, "last_logits_gap": run.last_logits_gap}
                  for run in proof.runs}}
    return text, table(ATTENTION, PADDING_COLUMNS, rows), payload


@shown_by(show_padding)
def padding_side(model: str, prompts: list[str], progress=gr.Progress()):
    """Both prompts in one batch, padded left and then right: the shorter one's greedy continuation and last-token
    logits, against the same prompt run alone."""
    return padding_proof(load_model(model, progress), prompts)


def build_edit(c: dict) -> list[Opening]:
    """Block cells and watch the prediction (`c`: the tab's controls; adds the cells)."""
    gr.Markdown(ATTENTION("edit_intro"))
    with gr.Row():
        c["cells_text"] = gr.Textbox(value="Italy", label=ATTENTION("cells"), scale=3, elem_id="attention-cells")
        c["blocked"] = gr.JSON(value=[], label=ATTENTION("blocked"), scale=2)
    with gr.Row():
        block = gr.Button(ATTENTION("block"), variant="primary")
        example = gr.Button(ATTENTION("example"))
    edit_summary = gr.Markdown(elem_id="attention-edit")
    with gr.Row():
        edit_bars = gr.Plot(label=ATTENTION("edit.bars"), elem_id="attention-edit-bars")
        edit_mask_plot = gr.Plot(label=ATTENTION("edit.mask"))
    edit_json = gr.JSON(label=ATTENTION("edit.json"), visible=False)
    edit_outputs = [edit_summary, edit_bars, edit_mask_plot, edit_json]
    on(on(block.click, block_cells, c, [c["blocked"]], api_visibility="private").success,
       edit_mask, c, edit_outputs, api_name="edit_mask")
    filled = example.click(lambda: ("The capital of France is", False, "France"), None,
                           [c["prompt"], c["use_chat_template"], c["cells_text"]], api_visibility="private")
    on(on(filled.then, block_cells, c, [c["blocked"]], api_visibility="private").success,
       edit_mask, c, edit_outputs, api_visibility="private")

    def opening():
        blocked = run_on_defaults(block_cells, c)
        return [blocked, *run_on_defaults(edit_mask, c, blocked=blocked)]
    return [Opening("attention/edit", opening, [c["blocked"], *edit_outputs])]


def build_masks(c: dict) -> list[Opening]:
    """The masks models really apply, and padding side proven (`c`: adds the prompts, kind and window)."""
    gr.Markdown(ATTENTION("masks_intro"))
    with gr.Row():
        c["prompts"] = gr.Dropdown(choices=MASK_PROMPTS, value=MASK_PROMPTS, multiselect=True, allow_custom_value=True,
                                   label=ATTENTION("prompts"), scale=3)
        c["mask_kind"] = gr.Dropdown(choices=[(static(WORDS, f"mask_name.{kind}"), kind) for kind in MASK_KINDS],
                                     value="padding_left", label=ATTENTION("mask"), elem_id="attention-mask-kind")
        c["window"] = gr.Number(value=3, precision=0, label=ATTENTION("window"))
    show_mask = gr.Button(ATTENTION("masks.run"), elem_id="attention-masks-run")
    masks_summary = gr.Markdown(elem_id="attention-masks")
    masks_plot = gr.Plot(label=ATTENTION("masks.plot"), elem_id="attention-masks-plot")
    masks_json = gr.JSON(label=ATTENTION("mask"), visible=False)
    masks_outputs = [masks_summary, masks_plot, masks_json]
    on(show_mask.click, masks, c, masks_outputs, api_name="masks")
    on(c["mask_kind"].input, masks, c, masks_outputs, api_visibility="private")

    prove = gr.Button(ATTENTION("prove"))
    padding_summary = gr.Markdown(elem_id="attention-padding")
    padding_table = gr.Dataframe(headers=headers(ATTENTION, PADDING_COLUMNS), label=ATTENTION("padding.table"),
                                 wrap=True)
    padding_json = gr.JSON(label=ATTENTION("padding.json"), visible=False)
    padding_outputs = [padding_summary, padding_table, padding_json]
    on(prove.click, padding_side, c, padding_outputs, api_name="padding_side")
    return [on_defaults("attention/masks", masks, c, masks_outputs),
            on_defaults("attention/padding", padding_side, c, padding_outputs)]
