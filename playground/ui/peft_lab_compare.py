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
from playground.ui.i18n.common import COMMON
from playground.ui.i18n.peft_lab import PEFT
from playground.ui.opening import Opening, on_defaults, shown_by

SESSION_ADAPTER = "session"  # the adapter choice that means this session's last one
COMPARE_PROMPT = "Sentence: We took the night train to Vienna.\nJSON:"
OPENING_ADAPTER = "city_json-lora"  # shipped: base and adapted differ at once, on a city the training never saw
_shipped: dict[tuple[str, str], Adapted] = {}  # shipped adapters are public: loaded once per base model


def session_id(request: gr.Request | None) -> str:
    """This browser session's (or API client's) id: what keeps one person's runs and adapters from another's."""
    return getattr(request, "session_hash", None) or "no-session"


def adapter_for(name: str, loaded: LoadedModel, session: Session) -> Adapted:
    if name == SESSION_ADAPTER:
        check(session.adapter is not None, PEFT.text("no_session_adapter"))
        check(session.adapter_base == loaded.key, PEFT.text("other_model", model=session.adapter_base))
        return session.adapter
    check(name in adapters.shipped(), PEFT.text("adapter_choice", session=SESSION_ADAPTER,
                                                shipped=", ".join(adapters.shipped()), value=repr(name)))
    if (name, loaded.key) not in _shipped:
        _shipped[(name, loaded.key)] = adapters.load(loaded, adapters.SHIPPED / name, name)
    return _shipped[(name, loaded.key)]


def _card(title: str, pieces: list[str], probs, sampled: str, what: str) -> str:
    chips = "".join(token_chip(p, float(q), PEFT.text("card.under", p=float(q), what=what))
                    for p, q in zip(pieces, probs))
    return (f'<div class="card"><h4>{escape(title)}</h4><div class="text">{chips or "·"}</div>'
            f'<div class="note">{PEFT.text("card.sampled")} {escape(sampled) or "·"}</div></div>')


def show_comparison(measured: tuple):
    """Both cards, the per-token change figure and the JSON, in the request's language; `measured` is the base,
    the adapted model and their comparison."""
    loaded, adapted, result = measured
    tok = loaded.tokenizer
    text = {side: {how: tok.decode(ids, skip_special_tokens=True) for how, ids in outputs.items()}
            for side, outputs in (("base", result.base), ("adapted", result.adapted))}
    base_pieces, pieces = (token_pieces(tok, result.base["greedy"]), token_pieces(tok, result.adapted["greedy"]))
    cards = (probability_legend(WORDS.text("legend.writer")) + '<div class="cards">'
             + _card(PEFT.text("card.base", model=loaded.label), base_pieces, result.base_probs,
                     text["base"]["sampled"], PEFT.text("card.the_base"))
             + _card(PEFT.text("card.adapted", model=adapted.label), pieces, result.adapted_probs,
                     text["adapted"]["sampled"], PEFT.text("card.the_adapted")) + "</div>")
    payload = {"adapter": adapted.label, "method": adapted.method, "base": text["base"], "adapted": text["adapted"],
               "adapted_tokens": pieces, "p_under_base": result.adapted_under_base.tolist(),
               "p_under_adapted": result.adapted_probs.tolist(), "kl": result.kl.tolist(),
               "differs": result.adapted["greedy"] != result.base["greedy"]}
    return cards, plots.token_change_figure(pieces, result.adapted_under_base, result.adapted_probs, result.kl), \
        payload


@shown_by(show_comparison)
def compare_adapter(model: str, prompt: str, adapter: str, max_new_tokens: int, temperature: float, top_p: float,
                    sample_seed: int, lora_scale: float, request: gr.Request, progress=gr.Progress()):
    """The prompt through the base and the adapted model, greedy and sampled; per adapted token, its probability
    under both and their KL. The JSON holds both outputs and the per-token probabilities."""
    settings = settings_from(CompareSettings, locals())
    loaded = load_model(model, progress)
    adapted = adapter_for(adapter, loaded, SESSIONS.get(session_id(request)))
    return loaded, adapted, compare(loaded, adapted, prompt, settings)


def upload_adapter(model: str, adapter_file, request: gr.Request, progress=gr.Progress()):
    """Check an uploaded adapter zip (safetensors only, a known config type, this base's shape) and make it this
    session's adapter."""
    path = adapter_file.get("path") if isinstance(adapter_file, dict) else adapter_file
    check(bool(path), PEFT.text("no_upload"))
    loaded = load_model(model, progress)
    folder = adapters.unpack(Path(path))
    adapted = adapters.load(loaded, folder, PEFT.text("uploaded_label", name=Path(str(path)).name))
    session = SESSIONS.get(session_id(request))
    session.adapter, session.adapter_folder, session.adapter_base = adapted, folder, loaded.key
    return PEFT.text("uploaded", method=METHODS[adapted.method].title, session=PEFT.text("session_adapter"))


def download_adapter(request: gr.Request):
    """This session's last adapter as a zip of its safetensors folder."""
    session = SESSIONS.get(session_id(request))
    check(session.adapter_folder is not None, PEFT.text("no_download"))
    target = Path(tempfile.mkdtemp(prefix="adapter-zip-")) / f"{session.adapter.method}-adapter.zip"
    return str(adapters.zip_folder(Path(session.adapter_folder), target))


def build_compare(c: dict) -> Opening:
    """The side by side, opening on the shipped LoRA adapter (`c`: the lab's controls; adds its own)."""
    gr.Markdown(PEFT("compare_intro"))
    with gr.Row():
        c["prompt"] = gr.Textbox(value=COMPARE_PROMPT, lines=2, label=COMMON("prompt"), scale=3, elem_id="peft-prompt")
        c["adapter"] = gr.Dropdown([(PEFT("session_adapter"), SESSION_ADAPTER), *adapters.shipped()],
                                   value=OPENING_ADAPTER, label=PEFT("adapter"), elem_id="peft-adapter")
    with gr.Row():
        s = CompareSettings()
        c["max_new_tokens"] = gr.Number(value=s.max_new_tokens, precision=0, label=PEFT("new_tokens"), minimum=1,
                                        maximum=128)
        c["temperature"] = gr.Number(value=s.temperature, label=PEFT("temperature"), minimum=0.01, maximum=3)
        c["top_p"] = gr.Number(value=s.top_p, label=PEFT("top_p"), minimum=0.01, maximum=1)
        c["sample_seed"] = gr.Number(value=s.sample_seed, precision=0, label=PEFT("sample_seed"))
        c["lora_scale"] = gr.Slider(0, 1.5, value=1.0, step=0.05, label=PEFT("lora_scale"))
    run_compare = gr.Button(COMMON("compare"), variant="primary", elem_id="peft-compare")
    cards = gr.HTML(elem_id="peft-cards")
    change = gr.Plot(label=PEFT("change"))
    compare_json = gr.JSON(label=PEFT("comparison"), visible=False)
    on(run_compare.click, compare_adapter, c, [cards, change, compare_json], api_name="compare_adapter")
    on(c["lora_scale"].release, compare_adapter, c, [cards, change, compare_json], api_visibility="private")
    return on_defaults("peft_lab/side_by_side", compare_adapter, c, [cards, change, compare_json])


def build_save_load(c: dict) -> None:
    gr.Markdown(PEFT("save_intro"))
    with gr.Row():
        download = gr.Button(PEFT("download"))
        c["adapter_file"] = gr.File(label=PEFT("upload_file"), file_types=[".zip"], height=90)
        upload = gr.Button(PEFT("upload"))
    adapter_zip = gr.File(label=PEFT("adapter"), interactive=False)
    adapter_note = gr.Markdown()
    on(download.click, download_adapter, c, [adapter_zip], api_name="download_adapter")
    on(upload.click, upload_adapter, c, [adapter_note], api_name="upload_adapter")
