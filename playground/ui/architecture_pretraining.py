"""The architecture tab's masks of pretraining: BERT's MLM (transformers' own collator), T5's span corruption and
the next-token labels, on one sentence the learner types; the MLM rates over many draws."""

import gradio as gr

from playground.architecture import pretraining_plots
from playground.architecture.next_token_labels import USER_TURN
from playground.architecture.pretraining import OBJECTIVES, fill_mask, mlm_rates as count_rates, \
    pretraining_masks as draw_masks
from playground.architecture.span_corruption import MEAN_SPAN_LENGTH, NOISE_DENSITY
from playground.core.visible import visible
from playground.ui.components import on, preset_buttons
from playground.ui.opening import Opening, panel

INTRO = """### What each model was trained to predict
**BERT** ([Devlin et al., 2018](https://arxiv.org/abs/1810.04805)) hides 15% of the tokens and predicts them from
both sides; of the picked ones 80% become `[MASK]`, 10% a random token and 10% stay, so that fine-tuning, which
never shows `[MASK]`, does not surprise it. BERT also trained *next sentence prediction* (NSP: is B the sentence
after A?); RoBERTa ([Liu et al., 2019](https://arxiv.org/abs/1907.11692)) dropped it and did as well or better.
**T5** ([Raffel et al., 2019](https://arxiv.org/abs/1910.10683)) cuts spans out and has the decoder write them back
after sentinels. **GPT, LLaMA and Qwen** predict every next token, and a chat fine-tune takes the loss on the
reply alone. MLM and span corruption run on MiniLM's WordPiece tokens (BERT-base's vocabulary), the next-token
labels on SmolLM2's.
"""
TEXT = "BERT reads both sides of a gap, while GPT reads from left to right and predicts the next word."
PARAGRAPH = ("Thank you for inviting me to your party last week. The music was loud, the food was even better, "
             "and I met three people who work on language models. We talked about masks, spans and the next token "
             "until midnight.")
FILL_MODEL = "bert-base-uncased"
SEED = 28  # on TEXT: 4 picked (15% of 23 expects 3.5), and each of [MASK], random and unchanged once or more
LABELS = {"mlm": "BERT: masked LM", "span_corruption": "T5: span corruption", "next_token": "GPT / LLaMA: next token"}


def pretraining_masks(text: str, objective: str, seed: int, fill_model: str = FILL_MODEL):
    """One draw of a pretraining objective on `text`: `mlm` (transformers' DataCollatorForLanguageModeling at 0.15,
    seeded), `span_corruption` (T5's, noise 0.15, mean span 3) or `next_token` (labels, and a chat fine-tune's).
    For `mlm`, `fill_model` (a Hub id or allowed folder of a BERT with its MLM head; empty for none) guesses."""
    drawn = draw_masks(text, objective, seed)
    payload = drawn.payload()
    if objective == "mlm":
        filled = fill_mask(drawn, fill_model) if (fill_model or "").strip() else None
        payload["fill_mask"] = filled and filled.payload()
        return mlm_summary(drawn, filled), pretraining_plots.mlm_figure(drawn), payload
    if objective == "span_corruption":
        return span_summary(drawn), pretraining_plots.span_figure(drawn), payload
    return next_summary(drawn), pretraining_plots.next_token_figure(drawn), payload


def mlm_summary(d, filled) -> str:
    counts = {fate: d.fates.count(fate) for fate in ("[MASK]", "random", "unchanged")}
    ordinary = len(d.tokens) - d.fates.count("special")
    picked = sum(counts.values())
    text = (f"transformers' `DataCollatorForLanguageModeling` (seed {d.seed}) picked **{picked}** of {ordinary} "
            f"ordinary tokens (15% expects {0.15 * ordinary:.1f}): {counts['[MASK]']} became `[MASK]`, "
            f"{counts['random']} a random token, {counts['unchanged']} stayed. The loss is taken at those {picked} "
            "positions only: their labels hold the original ids, every other label is −100.")
    if filled is None:
        return text
    if filled.unavailable:
        return f"{text}\n\n**Fill-mask:** none here. {filled.unavailable}"
    guesses = "; ".join(f"“{p['original']}” → " + ", ".join(f"{g} {q:.2f}" for g, q in p["top"])
                        for p in filled.predictions)
    return f"{text}\n\n**Fill-mask** by {filled.model}: {guesses}."


def span_summary(s) -> str:
    return (f"{sum(s.noise)} of {len(s.tokens)} tokens (round({NOISE_DENSITY} · n)) cut in {len(s.span_lengths)} "
            f"span(s) of {', '.join(map(str, s.span_lengths))} (mean {MEAN_SPAN_LENGTH:g} over long texts). The "
            f"encoder reads {len(s.encoder_input)} tokens with one sentinel per span; the decoder writes only "
            f"{len(s.decoder_target)}: each sentinel and the span it hides. Written here from transformers' example "
            "script, which is the only place it ships.")


def next_summary(labels) -> str:
    p, f = labels.pretraining, labels.fine_tune
    text = (f"Pretraining: each of the {len(p.tokens)} positions is trained on the token after it, "
            f"{p.loss_positions} losses (the last position's next token is not in the text).")
    if f is None:
        return text
    return (f"{text} Chat fine-tune (your text as the reply to “{USER_TURN}”): {len(f.tokens)} tokens, but the loss "
            f"covers only the {f.loss_positions} that predict the reply and its end "
            f"“{visible(next(t for t in reversed(f.targets) if t))}”"
            "; the template, system and user turns are labelled −100.")


def mlm_rates(text: str, draws: int, seed: int):
    """`draws` MLM corruptions of `text` by one seeded collator: the shares picked, [MASK], random and unchanged
    against BERT's 15% and 80/10/10, each with a binomial bound of 4 standard deviations."""
    rates = count_rates(text, draws, seed)
    verdict = "every share lies within its bound" if rates.holds else "a share falls OUTSIDE its bound"
    lines = ", ".join(f"{r.name.split(' (')[0]} {r.observed:.3f} (expected {r.expected:.3f} ± {r.bound:.3f})"
                      for r in rates.rates)
    return f"Over **{rates.draws:,}** draws {verdict}: {lines}.", pretraining_plots.rates_figure(rates), \
        rates.payload()


def build(c: dict) -> list[Opening]:
    gr.Markdown(INTRO)
    with gr.Row(equal_height=True):
        c["text"] = gr.Textbox(label="Sentence", value=TEXT, lines=2, scale=3, elem_id="architecture-text")
        with gr.Column(scale=2):
            c["objective"] = gr.Radio([(label, key) for key, label in LABELS.items()], value=OBJECTIVES[0],
                                      label="Objective", elem_id="architecture-objective")
            with gr.Row():
                c["seed"] = gr.Number(value=SEED, precision=0, label="seed", minimum=0, elem_id="architecture-seed")
                c["fill_model"] = gr.Textbox(value=FILL_MODEL, label="fill-mask model (an MLM head)")
    with gr.Row():
        run = gr.Button("Draw", variant="primary", elem_id="architecture-draw")
        again = gr.Button("Draw again (next seed)", elem_id="architecture-draw-again")
    presets = gr.Row()
    summary = gr.Markdown(elem_id="architecture-masks-summary")
    figure = gr.Plot(label="The sentence, as the objective sees it", elem_id="architecture-masks-plot")
    result = gr.JSON(label="Pretraining masks", visible=False)
    outputs = [summary, figure, result]
    opening = panel("architecture/masks", run.click, pretraining_masks, c, outputs, api_name="pretraining_masks")
    on(c["objective"].input, pretraining_masks, c, outputs, api_visibility="private")
    next_seed = again.click(lambda seed: int(seed or 0) + 1, c["seed"], c["seed"], api_visibility="private")
    on(next_seed.then, pretraining_masks, c, outputs, api_visibility="private")
    with gr.Row(equal_height=True):
        c["draws"] = gr.Number(value=1000, precision=0, label="draws", minimum=1, maximum=10_000)
        count = gr.Button("Count the MLM rates over these draws", elem_id="architecture-rates-run")
    rates_summary = gr.Markdown(elem_id="architecture-rates-summary")
    rates_plot = gr.Plot(label="MLM rates", elem_id="architecture-rates-plot")
    rates_json = gr.JSON(label="MLM rates", visible=False)
    rates_outputs = [rates_summary, rates_plot, rates_json]
    preset_buttons([("T5's spans on a paragraph", {"objective": "span_corruption", "text": PARAGRAPH})], c,
                   pretraining_masks, outputs, presets)
    rates = panel("architecture/rates", count.click, mlm_rates, c, rates_outputs, api_name="mlm_rates")
    preset_buttons([("The MLM rates over 10,000 draws", {"draws": 10_000})], c, mlm_rates, rates_outputs, presets)
    return [opening, rates]
