"""The app's look: the CSS for the HTML the tabs build (cards, token chips, legends), the launch theme, and the
page script (heatmap_click.js: clicking a heatmap cell opens its maths)."""

from pathlib import Path

import gradio as gr

CSS = """
.cards {display:grid; grid-template-columns:repeat(auto-fill,minmax(300px,1fr)); gap:12px;}
.card {border:1px solid #ddd; border-radius:8px; padding:10px; background:#fff; color:#111;}
.card h4 {margin:0 0 6px 0; font-size:15px;}
.card .text {line-height:1.9; font-size:14px; white-space:pre-wrap; word-break:break-word;}
.card .tok {border-radius:3px; padding:1px 0;}
.card .eos {font-size:11px; color:#666; border:1px dashed #999; border-radius:3px; padding:0 3px;}
.card .stats {font-size:12px; color:#333; margin-top:8px; display:grid; grid-template-columns:1fr 1fr; gap:2px 10px;}
.card .note {font-size:11px; color:#666; margin-top:6px;}
.legend {font-size:12px; margin:6px 0;}
#header-language {position:absolute; top:8px; right:16px; width:auto; z-index:10;}
@media (max-width: 700px) {#header-language {position:static;}}
.lang-switches {display:flex; gap:6px;}
.lang-switch {border:1px solid #ccc; border-radius:6px; padding:2px 10px; background:#fff; color:#111; cursor:pointer;}
.spec-step {line-height:2; font-size:14px; white-space:pre-wrap;}
.spec-n {font-size:11px; color:#555; display:inline-block; min-width:150px;}
.spec-kept .tok {outline:2px solid #2ca02c;}
.spec-rejected .tok {outline:2px solid #d62728; text-decoration:line-through;}
.spec-unchecked .tok {outline:1px dashed #999; opacity:0.55;}
.spec-added .tok {outline:2px solid #1f77b4; font-weight:600;}
.warn {background:#fff3cd; color:#664d03; padding:6px 10px; border-radius:6px; margin-bottom:8px;}
"""

# Passed to launch(): Gradio 6 takes styling there. Local fonts only: the page must load nothing from the internet.
STYLE = dict(
    css=CSS, js=Path(__file__).with_name("heatmap_click.js").read_text(),
    theme=gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]),
)
