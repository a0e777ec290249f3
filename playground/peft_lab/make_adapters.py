"""Train the adapters that ship with the lab (`make adapters`), seeded, on the embedded SmolLM2, so the side-by-side
view works the moment the tab opens. Each is saved with peft's `save_pretrained` (safetensors) under adapters/."""

import json
import shutil
import time

from playground.core import models
from playground.peft_lab import adapters
from playground.peft_lab.data import load_task
from playground.peft_lab.methods import MethodSettings
from playground.peft_lab.records import record
from playground.peft_lab.training import TrainSettings, train

# name -> (task, method, steps); seed 0, each method's default learning rate and settings
SHIPPED = {
    "city_json-lora": ("city_json", "lora", 60),
    "sentiment_label-prompt_tuning": ("sentiment_label", "prompt_tuning", 60),
}


def main() -> None:
    loaded = models.load_causal_lm()
    for name, (task, method, steps) in SHIPPED.items():
        started = time.perf_counter()
        dataset = load_task(task)
        run = train(loaded, method, MethodSettings(), dataset, TrainSettings(steps=steps, seed=0))
        data, _, folder = record(loaded, run, dataset, 1)
        target = adapters.SHIPPED / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(folder, target, ignore=shutil.ignore_patterns("README.md"))  # peft's empty model card
        config = target / "adapter_config.json"  # name the published base, not this machine's cache folder
        config.write_text(json.dumps({**json.loads(config.read_text()),
                                      "base_model_name_or_path": models.SMOLLM2_HUB_ID}, indent=2))
        print(f"{name}: {steps} steps in {time.perf_counter() - started:.0f} s, held-out exact match "
              f"{data['exact_match_base']:.0%} (base) -> {data['exact_match_adapted']:.0%}, "
              f"{adapters.size_on_disk(target) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
