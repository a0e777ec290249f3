"""What every tab shares: the model picker, a captioned plot, suggested experiments, and events wired from one
dict of controls keyed by the handler's parameter names."""

import dataclasses
import functools
import inspect

import gradio as gr

from playground.core import config, device, models, served
from playground.ui.errors import guarded
from playground.ui.i18n import language_of
from playground.ui.i18n.common import COMMON
from playground.ui.rate_limit import RateLimiter

# One count of requests per visitor across every event (PLAYGROUND_RATE_LIMIT; 0: none).
LIMITER = RateLimiter(config.RATE_LIMIT) if config.RATE_LIMIT > 0 else None


def model_picker(any_kind: bool = False, on_engine: bool = False, elem_id: str | None = None) -> gr.Dropdown:
    """The model: a causal LM, or with `any_kind` also an encoder (BERT) or encoder-decoder (T5); and the models
    an engine serves (PLAYGROUND_ENGINE_URL), which run only where `on_engine` says the tab can use them."""
    picker = gr.Dropdown(
        choices=(models.any_choices() if any_kind else models.choices()) + served.served_choices(),
        value=config.DEFAULT_MODEL,
        allow_custom_value=True,
        label=COMMON("model"),
        elem_id=elem_id,
        info=COMMON("model.info"),
    )
    if not on_engine:
        picker.input(needs_weights, picker, None, api_visibility="private", show_progress="hidden")
    return picker


def needs_weights(model: str, request: gr.Request) -> None:
    """Say at once, when an engine's model is chosen in a tab that reads the weights, that it will not run here."""
    if served.is_served(model):
        gr.Warning(COMMON.text("needs_weights", language_of(request)))


def prompt_controls(prompt: str, tab: str, use_chat_template: bool = False, lines: int = 2,
                    any_kind: bool = False, on_engine: bool = False) -> dict:
    """The controls every tab starts with: the model, the prompt, and whether to wrap it in the chat template."""
    return {
        "model": model_picker(any_kind, on_engine, elem_id=f"{tab}-model"),
        "prompt": gr.Textbox(label=COMMON("prompt"), lines=lines, value=prompt, elem_id=f"{tab}-prompt"),
        "use_chat_template": gr.Checkbox(value=use_chat_template, label=COMMON("chat_template")),
    }


def sub_tab(tabs: gr.Tabs, title: str, tab_id: str) -> gr.Tab:
    """A tab inside `tabs`, its panel's elem_id "<tabs' elem_id>-<tab_id>" (its button's, that plus "-button"):
    what the start page's links click and what tests look for."""
    return gr.Tab(title, id=tab_id, elem_id=f"{tabs.elem_id}-{tab_id}")


def panel_tabs(elem_id: str, panels: list[tuple], controls: dict) -> list:
    """One sub-tab per (title, tab id, build) panel; each `build(controls)` makes its panel and returns its
    opening, a list of them, or None. Returns every opening, in order."""
    openings = []
    with gr.Tabs(elem_id=elem_id) as tabs:
        for title, tab_id, build in panels:
            with sub_tab(tabs, title, tab_id):
                made = build(controls)
            openings += made if isinstance(made, list) else [] if made is None else [made]
    return openings


def captioned_plot(label: str, caption: str) -> gr.Plot:
    """A plot with a line under it that says what to look at."""
    with gr.Column():
        plot = gr.Plot(label=label)
        gr.Markdown(caption)
    return plot


def table(catalogue, columns: list[str], rows: list[list]) -> dict:
    """A gr.Dataframe's value: its headers (`columns`, keys of `catalogue`) in the request's language, and its
    rows. Gradio translates no header itself."""
    return {"headers": [catalogue.text(column) for column in columns], "data": rows}


def headers(catalogue, columns: list[str]) -> list[str]:
    """A gr.Dataframe's headers before its first result arrives (the page's first load fills in its language)."""
    return [catalogue.text(column, "en") for column in columns]


def load_model(key: str, progress: gr.Progress, any_kind: bool = False) -> models.LoadedModel:
    """The shared causal LM (or with `any_kind` any model), showing load and first-run conversion progress."""
    load = models.load_any if any_kind else models.load_causal_lm
    return load(key, progress=lambda fraction, message: progress(fraction, desc=message))


def settings_from(cls, arguments: dict):
    """A settings dataclass built from a handler's arguments of the same names (pass `locals()`)."""
    return cls(**{f.name: arguments[f.name] for f in dataclasses.fields(cls)})


def inputs_for(handler, components: dict) -> list:
    """The components that feed `handler`, in the order of its parameters: its signature is the one list."""
    return [components[name] for name in inspect.signature(handler).parameters if name not in ("progress", "request")]


def on(trigger, handler, components: dict, outputs: list, **kwargs):
    """Wire an event (`button.click`, `slider.input`, ...) to `handler`, its inputs taken from `components` by
    parameter name. With preprocess=False the values reach the handler as sent, and `guarded` checks them there
    against its annotations and its controls' ranges."""
    inputs = inputs_for(handler, components)
    bounds = {name: (c.minimum, c.maximum) for name, c in components.items()
              if getattr(c, "minimum", None) is not None and getattr(c, "maximum", None) is not None}
    json_at = [i for i, output in enumerate(outputs) if isinstance(output, gr.JSON)]
    handler = stamped(handler, json_at, len(outputs)) if json_at else handler
    return trigger(guarded(handler, bounds, LIMITER), inputs, outputs, preprocess=False, **kwargs)


def where_it_ran(model: str | None) -> dict:
    """The engine that served a request, or the device and dtype it ran on in this process."""
    return {"engine": config.ENGINE_URL} if served.is_served(model) else device.describe()


def stamped(handler, json_at: list[int], n_outputs: int):
    """`handler` with where it ran (`runs_on`) added to each JSON result it returns, streamed or not."""
    def stamp(result, model):
        values = list(result) if n_outputs > 1 else [result]
        for i in json_at:
            if isinstance(values[i], dict) and values[i].get("__type__") != "update":  # a payload, not gr.update
                values[i] = {**values[i], "runs_on": where_it_ran(model)}
        return tuple(values) if n_outputs > 1 else values[0]

    def model_of(args, kwargs):
        bound = inspect.signature(handler).bind_partial(*args, **kwargs).arguments
        return bound.get("model", config.DEFAULT_MODEL)

    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def streaming(*args, **kwargs):
            for result in handler(*args, **kwargs):
                yield stamp(result, model_of(args, kwargs))
        return streaming

    @functools.wraps(handler)
    def stamping(*args, **kwargs):
        return stamp(handler(*args, **kwargs), model_of(args, kwargs))
    return stamping


def any_of(*triggers):
    """One listener for several controls' events, to pass to `on`. With trigger_mode="always_last" a session's
    refreshes then run one at a time and the last reads every control's final value; one listener per control
    runs them side by side, and a stale one can land last (layer's refresh overwrote head's in the browser)."""
    return functools.partial(gr.on, list(triggers))


@dataclasses.dataclass(frozen=True)
class Experiment:
    """A suggested experiment: a prompt and a whole settings dataclass (its defaults plus this experiment's
    changes), so the outcome never depends on what earlier clicks left behind."""

    label: str
    prompt: str
    settings: object
    strategies: tuple[str, ...] = ()
    use_chat_template: bool = True

    def values(self, *defaults) -> dict:
        """Control name -> value, from `defaults` (more settings dataclasses) and then this experiment."""
        values = {}
        for settings in (*defaults, self.settings):
            values.update(dataclasses.asdict(settings))
        values.update(prompt=self.prompt, use_chat_template=self.use_chat_template)
        if self.strategies:
            values["strategies"] = self.strategies
        return {name: list(v) if isinstance(v, tuple) else v for name, v in values.items()}


def experiment_buttons(experiments: list[Experiment], controls: dict, *defaults) -> list:
    """A row of buttons, one per experiment. A click sets every control except the model (the person's own
    choice); returns the click events, to chain a run after them."""
    names = [name for name in controls if name != "model"]
    events = []
    with gr.Row():
        for experiment in experiments:
            values = experiment.values(*defaults)
            missing = sorted(set(names) - set(values))
            if missing:
                raise ValueError(f"Experiment {experiment.label!r} sets no value for {missing}.")
            row = [values[name] for name in names]
            button = gr.Button(experiment.label, size="sm")
            events.append(button.click(lambda row=row: row, None, [controls[n] for n in names],
                                       api_visibility="private"))
    return events


def preset_buttons(presets: list[tuple[str, dict]], controls: dict, handler, outputs: list, row: gr.Row) -> None:
    """Small buttons in `row` (made earlier, where they should show), one per (label, {control name: value})
    preset: a click sets those controls and runs `handler` on every control, as the panel's own button does. For
    panels whose experiments change a few controls rather than a whole settings dataclass (`experiment_buttons`)."""
    with row:
        for label, values in presets:
            names = list(values)
            button = gr.Button(label, size="sm")
            event = button.click(lambda values=values: [values[n] for n in names], None,
                                 [controls[n] for n in names], api_visibility="private")
            on(event.then, handler, controls, outputs, api_visibility="private")
