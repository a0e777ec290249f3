"""Write the built-in tasks as JSONL (`python -m playground.peft_lab.make_tasks`): seeded, so the files in the repo
are exactly what this script makes. Each task has a train split and a held-out split whose answers were never
seen in training, so held-out exact match measures what the method learnt, not what it memorised.

- city_json: copy the city out of a sentence into a fixed JSON format. The base model knows cities but not the
  format; the held-out cities appear in no training row.
- sentiment_label: label a short review with exactly POS or NEG. The base model knows sentiment but not the
  labels; the held-out reviews use phrasings no training row uses.
"""

import json
import random
from pathlib import Path

FOLDER = Path(__file__).with_name("tasks")
SEED = 0

CITIES = """Paris London Berlin Madrid Rome Vienna Prague Warsaw Lisbon Dublin Oslo Stockholm Helsinki Copenhagen
Amsterdam Brussels Zurich Geneva Athens Budapest Bucharest Sofia Belgrade Zagreb Krakow Munich Hamburg Milan Naples
Venice Florence Barcelona Seville Valencia Porto Lyon Marseille Nice Bordeaux Toulouse Edinburgh Glasgow Manchester
Liverpool Bristol Cardiff Belfast Reykjavik Tallinn Riga Vilnius Kyiv Istanbul Ankara Cairo Nairobi Lagos Accra
Casablanca Tunis Johannesburg Durban Tokyo Osaka Kyoto Seoul Busan Beijing Shanghai Shenzhen Taipei Bangkok Hanoi
Manila Jakarta Singapore Mumbai Delhi Chennai Lahore Karachi Dhaka Sydney Melbourne Perth Auckland Toronto
Vancouver Montreal Chicago Boston Denver Seattle Austin Miami Atlanta Houston Lima Bogota Quito Santiago
Caracas Montevideo""".split()
SENTENCES = ["I flew to {} last week.", "My sister lives in {} now.", "We are meeting in {} on Friday.",
             "The conference moved to {}.", "{} was cold this winter.", "Have you ever been to {}?",
             "They opened a new office in {}.", "Tickets to {} were cheap."]

SUBJECTS = ["The food", "This phone", "The movie", "Our hotel room", "The service", "This book", "The concert",
            "My new laptop", "The coffee", "The game", "The bus ride", "This jacket"]
POSITIVE = ["was wonderful", "exceeded my expectations", "is fantastic", "made me happy", "was a delight",
            "works perfectly", "was excellent", "is worth every penny", "was superb", "blew me away"]
NEGATIVE = ["was terrible", "broke after a day", "is a waste of money", "made me angry", "was disappointing",
            "never works", "was awful", "is overpriced junk", "was dreadful", "fell apart quickly"]
HELD_OUT_PHRASES = 2  # the last two phrasings of each polarity appear only in the held-out split


def city_json(rng: random.Random) -> tuple[list[dict], list[dict]]:
    cities = CITIES[:]
    rng.shuffle(cities)
    held, train_cities = cities[:24], cities[24:]

    def row(city: str) -> dict:
        return {"prompt": f"Sentence: {rng.choice(SENTENCES).format(city)}\nJSON:",
                "completion": f' {{"city": "{city}"}}'}
    train = [row(c) for c in train_cities for _ in range(4)]
    rng.shuffle(train)
    return train, [row(c) for c in held]


def sentiment_label(rng: random.Random) -> tuple[list[dict], list[dict]]:
    def rows(phrases: list[str], label: str) -> list[dict]:
        return [{"prompt": f"Review: {subject} {phrase}.\nLabel:", "completion": f" {label}"}
                for subject in SUBJECTS for phrase in phrases]
    cut = -HELD_OUT_PHRASES
    train = rows(POSITIVE[:cut], "POS") + rows(NEGATIVE[:cut], "NEG")
    held = rows(POSITIVE[cut:], "POS") + rows(NEGATIVE[cut:], "NEG")
    rng.shuffle(train)
    rng.shuffle(held)
    return train, held[:32]


TASKS = {"city_json": city_json, "sentiment_label": sentiment_label}


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    for name, make in TASKS.items():
        for split, rows in zip(("train", "heldout"), make(random.Random(SEED))):
            path = FOLDER / f"{name}.{split}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
            print(f"{path}: {len(rows)} rows")


if __name__ == "__main__":
    main()
