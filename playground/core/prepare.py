"""`python -m playground.prepare`: build the embedded model cache now, so the first visitor doesn't wait."""

import logging

from playground.core import models

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    folder = models.prepare_embedded(lambda fraction, message: print(f"[{fraction:4.0%}] {message}", flush=True))
    print(f"embedded SmolLM2 cache ready at {folder}")
