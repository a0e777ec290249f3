"""The PEFT lab's side by side (base and adapted on one prompt, opening on a shipped adapter) and its save and load
panel."""

import tempfile
from html import escape
from pathlib import Path

import gradio as gr

from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.visible import probability_legend, token_chip, token_pieces
from playground.core.words import WORDS
from playground.peft_lab import adapters, plots
from playground.peft_lab.compare import Adapted, CompareSettings, compare
from playground.peft_lab.methods import METHODS
from playground.peft_lab.sessions import SESSIONS, Session
from playground.ui.components import load_model, on, settings_from
from playground.ui.opening import Opening, run_on_defaults

SESSION_ADAPTER = "this session's last adapter (trained or uploaded)"
COMPARE_PROMPT = "Sentence: We took the night train to Vienna.\nJSON:"
OPENING_ADAPTER = "city_json-lora"  # shipped: base and adapted differ at once, on a city the training never saw
_shipped: dict[tuple[str, str], Adapted] = {}  # shipped adapters are public: loaded once per base model


def session_id(request: gr.Request | None) -> str:
    """This browser session's (or API client's) id: what keeps one person's runs and adapters from another's."""
    return getattr(request, "session_hash", None) or "no-session"


def adapter_for(name: str, loaded: LoadedModel, session: Session) -> Adapted:
    if name == SESSION_ADAPTER:
        check(session.adapter is not None, "This session has no adapter yet: train one above, upload one, or "
                                           "choose a shipped adapter.")
        check(session.adapter_base == loaded.key, f"This session's adapter was made for {session.adapter_base}; "
                                                  f"choose that model to compare it.")
        return session.adapter
    check(name in adapters.shipped(), f"adapter must be {SESSION_ADAPTER!r} or a shipped one: "
                                      f"{', '.join(adapters.shipped())} (got {name!r}).")
    if (name, loaded.key) not in _shipped:
        _shipped[(name, loaded.key)] = adapters.load(loaded, adapters.SHIPPED / name, f"shipped: {name}")
    return _shipped[(name, loaded.key)]


def _card(title: str, pieces: list[str], probs, sampled: str, what: str) -> str:
    chips = "".join(token_chip(p, float(q), f"p={float(q):.3f} under {what}") for p, q in zip(pieces, probs))
    return (f'<div class="card"><h4>{escape(title)}</h4><div class="text">{chips or "·"}</div>'
            f'<div class="note">sampled: {escape(sampled) or "·"}</div></div>')


def compare_adapter(model: str, prompt: str, adapter: str, max_new_tokens: int, temperature: float, top_p: float,
                    sample_seed: int, lora_scale: float, request: gr.Request, progress=gr.Progress()):
    """The prompt through the base and the adapted model, greedy and sampled; per adapted token, its probability
    under both and their KL. The JSON holds both outputs and the per-token probabilities."""
    settings = settings_from(CompareSettings, locals())
    loaded = load_model(model, progress)
    adapted = adapter_for(adapter, loaded, SESSIONS.get(session_id(request)))
    result = compare(loaded, adapted, prompt, settings)
    tok = loaded.tokenizer
    text = {side: {how: tok.decode(ids, skip_special_tokens=True) for how, ids in outputs.items()}
            for side, outputs in (("base", result.base), ("adapted", result.adapted))}
    base_pieces, pieces = (token_pieces(tok, result.base["greedy"]), token_pieces(tok, result.adapted["greedy"]))
    cards = (probability_legend(WORDS.text("legend.writer")) + '<div class="cards">'
             + _card(f"Base: {loaded.label}", base_pieces, result.base_probs, text["base"]["sampled"], "the base")
             + _card(f"Adapted: {adapted.label}", pieces, result.adapted_probs, text["adapted"]["sampled"],
                     "the adapted model") + "</div>")
    payload = {"adapter": adapted.label, "method": adapted.method, "base": text["base"], "adapted": text["adapted"],
               "adapted_tokens": pieces, "p_under_base": result.adapted_under_base.tolist(),
               "p_under_adapted": result.adapted_probs.tolist(), "kl": result.kl.tolist(),
               "differs": result.adapted["greedy"] != result.base["greedy"]}
    return cards, plots.token_change_figure(pieces, result.adapted_under_base, result.adapted_probs, result.kl), \
        payload


def upload_adapter(model: str, adapter_file, request: gr.Request, progress=gr.Progress()):
    """Check an uploaded adapter zip (safetensors only, a known config type, this base's shape) and make it this
    session's adapter."""
    path = adapter_file.get("path") if isinstance(adapter_file, dict) else adapter_file
    check(bool(path), "Choose an adapter .zip to upload.")
    loaded = load_model(model, progress)
    folder = adapters.unpack(Path(path))
    adapted = adapters.load(loaded, folder, f"uploaded ({Path(str(path)).name})")
    session = SESSIONS.get(session_id(request))
    session.adapter, session.adapter_folder, session.adapter_base = adapted, folder, loaded.key
    return f"Loaded a {METHODS[adapted.method].title} adapter; compare it with {SESSION_ADAPTER!r}."


def download_adapter(request: gr.Request):
    """This session's last adapter as a zip of its safetensors folder."""
    session = SESSIONS.get(session_id(request))
    check(session.adapter_folder is not None, "This session has no adapter to download yet: train one first.")
    target = Path(tempfile.mkdtemp(prefix="adapter-zip-")) / f"{session.adapter.method}-adapter.zip"
    return str(adapters.zip_folder(Path(session.adapter_folder), target))


def build_compare(c: dict) -> Opening:
    """The side by side, opening on the shipped LoRA adapter (`c`: the lab's controls; adds its own)."""
    gr.Markdown("### Base and adapted, side by side\nThe same prompt through both, greedy (coloured by each model's "
                "own probability) and sampled. Prompt and prefix tuning decode with their own forward pass, as "
                "training ran it (see the README: `generate` diverges for them in this stack).")
    with gr.Row():
        c["prompt"] = gr.Textbox(value=COMPARE_PROMPT, lines=2, label="Prompt", scale=3, elem_id="peft-prompt")
        c["adapter"] = gr.Dropdown([SESSION_ADAPTER, *adapters.shipped()], value=OPENING_ADAPTER, label="Adapter",
                                   elem_id="peft-adapter")
    with gr.Row():
        s = CompareSettings()
        c["max_new_tokens"] = gr.Number(value=s.max_new_tokens, precision=0, label="new tokens", minimum=1,
                                        maximum=128)
        c["temperature"] = gr.Number(value=s.temperature, label="temperature (sampled)", minimum=0.01, maximum=3)
        c["top_p"] = gr.Number(value=s.top_p, label="top-p (sampled)", minimum=0.01, maximum=1)
        c["sample_seed"] = gr.Number(value=s.sample_seed, precision=0, label="sampling seed")
        c["lora_scale"] = gr.Slider(0, 1.5, value=1.0, step=0.05, label="LoRA scale (0 = base, 1 = as trained)")
    run_compare = gr.Button("Compare", variant="primary", elem_id="peft-compare")
    cards = gr.HTML(elem_id="peft-cards")
    change = gr.Plot(label="Per token: probability under each model, and their KL")
    compare_json = gr.JSON(label="Comparison", visible=False)
    on(run_compare.click, compare_adapter, c, [cards, change, compare_json], api_name="compare_adapter")
    on(c["lora_scale"].release, compare_adapter, c, [cards, change, compare_json], api_visibility="private")
    return Opening("peft_lab/side_by_side", lambda: run_on_defaults(compare_adapter, c), [cards, change, compare_json])


def build_save_load(c: dict) -> None:
    gr.Markdown("### Save and load\nAdapters are saved with peft's `save_pretrained` (safetensors). An upload is "
                "checked first: safetensors only (a pickle `.bin` is refused), a config type this lab knows, and a "
                "match with the base model.")
    with gr.Row():
        download = gr.Button("Download this session's adapter (.zip)")
        c["adapter_file"] = gr.File(label="Upload an adapter .zip", file_types=[".zip"], height=90)
        upload = gr.Button("Load the uploaded adapter")
    adapter_zip = gr.File(label="Adapter", interactive=False)
    adapter_note = gr.Markdown()
    on(download.click, download_adapter, c, [adapter_zip], api_name="download_adapter")
    on(upload.click, upload_adapter, c, [adapter_note], api_name="upload_adapter")
