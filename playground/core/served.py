"""Models an outside engine serves (PLAYGROUND_ENGINE_URL): named `engine:<the engine's model id>` in the picker.

An engine gives tokens and log-probabilities, not weights, so only the decoding and next-token tabs run on it; the
others refuse such a model with a message that says why (`models.load_any`). The playground still renders each
prompt itself with the model's own tokenizer and chat template, so both backends see the same text: the engine's
model id is looked up as a Hub id or local folder for its tokenizer (vLLM serves a model under its Hub id), and
SmolLM2's Hub id resolves to the embedded copy, the same model, with no network.

Example:
    served = served_model("engine:HuggingFaceTB/SmolLM2-135M-Instruct")
    served.engine.complete(served.model_id, served.prompt("Hi", True).rendered, Sampling(), max_tokens=8)
"""

import functools
import logging
from dataclasses import dataclass

from transformers import AutoTokenizer, PreTrainedTokenizerBase

from playground.core import config, models
from playground.core.engine import Engine
from playground.core.errors import PlaygroundError, check
from playground.core.prompts import Prompt, build_prompt

log = logging.getLogger(__name__)

PREFIX = models.SERVED_PREFIX
LISTING_TIMEOUT = 3.0  # seconds: an engine that is down must not hold up the page it lists models for


@dataclass(frozen=True)
class ServedModel:
    key: str  # engine:<model id>
    model_id: str
    engine: Engine
    tokenizer: PreTrainedTokenizerBase

    @property
    def label(self) -> str:
        return _label(self.model_id, self.engine.url)

    def prompt(self, text: str, use_chat_template: bool) -> Prompt:
        """The text the engine is sent: the user's text in the model's own chat template, rendered here."""
        return build_prompt(self.tokenizer, text, use_chat_template)


def _label(model_id: str, url: str) -> str:
    return f"{model_id} (served by the engine at {url})"


def is_served(key: str | None) -> bool:
    return isinstance(key, str) and key.strip().startswith(PREFIX)


def engine() -> Engine:
    check(bool(config.ENGINE_URL), "Engine models need an engine: set PLAYGROUND_ENGINE_URL to its OpenAI-compatible "
                                   "API (for example http://127.0.0.1:8000/v1 for `vllm serve`).")
    return _engine(config.ENGINE_URL)


@functools.lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return Engine(url)


def served_model(key: str) -> ServedModel:
    model_id = key.strip().removeprefix(PREFIX).strip()
    check(model_id != "", f"'{key}' names no model: write engine:<the engine's model id>.")
    return ServedModel(PREFIX + model_id, model_id, engine(), _tokenizer(model_id))


@functools.lru_cache(maxsize=8)
def _tokenizer(model_id: str) -> PreTrainedTokenizerBase:
    """The served model's own tokenizer, for its chat template; never its weights."""
    if model_id in (models.SMOLLM2_HUB_ID, config.EMBEDDED_LM):
        return models.load_causal_lm(config.EMBEDDED_LM).tokenizer
    folder = models.local_folder(model_id)
    if folder is None and not models.hub_reachable():
        raise PlaygroundError(
            f"The engine serves '{model_id}', and the playground renders its prompts with that model's own "
            "tokenizer and chat template, which would come from the Hugging Face Hub, unreachable here. Serve it "
            "under its Hub id where the Hub is reachable, or from a folder in PLAYGROUND_LOCAL_MODEL_DIRS.")
    try:
        return AutoTokenizer.from_pretrained(str(folder or model_id), trust_remote_code=False)
    except (OSError, ValueError) as err:
        raise PlaygroundError(f"Could not load the tokenizer of '{model_id}', which the engine serves: {err}") from err


def served_choices() -> list[tuple[str, str]]:
    """(label, key) for each model the configured engine lists; none when no engine is set or it does not answer
    (the picker still takes a typed engine:<id>)."""
    return _listing(config.ENGINE_URL) if config.ENGINE_URL else []


@functools.lru_cache(maxsize=4)
def _listing(url: str) -> list[tuple[str, str]]:
    """Asked once per process: every tab's picker lists the same models, and a down engine costs one timeout."""
    listing = Engine(url, timeout=LISTING_TIMEOUT)
    try:
        ids = listing.models()
    except PlaygroundError as err:
        log.warning("no engine models in the picker: %s", err)
        return []
    return [(_label(model_id, listing.url), PREFIX + model_id) for model_id in ids]
