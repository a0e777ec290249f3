"""The Gradio app: one module per tab, each building its own components and wiring its own events."""

import gradio as gr

from playground.cards import CSS
from playground.ui import decoding, distributions

TITLE = "LLM Playground"

HEADER = """
# LLM Playground
Run a real language model and watch how it works. Everything runs on this machine, on the embedded
SmolLM2-135M-Instruct unless you pick another model.
"""


def build_app() -> gr.Blocks:
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(HEADER)
        with gr.Tabs():
            with gr.Tab("Decoding strategies", id="decoding"):
                decoding.build()
            with gr.Tab("Next-token distribution", id="distributions"):
                distributions.build()
    return demo


# Passed to launch(): Gradio 6 takes styling there. Local fonts only: the page must load nothing from the internet.
LAUNCH_KWARGS = dict(css=CSS, theme=gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"],
                                                       font_mono=["ui-monospace", "monospace"]))
