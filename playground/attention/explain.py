"""The attention tab's findings in words: pure functions, data in, Markdown out."""

from playground.attention.cell import RowMaths
from playground.attention.extraction import Attention, AttentionSettings
from playground.attention.heads import STATISTICS, head_scores, ranked
from playground.attention.masks import MaskView
from playground.attention.words import WORDS
from playground.core.visible import visible


def summary_markdown(attention: Attention, settings: AttentionSettings) -> str:
    stat = STATISTICS[settings.statistic]
    top = ranked(head_scores(attention.weights, attention.token_ids, settings.statistic), settings.statistic)
    heads = ", ".join(WORDS.text("top_head", layer=layer, head=head, value=value) for layer, head, value in top)
    warn = f"\n\n{WORDS.text('random', model=attention.model_label)}" if attention.random_weights else ""
    return WORDS.text(
        "summary", model=attention.model_label, layers=attention.num_layers, heads=attention.num_heads,
        kv=attention.num_kv_heads, tokens=len(attention.tokens), shown=WORDS.text(f"shown.{attention.shown}"),
        stat=stat.label, about=stat.explanation, top=heads, warn=warn)


def mask_text(value: float) -> str:
    return "0" if value == 0 else WORDS.text("forbidden", value=f"{value:.3g}") if value < -1e30 else f"{value:.4g}"


def cell_markdown(maths: RowMaths, tokens: list[str], key: int) -> str:
    q, k = maths.query, key
    scale = WORDS.text("t5_scale") if maths.scaling == 1 else f"× 1/√{round(maths.scaling ** -2)}"
    bias = WORDS.text("bias", bias=maths.bias[k]) if bool((maths.bias != 0).any()) else ""
    if maths.mask[k] < -1e30:
        verdict = WORDS.text("cell.forbidden")
    else:
        verdict = WORDS.text("cell.softmax", count=len(maths.dots), weight=maths.weights[k])
    return WORDS.text(
        "cell", q=q, q_token=visible(tokens[q]), k=k, k_token=visible(tokens[k]), layer=maths.layer,
        head=maths.head, kv=maths.kv_head, dot=maths.dots[k], scale=scale, scaled=maths.dots[k] * maths.scaling,
        bias=bias, mask=mask_text(float(maths.mask[k])), verdict=verdict, own=maths.model_weights[k],
        gap=abs(float(maths.weights[k] - maths.model_weights[k])))


def edit_markdown(tokens: list[str], cells: list, before: list[dict], after: list[dict], after_probs) -> str:
    shown = ", ".join(WORDS.text("blocked_cell", q=q, q_token=visible(tokens[q]), k=k, k_token=visible(tokens[k]))
                      for q, k in cells)
    first, now = before[0], after[0]
    return WORDS.text(
        "edit", count=len(cells), cells=shown or WORDS.text("none"), first=visible(first["text"]),
        first_p=first["prob"], now=visible(now["text"]), now_p=now["prob"],
        first_after=float(after_probs[first["id"]]))


def masks_markdown(view: MaskView, model_label: str) -> str:
    return WORDS.text(
        "masks", kind=WORDS.text(f"mask.{view.kind}"), model=model_label,
        same=WORDS.text("same_as" if view.matches_reference else "different"), forbidden=view.forbidden_weight,
        error=view.row_sum_error)
