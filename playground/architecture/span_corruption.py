"""T5's pretraining objective, span corruption (Raffel et al., 2019, section 3.1.4): about 15% of the tokens, in
spans of mean length 3, are cut out of the encoder's input, each span replaced by one sentinel, and the decoder
learns to write the cut spans back, each after its sentinel.

Written here because transformers ships it only inside an example script (`run_t5_mlm_flax.py`, its
`random_spans_noise_mask`), not as a library function; this follows that script, seeded.
"""

from dataclasses import dataclass

import numpy as np

NOISE_DENSITY = 0.15
MEAN_SPAN_LENGTH = 3.0
EOS = "</s>"


def sentinel(k: int) -> str:
    return f"<extra_id_{k}>"  # T5's sentinels: 100 extra tokens at the end of its vocabulary


def _segments(n_items: int, n_segments: int, rng: np.random.Generator) -> np.ndarray:
    """`n_items` cut into `n_segments` non-empty runs at random: their lengths."""
    starts = np.arange(n_items - 1) < (n_segments - 1)
    rng.shuffle(starts)
    segment_id = np.cumsum(np.pad(starts, [[1, 0]]))
    return np.unique(segment_id, return_counts=True)[1]


def noise_mask(length: int, rng: np.random.Generator, density: float = NOISE_DENSITY,
               mean_span: float = MEAN_SPAN_LENGTH) -> list[bool]:
    """Which of `length` tokens are cut: round(density · length) of them (at least one, never all), in
    round(noise / mean_span) spans; the sequence starts with kept tokens, and kept and cut runs alternate."""
    noise = min(max(int(np.round(length * density)), 1), length - 1)
    spans = max(int(np.round(min(noise, length - noise) / mean_span)), 1)
    lengths = np.stack([_segments(length - noise, spans, rng), _segments(noise, spans, rng)], axis=1).reshape(-1)
    starts = np.zeros(length, dtype=int)
    starts[np.cumsum(lengths)[:-1]] = 1
    return [bool(run % 2) for run in np.cumsum(starts)]


@dataclass
class SpanCorruption:
    tokens: list[str]
    noise: list[bool]
    encoder_input: list[str]  # the kept tokens, each cut span one sentinel, then </s>
    decoder_target: list[str]  # each sentinel followed by the span it stands for, then </s>
    seed: int

    @property
    def span_lengths(self) -> list[int]:
        runs, length = [], 0
        for cut in [*self.noise, False]:
            if cut:
                length += 1
            elif length:
                runs, length = [*runs, length], 0
        return runs

    def payload(self) -> dict:
        return {"objective": "span_corruption", "seed": self.seed, "tokens": self.tokens, "noise": self.noise,
                "encoder_input": self.encoder_input, "decoder_target": self.decoder_target,
                "noise_tokens": sum(self.noise), "span_lengths": self.span_lengths,
                "noise_density": NOISE_DENSITY, "mean_span_length": MEAN_SPAN_LENGTH}


def corrupt(tokens: list[str], seed: int) -> SpanCorruption:
    """Cut spans out of `tokens` (needs at least two) with a generator seeded by `seed`."""
    noise = noise_mask(len(tokens), np.random.default_rng(seed))
    encoder, target, k = [], [], 0
    for i, (token, cut) in enumerate(zip(tokens, noise)):
        starts = i == 0 or cut != noise[i - 1]
        if cut:
            if starts:
                encoder.append(sentinel(k))
                target.append(sentinel(k))
                k += 1
            target.append(token)
        else:
            encoder.append(token)
    # The script's masks always end on a cut span, so no sentinel follows the last one (the paper's figure, which
    # ends on a kept word, has one more).
    return SpanCorruption(tokens, noise, [*encoder, EOS], [*target, EOS], seed)


def rebuilt(encoder_input: list[str], decoder_target: list[str]) -> list[str]:
    """The original tokens again: each sentinel in the input replaced by what follows it in the target."""
    spans, current = {}, None
    for token in decoder_target[:-1]:
        if token.startswith("<extra_id_"):
            current = spans.setdefault(token, [])
        else:
            current.append(token)
    return [t for token in encoder_input[:-1] for t in spans.get(token, [token])]
