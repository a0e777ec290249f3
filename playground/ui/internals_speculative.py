"""The internals tab's speculative decoding panel: a drafter proposes, the model checks every draft in one forward
pass, and the text is plain greedy's, token for token; with sampling, the rejection rule on one real step."""

import gradio as gr
import torch

from playground.core import reference
from playground.core.plots import empty_figure
from playground.core.visible import visible
from playground.internals import speculative_plots as plots
from playground.internals.speculative import (
    DRAFTERS,
    MAX_DRAFT_LENGTH,
    MAX_SPECULATIVE_TOKENS,
    SpeculativeSettings,
    speculative_run,
)
from playground.internals.speculative_rule import RULES, RuleSettings, check_rule, rule_step
from playground.internals.words import WORDS
from playground.ui.components import load_model, on, preset_buttons, settings_from
from playground.ui.i18n import static
from playground.ui.i18n.common import COMMON
from playground.ui.i18n.internals import INTERNALS
from playground.ui.i18n.internals_speculative import SPECULATIVE
from playground.ui.opening import Reference, shown_by

REPEAT = ("Repeat this text exactly: The quick brown fox jumps over the lazy dog. It was a sunny day, and the fox "
          "was very happy to be outside in the warm sunshine with his friends.")
STORY = "Write a short story about a robot who learns to paint."



def show_speculative(measured):
    """The panel's outputs for one measurement, in the request's language."""
    loaded, settings, run, rule = measured
    kind = SPECULATIVE.text("sampling" if settings.do_sample else "greedy")
    verdict = SPECULATIVE.text("same" if run.same_as_plain else "sampled" if settings.do_sample else "bug")
    text = SPECULATIVE.text(
        "summary", model=loaded.label, drafter=WORDS.text(f"drafter.{settings.drafter}"), length=settings.draft_length,
        kind=kind, tokens=len(run.token_ids), passes=len(run.steps), per_pass=run.tokens_per_forward,
        accepted=run.accepted, drafted=run.drafted, rate=run.acceptance_rate, seconds=run.seconds,
        plain=run.plain_seconds[-1], speedup=run.speedup, verdict=verdict,
        text=repr(visible(loaded.tokenizer.decode(run.token_ids))[:160]))
    rule_text, rule_fig, rule_payload = show_rule(rule, loaded.tokenizer)
    payload = {"prompt_tokens": run.prompt_tokens, "token_ids": run.token_ids, "plain_ids": run.plain_ids,
               "same_as_plain": run.same_as_plain, "target_passes": len(run.steps), "drafted": run.drafted,
               "accepted": run.accepted, "acceptance_rate": run.acceptance_rate,
               "tokens_per_forward": run.tokens_per_forward, "seconds": run.seconds,
               "plain_seconds": run.plain_seconds[-1], "speedup": run.speedup,
               "steps": [{"drafted": s.drafted, "accepted": s.accepted, "added": s.added, "seconds": s.seconds}
                         for s in run.steps], "rule": rule_payload}
    return (text, plots.steps_html(run, loaded.tokenizer), plots.run_figure(run), rule_text, rule_fig,
            payload)


@shown_by(show_speculative)
def speculative(model: str, prompt: str, drafter: str, draft_length: int, exit_layer: int, draft_model: str,
                max_new_tokens: int, use_chat_template: bool, do_sample: bool, seed: int, progress=gr.Progress()):
    """Plain decoding and speculative decoding of the same prompt, timed in this request; each target pass's
    drafts, the running totals, and the rejection rule on the first drafted token."""
    settings = settings_from(SpeculativeSettings, locals())
    loaded = load_model(model, progress)
    progress(0.3, desc=SPECULATIVE.text("decoding"))
    run = speculative_run(loaded, prompt, settings, use_chat_template)
    return loaded, settings, run, rule_on_first_draft(run, settings.seed)


def rule_on_first_draft(run, seed: int):
    """The rejection rule on the run's first drafted token: p is the model's distribution there, q the drafter's
    (all on the copied token for prompt lookup), and the empirical check of both rules; None if nothing was
    drafted."""
    first = run.first_draft
    if first is None:
        return None
    p = first.target_logits.softmax(-1)
    q = (first.draft_logits.softmax(-1) if first.draft_logits is not None
         else torch.nn.functional.one_hot(torch.tensor(first.draft_token), len(p)).float())
    step, settings = rule_step(p, q, first.draft_token), RuleSettings(seed=seed)
    return first, step, settings, [check_rule(p, q, rule, settings) for rule in RULES]


def show_rule(rule, tokenizer):
    if rule is None:
        return SPECULATIVE.text("no_draft"), empty_figure(WORDS.text("rule.none")), None
    first, step, settings, checks = rule
    good, broken = checks
    text = SPECULATIVE.text(
        "rule", token=visible(tokenizer.decode([first.draft_token])), p=step.p_draft, q=step.q_draft,
        keep=step.keep_probability, reject=step.rejection_probability, draws=settings.draws, worst=good.worst,
        verdict=WORDS.text("rule.passes" if good.passed else "rule.fails"), broken=broken.worst,
        broken_verdict=SPECULATIVE.text("broken.passes" if broken.passed else "broken.fails"))
    if first.draft_logits is None:
        text += SPECULATIVE.text("lookup")
    payload = {"draft_token": first.draft_token, "p_draft": step.p_draft, "q_draft": step.q_draft,
               "keep_probability": step.keep_probability, "draws": settings.draws,
               "checks": [{"rule": c.rule, "bins": c.bins, "p": c.p, "q": c.q, "observed": c.observed,
                           "bounds": c.bounds, "worst": c.worst, "passed": c.passed, "acceptance": c.acceptance}
                          for c in checks]}
    return text, plots.rule_figure(step, checks, settings.draws, tokenizer), payload


def build(shared: dict) -> Reference:
    gr.Markdown(SPECULATIVE("intro"))
    s = SpeculativeSettings()
    c = dict(shared)
    c["prompt"] = gr.Textbox(value=REPEAT, label=SPECULATIVE("prompt"),
                             lines=2, elem_id="internals-spec-prompt")
    with gr.Row():
        c["drafter"] = gr.Dropdown([(static(WORDS, f"drafter.{key}"), key) for key in DRAFTERS], value=s.drafter,
                                   label=SPECULATIVE("drafter"), elem_id="internals-spec-drafter")
        c["draft_length"] = gr.Slider(1, MAX_DRAFT_LENGTH, value=s.draft_length, step=1,
                                      label=SPECULATIVE("draft_length"))
        c["exit_layer"] = gr.Number(value=s.exit_layer, precision=0, label=SPECULATIVE("exit_layer"), minimum=1,
                                    elem_id="internals-spec-exit")
        c["draft_model"] = gr.Textbox(value=s.draft_model, label=SPECULATIVE("draft_model"))
    with gr.Row():
        c["max_new_tokens"] = gr.Slider(1, MAX_SPECULATIVE_TOKENS, value=s.max_new_tokens, step=1,
                                        label=SPECULATIVE("max_new_tokens"))
        c["use_chat_template"] = gr.Checkbox(value=True, label=COMMON("chat_template"))
        c["do_sample"] = gr.Checkbox(value=s.do_sample, label=SPECULATIVE("do_sample"))
        c["seed"] = gr.Number(value=s.seed, precision=0, label="seed", minimum=0)
    run = gr.Button(SPECULATIVE("run"), variant="primary", elem_id="internals-spec-run")
    presets = gr.Row()
    summary = gr.Markdown(elem_id="internals-spec-summary")
    steps = gr.HTML(elem_id="internals-spec-steps")
    figure = gr.Plot(label=SPECULATIVE("plot"), elem_id="internals-spec-plot")
    rule_text = gr.Markdown(elem_id="internals-spec-rule")
    rule_fig = gr.Plot(label=SPECULATIVE("rule_plot"), elem_id="internals-spec-rule-plot")
    spec_json = gr.JSON(label=INTERNALS("tab.speculative"), visible=False)
    outputs = [summary, steps, figure, rule_text, rule_fig, spec_json]
    on(run.click, speculative, c, outputs, api_name="speculative")
    copying = {"drafter": "prompt_lookup", "draft_length": 8, "max_new_tokens": 64, "do_sample": False}
    exiting = {"prompt": STORY, "drafter": "early_exit", "draft_length": 4, "max_new_tokens": 32}
    preset_buttons([
        (SPECULATIVE("preset.repeat"), {**copying, "prompt": REPEAT}),
        (SPECULATIVE("preset.story"), {**copying, "prompt": STORY}),
        (SPECULATIVE("preset.exit12"), {**exiting, "exit_layer": 12, "do_sample": False}),
        (SPECULATIVE("preset.exit28"), {**exiting, "exit_layer": 28, "do_sample": False}),
        (SPECULATIVE("preset.sampling"), {**exiting, "exit_layer": 28, "do_sample": True}),
    ], c, speculative, outputs, presets)
    return Reference("internals/speculative", reference.shipped("internals", "speculative"), speculative, c, outputs)
