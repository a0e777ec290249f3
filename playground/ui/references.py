"""`make references`: run each slow panel on its defaults, on this machine, and save what it shows as the
reference result it opens on (playground/<tab>/reference/*.json, committed), then the start page's numbers.
`ONLY=internals/kv_cache` remakes one. The embedded model, seeded runs; timings are this machine's, and the file
says which machine that was."""

import sys
import time

from playground.core import models
from playground.ui import build_app
from playground.ui import start_facts
from playground.ui.opening import OPENINGS, Reference


def main(only: list[str]) -> None:
    build_app()
    models.load_causal_lm()
    references = {name: o for name, o in OPENINGS.items() if isinstance(o, Reference)}
    unknown = set(only) - set(references)
    if unknown:
        sys.exit(f"No reference named {', '.join(sorted(unknown))}; there are: {', '.join(references)}")
    for name, opening in references.items():
        if only and name not in only:
            continue
        started = time.perf_counter()
        opening.write()
        print(f"{name}: {opening.path} in {time.perf_counter() - started:.0f} s", flush=True)
    missing = [str(o.path) for o in references.values() if not o.path.exists()]
    if missing:
        sys.exit(f"The start page quotes every reference; missing: {', '.join(missing)}")
    start_facts.write()  # last: it quotes the references above
    print("the start page's numbers: playground/ui/reference/start.json", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
