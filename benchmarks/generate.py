"""Generate layered benchmark episodes: N scenes, 3 choices each, 2-4 dimensions, some conditions.

Usage: python benchmarks/generate.py SCENES OUT.yaml [--seed N]
"""

from __future__ import annotations

import argparse
import random

WORDS = ("Sam reads the profile of a prospect and wonders what to write in the invitation "
         "before the meeting with the team about the new offer").split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(scenes: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    dims = ["brand", "targeting", "insight", "relationship"][: 2 + seed % 3]
    width = 10
    layers = max(2, scenes // width)
    ids = [[f"s{layer}-{i}" for i in range(width)] for layer in range(layers)]
    chapter = 5  # layers per chapter: each chapter sets and tests its own flag (a callback)
    chapters = layers // chapter + 1
    flags = [f"flag{i}" for i in range(chapters)]
    out = ["sam_cowboy: 1", "id: bench", "title: Benchmark", "languages: [en]", "dimensions:"]
    for d in dims:
        out.append(f"  {d}: {{label: {d.capitalize()}}}")
    out.append("variables:")
    for f in flags:
        out.append(f"  {f}: false")
    out.append("  count: 0")
    out.append(f"start: {ids[0][0]}")
    out.append("scenes:")
    for layer in range(layers):
        for i, sid in enumerate(ids[layer]):
            out.append(f"  {sid}:")
            out.append(f"    text: {sentence(rng, 5)}")
            if layer == layers - 1:
                kind = ("good", "mixed", "bad")[i % 3]
                out.append(f"    ending: {{kind: {kind}}}")
                continue
            out.append("    choices:")
            for c in range(3):
                target = rng.choice(ids[layer + 1])
                parts = [f"id: c{c}", f"text: {sentence(rng, 2)}"]
                flag = flags[layer // chapter]
                if c == 2 and layer % chapter >= 2 and rng.random() < 0.3:
                    parts.append(f"if: \"{flag}\"")
                d = rng.choice(dims)
                parts.append(f"score: {{{d}: {rng.choice((-2, -1, 1, 2))}}}")
                if layer % chapter < 2 and rng.random() < 0.2:
                    parts.append(f"set: {{{flag}: true}}")
                if rng.random() < 0.05:
                    parts.append("add: {count: 1}")
                parts.append(f"feedback: {sentence(rng, 2)}")
                parts.append(f"goto: {target}")
                out.append("      - {" + ", ".join(parts) + "}")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenes", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(generate(args.scenes, args.seed))


if __name__ == "__main__":
    main()
