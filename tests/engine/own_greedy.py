"""Run in .venv-engine: llama.cpp's own completion through its Python API, the oracle for the engine path.

Usage: own_greedy.py MODEL.gguf < {"prompt": ..., "max_tokens": ..., "temperature": ..., "seed": ...}
Prints {"text": ..., "tokens": [...]} as JSON.
"""

import json
import sys

from llama_cpp import Llama

request = json.load(sys.stdin)
llm = Llama(model_path=sys.argv[1], n_ctx=2048, logits_all=True, n_threads=2, seed=request["seed"], verbose=False)
out = llm.create_completion(request["prompt"], max_tokens=request["max_tokens"], temperature=request["temperature"],
                            top_p=1.0, top_k=0, min_p=0.0, repeat_penalty=1.0, seed=request["seed"], logprobs=1)
choice = out["choices"][0]
print(json.dumps({"text": choice["text"], "tokens": choice["logprobs"]["tokens"]}))
