"""The attention tab's findings in words: pure functions, data in, Markdown out."""

from playground.attention.cell import RowMaths
from playground.attention.extraction import Attention, AttentionSettings
from playground.attention.heads import STATISTICS, head_scores, ranked
from playground.attention.masks import MASK_KINDS, MaskView
from playground.core.visible import visible


def summary_markdown(attention: Attention, settings: AttentionSettings) -> str:
    stat = STATISTICS[settings.statistic]
    top = ranked(head_scores(attention.weights, attention.token_ids, settings.statistic), settings.statistic)
    heads = ", ".join(f"layer {layer} head {head} ({value:.3f})" for layer, head, value in top)
    warn = f"\n\n⚠️ {attention.model_label} has random weights: no head has learned a job." \
        if attention.random_weights else ""
    return (
        f"**{attention.model_label}**: {attention.num_layers} layers × {attention.num_heads} heads "
        f"({attention.num_kv_heads} KV heads), {len(attention.tokens)} tokens, {attention.shown}. "
        f"**Top heads by {stat.label}** ({stat.explanation}): {heads}. Set layer and head to look at one.{warn}"
    )


def mask_text(value: float) -> str:
    return "0" if value == 0 else f"{value:.3g} (−∞: forbidden)" if value < -1e30 else f"{value:.4g}"


def cell_markdown(maths: RowMaths, tokens: list[str], key: int) -> str:
    q, k = maths.query, key
    scale = "× 1 (T5 does not divide by √d)" if maths.scaling == 1 else f"× 1/√{round(maths.scaling ** -2)}"
    bias = f" + position bias {maths.bias[k]:.4f};" if bool((maths.bias != 0).any()) else ""
    if maths.mask[k] < -1e30:
        verdict = "the mask forbids this key, so its weight is exactly 0"
    else:
        verdict = f"softmax over the row's {len(maths.dots)} scores = **{maths.weights[k]:.6f}**"
    return (
        f"**Query {q} ({visible(tokens[q])}) → key {k} ({visible(tokens[k])})**, layer {maths.layer}, head "
        f"{maths.head} (KV head {maths.kv_head}): q·k = {maths.dots[k]:.4f}; {scale} = "
        f"{maths.dots[k] * maths.scaling:.4f};{bias} + mask {mask_text(float(maths.mask[k]))}; {verdict}. "
        f"The model's own weight: {maths.model_weights[k]:.6f} "
        f"(difference {abs(float(maths.weights[k] - maths.model_weights[k])):.1e})."
    )


def edit_markdown(tokens: list[str], cells: list, before: list[dict], after: list[dict], after_probs) -> str:
    shown = ", ".join(f"query {q} ({visible(tokens[q])}) ↛ key {k} ({visible(tokens[k])})" for q, k in cells)
    first, now = before[0], after[0]
    return (
        f"**Blocked {len(cells)} cell(s)**: {shown or 'none'}. The most likely next token was "
        f"{visible(first['text'])} (p = {first['prob']:.3f}); with the edit it is {visible(now['text'])} "
        f"(p = {now['prob']:.3f}), and {visible(first['text'])} now has p = {float(after_probs[first['id']]):.3f}."
    )


def masks_markdown(view: MaskView, model_label: str) -> str:
    same = "the same as" if view.matches_reference else "**different from**"
    return (
        f"**{MASK_KINDS[view.kind]}.** Caught at {model_label}'s first attention layer, and {same} what "
        f"`masking_utils` builds. Largest attention weight on a forbidden cell: {view.forbidden_weight:g}; every "
        f"row that sees anything sums to 1 within {view.row_sum_error:.0e}."
    )
