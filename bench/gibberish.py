"""Random input: how often gibberish gets an answer (112 above all), and how often a plain Swedish
sentence with a random name is taken for another language.

    .venv/bin/python -m bench.gibberish            # 500 random messages, 3,000 sentences
    .venv/bin/python -m bench.gibberish --seed 2   # another draw

Gibberish goes through the real assistant (the model in `models/`, trained first if the data
changed; Rasa, action and web servers on loopback, as the tests start them), so the count is what
a participant would see. The sentences only need language identification (bot.nlu.language).
Seeded, so a run can be repeated. Rewrites the "Random input" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import random
import string
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Jag heter Anna Zqx{name}, hur förnyar jag mitt körkort? Maila anna.zqx@example.com"


def gibberish(draw: random.Random, count: int) -> list[str]:
    """Half "blorf <six letters> zzzt" (as the insights tests write), half 4–20 random letters and spaces."""
    blorf = [f"blorf {''.join(draw.choices('abcdefghijklmnop', k=6))} zzzt" for _ in range(count // 2)]
    loose = [
        "".join(draw.choices(string.ascii_lowercase + "    ", k=draw.randint(4, 20))).strip() or "qq"
        for _ in range(count - count // 2)
    ]
    return blorf + loose


def answers(messages: list[str]) -> Counter:
    """What the running assistant answers each message with: None ("not sure") or an item id."""
    from bot.content.store import load
    from bot.rasa import training
    from bot.settings import CONTENT_DIR
    from tests.assistant import answered_item, new_sender, running_assistant

    model = training.train(load(CONTENT_DIR))
    with running_assistant(model, Path(tempfile.mkdtemp())) as assistant:
        return Counter(answered_item(assistant.say(text, new_sender())) for text in messages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--sentences", type=int, default=3000)
    args = parser.parse_args()

    from bench.report import update_section
    from bot.content.store import load
    from bot.nlu.language import detect
    from bot.settings import CONTENT_DIR

    draw = random.Random(args.seed)
    answered = answers(gibberish(draw, args.messages))
    emergencies = load(CONTENT_DIR).emergency_items()
    names = ("".join(draw.choices("ghijklmnopabcdef", k=6)) for _ in range(args.sentences))
    languages = Counter(detect(SENTENCE.format(name=name)) for name in names)

    topics = {item: n for item, n in answered.items() if item is not None}
    body = "\n".join(
        [
            f"Command: `.venv/bin/python -m bench.gibberish --seed {args.seed}` (seeded; the model in `models/`,"
            " answers through the real servers). An emergency answer needs a word the model knows, so"
            " random letters that happen to spell short real words can still get one.",
            "",
            f'- **Gibberish** ({args.messages} messages, half "blorf <six letters> zzzt", half random '
            f'letters): {answered[None]} "not sure", '
            f"{sum(n for item, n in topics.items() if item in emergencies)} emergency answers, "
            f"{sum(n for item, n in topics.items() if item not in emergencies)} other topics"
            + (f" ({', '.join(f'{item} {n}' for item, n in sorted(topics.items()))})." if topics else "."),
            f'- **A Swedish sentence with a random name** ({args.sentences}: "{SENTENCE.format(name="<name>")}"): '
            + ", ".join(f"{lang or 'undecided'} {n}" for lang, n in languages.most_common())
            + ". Undecided keeps the conversation's language (Swedish for a first message).",
        ]
    )
    update_section(ROOT / "BENCHMARKS.md", "gibberish", "Random input (`bench/gibberish.py`)", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
