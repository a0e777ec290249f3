"""The architecture tab's masks of pretraining: BERT's MLM (transformers' own collator), T5's span corruption and
the next-token labels, on one sentence the learner types; the MLM rates over many draws."""

import gradio as gr

from playground.architecture import pretraining_plots
from playground.architecture.next_token_labels import USER_TURN
from playground.architecture.pretraining import OBJECTIVES, fill_mask, mlm_rates as count_rates, \
    pretraining_masks as draw_masks
from playground.architecture.span_corruption import MEAN_SPAN_LENGTH, NOISE_DENSITY
from playground.architecture.words import WORDS
from playground.core.visible import visible
from playground.ui.components import on, preset_buttons
from playground.ui.i18n.architecture import ARCHITECTURE
from playground.ui.opening import Opening, panel

TEXT = "BERT reads both sides of a gap, while GPT reads from left to right and predicts the next word."
PARAGRAPH = ("Thank you for inviting me to your party last week. The music was loud, the food was even better, "
             "and I met three people who work on language models. We talked about masks, spans and the next token "
             "until midnight.")
FILL_MODEL = "bert-base-uncased"
SEED = 28  # on TEXT: 4 picked (15% of 23 expects 3.5), and each of [MASK], random and unchanged once or more


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
    text = ARCHITECTURE.text("mlm_summary", seed=d.seed, picked=picked, ordinary=ordinary, expects=0.15 * ordinary,
                             masked=counts["[MASK]"], random=counts["random"], unchanged=counts["unchanged"])
    if filled is None:
        return text
    if filled.unavailable:
        return f"{text}\n\n{ARCHITECTURE.text('fill_none', why=filled.unavailable)}"
    guesses = "; ".join(f"“{p['original']}” → " + ", ".join(f"{g} {q:.2f}" for g, q in p["top"])
                        for p in filled.predictions)
    return f"{text}\n\n{ARCHITECTURE.text('fill', model=filled.model, guesses=guesses)}"


def span_summary(s) -> str:
    return ARCHITECTURE.text(
        "span_summary", cut=sum(s.noise), count=len(s.tokens), density=NOISE_DENSITY, spans=len(s.span_lengths),
        lengths=", ".join(map(str, s.span_lengths)), mean=MEAN_SPAN_LENGTH, encoder=len(s.encoder_input),
        decoder=len(s.decoder_target))


def next_summary(labels) -> str:
    p, f = labels.pretraining, labels.fine_tune
    text = ARCHITECTURE.text("next_summary", count=len(p.tokens), loss=p.loss_positions)
    if f is None:
        return text
    return ARCHITECTURE.text("fine_tune_summary", text=text, user=USER_TURN, count=len(f.tokens),
                             loss=f.loss_positions, end=visible(next(t for t in reversed(f.targets) if t)))


def mlm_rates(text: str, draws: int, seed: int):
    """`draws` MLM corruptions of `text` by one seeded collator: the shares picked, [MASK], random and unchanged
    against BERT's 15% and 80/10/10, each with a binomial bound of 4 standard deviations."""
    rates = count_rates(text, draws, seed)
    verdict = WORDS.text("rates.within" if rates.holds else "rates.outside")
    lines = ", ".join(ARCHITECTURE.text("rate_line", name=short_name(r), observed=r.observed, expected=r.expected,
                                        bound=r.bound) for r in rates.rates)
    return ARCHITECTURE.text("rates_summary", draws=rates.draws, verdict=verdict, lines=lines), \
        pretraining_plots.rates_figure(rates), rates.payload()


def short_name(rate) -> str:
    """"picked", "[MASK]", "random", "unchanged": the rate's name without what it is a share of."""
    return WORDS.text(f"rate.{rate.name}").split(" (")[0].split("（")[0]


def build(c: dict) -> list[Opening]:
    gr.Markdown(ARCHITECTURE("masks_intro"))
    with gr.Row(equal_height=True):
        c["text"] = gr.Textbox(label=ARCHITECTURE("sentence"), value=TEXT, lines=2, scale=3,
                               elem_id="architecture-text")
        with gr.Column(scale=2):
            c["objective"] = gr.Radio([(ARCHITECTURE(f"objective.{key}"), key) for key in OBJECTIVES],
                                      value=OBJECTIVES[0], label=ARCHITECTURE("objective"),
                                      elem_id="architecture-objective")
            with gr.Row():
                c["seed"] = gr.Number(value=SEED, precision=0, label="seed", minimum=0, elem_id="architecture-seed")
                c["fill_model"] = gr.Textbox(value=FILL_MODEL, label=ARCHITECTURE("fill_model"))
    with gr.Row():
        run = gr.Button(ARCHITECTURE("draw"), variant="primary", elem_id="architecture-draw")
        again = gr.Button(ARCHITECTURE("draw_again"), elem_id="architecture-draw-again")
    presets = gr.Row()
    summary = gr.Markdown(elem_id="architecture-masks-summary")
    figure = gr.Plot(label=ARCHITECTURE("masks.plot"), elem_id="architecture-masks-plot")
    result = gr.JSON(label=ARCHITECTURE("tab.masks"), visible=False)
    outputs = [summary, figure, result]
    opening = panel("architecture/masks", run.click, pretraining_masks, c, outputs, api_name="pretraining_masks")
    on(c["objective"].input, pretraining_masks, c, outputs, api_visibility="private")
    next_seed = again.click(lambda seed: int(seed or 0) + 1, c["seed"], c["seed"], api_visibility="private")
    on(next_seed.then, pretraining_masks, c, outputs, api_visibility="private")
    with gr.Row(equal_height=True):
        c["draws"] = gr.Number(value=1000, precision=0, label=ARCHITECTURE("draws"), minimum=1, maximum=10_000)
        count = gr.Button(ARCHITECTURE("count"), elem_id="architecture-rates-run")
    rates_summary = gr.Markdown(elem_id="architecture-rates-summary")
    rates_plot = gr.Plot(label=ARCHITECTURE("rates.plot"), elem_id="architecture-rates-plot")
    rates_json = gr.JSON(label=ARCHITECTURE("rates.plot"), visible=False)
    rates_outputs = [rates_summary, rates_plot, rates_json]
    preset_buttons([(ARCHITECTURE("preset.spans"), {"objective": "span_corruption", "text": PARAGRAPH})], c,
                   pretraining_masks, outputs, presets)
    rates = panel("architecture/rates", count.click, mlm_rates, c, rates_outputs, api_name="mlm_rates")
    preset_buttons([(ARCHITECTURE("preset.rates"), {"draws": 10_000})], c, mlm_rates, rates_outputs, presets)
    return [opening, rates]
