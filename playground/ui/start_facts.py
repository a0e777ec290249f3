"""The numbers the start page quotes, taken from what the panels themselves show on their defaults: the fast
panels' openings, run here, and the slow panels' reference results. `make references` saves them
(playground/ui/reference/start.json) after the slow panels' own, so the start page is instant and offline."""

import re

from playground.core import reference
from playground.core.language import DEFAULT
from playground.ui.opening import OPENINGS

SINK = re.compile(r"layer (\d+) head (\d+) \(([\d.]+)\)")


def shipped_payload(package: str, name: str, index: int):
    """One output of a slow panel's reference result, as shipped."""
    outputs, _ = reference.load(reference.shipped(package, name))
    return outputs[index]


def percent(text: str) -> float:
    return float(text.rstrip("%")) / 100


def methods_facts(table: dict) -> dict:
    """The comparison table's rows (`table["data"]`) by method: trainable parameters, share, exact match."""
    return {row[0]: {"trainable": row[1], "share": row[2], "exact_match_base": percent(row[7]),
                     "exact_match_adapted": percent(row[8])} for row in table["data"]}


def architecture_facts(openings: dict) -> dict:
    """The block walk's largest gap to the modules, where the lens finds the answer, the two norm placements'
    streams and SmolLM2's MLP width."""
    walk = openings["architecture/walk"].values()[3]
    lens = openings["architecture/lens"].values()[3]
    swaps = openings["architecture/swaps"].values()[5]
    ranks = [row[-1] for row in lens["final_ranks"]]
    first_top = next(i for i, r in enumerate(ranks) if all(later == 0 for later in ranks[i:]))
    pre, post = swaps["streams"]
    return {"walk_relative": walk["max_relative"], "walk_steps": len(walk["steps"]), "answer": lens["final_tokens"][-1],
            "first_top": lens["rows"][first_top], "layers": len(ranks) - 1, "middle_rank": ranks[len(ranks) // 2] + 1,
            "pre_norm_growth": max(pre["norms"][1:-1]) / pre["norms"][1], "post_norm_max": max(post["norms"]),
            "mlp_inner": swaps["mlps"][-1]["inner width"], "width": swaps["mlps"][-1]["d"]}


def facts(openings: dict = OPENINGS) -> dict:
    """Every number the start page quotes; the fast panels' `openings` are computed if they are not yet."""
    distribution = openings["next_token"].values()[6]
    decoding = {r["strategy"]: r for r in openings["decoding"].values()[1]["results"]}
    layer, head, share = SINK.search(openings["attention"].values()[0]).groups()
    cell = openings["attention/cell"].values()[2]
    flash = openings["internals/flash"].values()[5]
    kv = shipped_payload("internals", "kv_cache", 4)
    paged = shipped_payload("internals", "paged", 6)["simulation"]
    spec = shipped_payload("internals", "speculative", 5)
    top = distribution["raw_top"][0]
    return {
        "architecture": architecture_facts(openings),
        "next_token": {"kept": distribution["kept_count"], "top_text": top["text"], "top_raw": top["prob"],
                       "top_final": top["final_prob"]},
        "decoding": {name: r["repetition_rate"] for name, r in decoding.items()},
        "attention": {"sink_layer": int(layer), "sink_head": int(head), "sink_share": float(share),
                      "cell_weight": cell["weights"][cell["key"]],
                      "cell_gap": abs(cell["weights"][cell["key"]] - cell["model_weights"][cell["key"]])},
        "methods": methods_facts(shipped_payload("peft_lab", "methods", 1)),
        "kv": {"speedup": kv["speedup"], "bytes_per_token": kv["bytes_per_token"],
               "new_tokens": kv["new_tokens"]},
        "paged": {"contiguous_waste": paged["contiguous_waste"], "paged_waste": paged["paged_waste"]},
        "speculative": {"tokens": len(spec["token_ids"]), "passes": spec["target_passes"], "speedup": spec["speedup"]},
        "flash": {"naive_over_tiled_peak": flash["naive_over_tiled_peak"], "length": flash["sweep"][-1]["length"],
                  "row_error": flash["row_error"]},
    }


def write() -> None:
    reference.save(reference.shipped("ui", "start"), {DEFAULT: [facts()]})  # numbers only: one for every language


def shipped() -> tuple[dict, dict] | None:
    """The saved facts and the machine they were measured on, or None if `make references` has not made them."""
    try:
        outputs, measured_on = reference.load(reference.shipped("ui", "start"))
    except (OSError, ValueError, KeyError):
        return None
    return outputs[0], measured_on
