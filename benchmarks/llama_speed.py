"""Run in an engine venv: one greedy completion through llama.cpp's own Python API, timed after the model is loaded.

Usage: llama_speed.py MODEL.gguf PROMPT MAX_TOKENS THREADS
Prints {"tokens": n, "seconds": s, "text": ...} as JSON.
"""

import json
import sys
import time

from llama_cpp import Llama

model, prompt, max_tokens, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
llm = Llama(model_path=model, n_ctx=2048, n_threads=threads, seed=0, verbose=False)
llm.create_completion(prompt, max_tokens=4, temperature=0.0)  # warm-up: first-call allocations
llm.reset()
start = time.perf_counter()
out = llm.create_completion(prompt, max_tokens=max_tokens, temperature=0.0, top_k=1, repeat_penalty=1.0)
seconds = time.perf_counter() - start
print(json.dumps({"tokens": out["usage"]["completion_tokens"], "seconds": seconds, "text": out["choices"][0]["text"]}))
