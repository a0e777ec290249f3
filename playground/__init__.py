"""LLM Playground: the logic behind the app. Nothing in this package imports gradio."""
