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
from playground.ui.components import load_model, on, preset_buttons, settings_from
from playground.ui.opening import Reference

REPEAT = ("Repeat this text exactly: The quick brown fox jumps over the lazy dog. It was a sunny day, and the fox "
          "was very happy to be outside in the warm sunshine with his friends.")
STORY = "Write a short story about a robot who learns to paint."

INTRO = """
### Speculative decoding: draft cheaply, check in one pass
One token costs a read of every weight, and checking several tokens in one forward pass costs about the same. So a
cheap **drafter** proposes a few tokens; the model runs once over them all, keeps the longest prefix it agrees with
and adds one token of its own. Greedy, the text is exactly plain greedy's; sampling, the **rejection rule** keeps
the model's distribution ([Leviathan et al. 2023](https://arxiv.org/abs/2211.17192),
[Chen et al. 2023](https://arxiv.org/abs/2302.01318),
[vLLM's speculative decoding](https://docs.vllm.ai/en/latest/features/spec_decode.html)). This runs transformers'
assisted generation and records every pass. **Prompt lookup** copies what followed the last n-gram where it
appeared before (it pays when the answer repeats its input); **early exit** drafts with the model's first L layers
and its head (the architecture tab's logit lens shows how far a middle layer is from the answer); a **draft
model** is a smaller model with the same tokenizer.
"""


def speculative(model: str, prompt: str, drafter: str, draft_length: int, exit_layer: int, draft_model: str,
                max_new_tokens: int, use_chat_template: bool, do_sample: bool, seed: int, progress=gr.Progress()):
    """Plain decoding and speculative decoding of the same prompt, timed in this request; each target pass's
    drafts, the running totals, and the rejection rule on the first drafted token."""
    settings = settings_from(SpeculativeSettings, locals())
    loaded = load_model(model, progress)
    progress(0.3, desc="Decoding plainly, then with the drafter")
    run = speculative_run(loaded, prompt, settings, use_chat_template)
    kind = "sampling (temperature 1, no truncation)" if settings.do_sample else "greedy"
    verdict = ("**the same tokens as plain greedy**, as it must be" if run.same_as_plain else
               "different tokens from the plain run, as expected when sampling: the two runs draw differently; the "
               "rule below shows why both follow the model's distribution" if settings.do_sample else
               "**different tokens from plain greedy**: that would be a bug")
    text = (f"**{loaded.label}**, {DRAFTERS[settings.drafter]}, drafts of {settings.draft_length}, {kind}: "
            f"{len(run.token_ids)} tokens in **{len(run.steps)} target forward passes** "
            f"({run.tokens_per_forward:.2f} tokens a pass); {run.accepted} of {run.drafted} drafted tokens accepted "
            f"(**{run.acceptance_rate:.0%}**). {run.seconds:.2f} s against {run.plain_seconds[-1]:.2f} s for plain "
            f"decoding of the same prompt in this request: **{run.speedup:.2f}×** its speed per token. The text is "
            f"{verdict}: {visible(loaded.tokenizer.decode(run.token_ids))[:160]!r}.")
    rule_text, rule_fig, rule_payload = rule_on_first_draft(run, loaded.tokenizer, settings.seed)
    payload = {"prompt_tokens": run.prompt_tokens, "token_ids": run.token_ids, "plain_ids": run.plain_ids,
               "same_as_plain": run.same_as_plain, "target_passes": len(run.steps), "drafted": run.drafted,
               "accepted": run.accepted, "acceptance_rate": run.acceptance_rate,
               "tokens_per_forward": run.tokens_per_forward, "seconds": run.seconds,
               "plain_seconds": run.plain_seconds[-1], "speedup": run.speedup,
               "steps": [{"drafted": s.drafted, "accepted": s.accepted, "added": s.added, "seconds": s.seconds}
                         for s in run.steps], "rule": rule_payload}
    return (text, plots.steps_html(run, loaded.tokenizer), plots.run_figure(run), rule_text, rule_fig,
            payload)


def rule_on_first_draft(run, tokenizer, seed: int):
    """The rejection rule on the run's first drafted token: p is the model's distribution there, q the drafter's
    (all on the copied token for prompt lookup), and the empirical check of both rules."""
    first = run.first_draft
    if first is None:
        return ("This run drafted nothing (prompt lookup found no n-gram to copy), so there is no draft to show the "
                "rule on.", empty_figure("No draft in this run"), None)
    p = first.target_logits.softmax(-1)
    q = (first.draft_logits.softmax(-1) if first.draft_logits is not None
         else torch.nn.functional.one_hot(torch.tensor(first.draft_token), len(p)).float())
    step, settings = rule_step(p, q, first.draft_token), RuleSettings(seed=seed)
    checks = [check_rule(p, q, rule, settings) for rule in RULES]
    good, broken = checks
    token = visible(tokenizer.decode([first.draft_token]))
    text = (f"**The rule on the first draft**, '{token}': the model gives it p = {step.p_draft:.3f}, the drafter "
            f"q = {step.q_draft:.3f}, so it is kept with probability min(1, p/q) = **{step.keep_probability:.3f}**; "
            f"a draft from q is rejected with probability Σ max(0, q − p) = {step.rejection_probability:.3f}, and "
            f"then redrawn from max(0, p − q), normalised. Over {settings.draws:,} drafts drawn from q, the rule's "
            f"tokens sit within {good.worst:.2f}× the bound of p on every bin ({'passes' if good.passed else 'FAILS'}"
            f"); always accepting gives q's shares, {broken.worst:.1f}× the bound "
            f"({'passes: p and q agree here' if broken.passed else 'fails, as it must'}).")
    if first.draft_logits is None:
        text += (" Prompt lookup's q is all on the copied token, so the rule keeps it with probability p and redraws "
                 "from p without it: generate does the same by sampling from p and comparing.")
    payload = {"draft_token": first.draft_token, "p_draft": step.p_draft, "q_draft": step.q_draft,
               "keep_probability": step.keep_probability, "draws": settings.draws,
               "checks": [{"rule": c.rule, "bins": c.bins, "p": c.p, "q": c.q, "observed": c.observed,
                           "bounds": c.bounds, "worst": c.worst, "passed": c.passed, "acceptance": c.acceptance}
                          for c in checks]}
    return text, plots.rule_figure(step, checks, settings.draws, tokenizer), payload


def build(shared: dict) -> Reference:
    gr.Markdown(INTRO)
    s = SpeculativeSettings()
    c = dict(shared)
    c["prompt"] = gr.Textbox(value=REPEAT, label="Prompt (this panel's own: prompt lookup needs text to copy)",
                             lines=2, elem_id="internals-spec-prompt")
    with gr.Row():
        c["drafter"] = gr.Dropdown([(label, key) for key, label in DRAFTERS.items()], value=s.drafter,
                                   label="drafter", elem_id="internals-spec-drafter")
        c["draft_length"] = gr.Slider(1, MAX_DRAFT_LENGTH, value=s.draft_length, step=1, label="draft length")
        c["exit_layer"] = gr.Number(value=s.exit_layer, precision=0, label="early exit: layers L", minimum=1,
                                    elem_id="internals-spec-exit")
        c["draft_model"] = gr.Textbox(value=s.draft_model, label="draft model (same tokenizer)")
    with gr.Row():
        c["max_new_tokens"] = gr.Slider(1, MAX_SPECULATIVE_TOKENS, value=s.max_new_tokens, step=1,
                                        label="max new tokens")
        c["use_chat_template"] = gr.Checkbox(value=True, label="chat template")
        c["do_sample"] = gr.Checkbox(value=s.do_sample, label="sample (temperature 1)")
        c["seed"] = gr.Number(value=s.seed, precision=0, label="seed", minimum=0)
    run = gr.Button("Decode plainly and speculatively", variant="primary", elem_id="internals-spec-run")
    presets = gr.Row()
    summary = gr.Markdown(elem_id="internals-spec-summary")
    steps = gr.HTML(elem_id="internals-spec-steps")
    figure = gr.Plot(label="Passes and the clock", elem_id="internals-spec-plot")
    rule_text = gr.Markdown(elem_id="internals-spec-rule")
    rule_fig = gr.Plot(label="The rejection rule", elem_id="internals-spec-rule-plot")
    spec_json = gr.JSON(label="Speculative decoding", visible=False)
    outputs = [summary, steps, figure, rule_text, rule_fig, spec_json]
    on(run.click, speculative, c, outputs, api_name="speculative")
    copying = {"drafter": "prompt_lookup", "draft_length": 8, "max_new_tokens": 64, "do_sample": False}
    exiting = {"prompt": STORY, "drafter": "early_exit", "draft_length": 4, "max_new_tokens": 32}
    preset_buttons([
        ("Repeating a text: prompt lookup copies it", {**copying, "prompt": REPEAT}),
        ("An open-ended story: little to copy", {**copying, "prompt": STORY}),
        ("Early exit at 12 layers", {**exiting, "exit_layer": 12, "do_sample": False}),
        ("Early exit at 28 layers", {**exiting, "exit_layer": 28, "do_sample": False}),
        ("Sampling: the rule with an early-exit drafter", {**exiting, "exit_layer": 28, "do_sample": True}),
    ], c, speculative, outputs, presets)
    return Reference("internals/speculative", reference.shipped("internals", "speculative"), speculative, c, outputs)
