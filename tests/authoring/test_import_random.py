"""Random Twine and ink sources built from the idioms the import reads: each imports to an
episode that `check` accepts, or is refused with an import error (never a traceback)."""

from __future__ import annotations

import random

import pytest

from sam_cowboy.authoring.importing import ImportError_, ImportResult
from sam_cowboy.authoring.ink import convert_ink
from sam_cowboy.authoring.twee import convert
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode_data

TWINE = [":: A\n", ":: B [good]\n", ":: StoryInit\n", "[[B]]", "[[x|B][$a to 1]]",
         "(set: $a to 2)", "(if: $a > 1)[", "]", "(else:)[", "<<if $a>>", "<</if>>",
         "<<else>>", '<<link "t" "B">>', "<</link>>", '<<set $s to "q">>',
         '(link-goto: "x", "A")', '(go-to: "B")', '<<goto "A">>', "{", "}", "$a", "$s",
         "\n", "text ", '(display: "A")', '<<include "B">>', '(link: "L")[', "''", "/*",
         "*/", "\x1b[2J", "[bold]", '<<set _choices = [{text: "c", passage: "B", a: 1}]>>',
         "(set: $a to it + 1)", "<<set $b to true>>", "(if: $b)[[[B]]]", "(unless: $b)[",
         "<<elseif $a is 2>>", "(print: $a)", '(click: "text")[(go-to: "A")]']
INK = ["=== k ===\n", "= s\n", "* ", "+ ", "- ", "(lab) ", "{a}", "{a: x|y}", "[b]",
       "-> k\n", "-> s\n", "-> END\n", "-> lab\n", "~ a = a + 1\n", "~ a++\n",
       "VAR a = 0\n", "VAR b = true\n", "{b:\n", "- else:\n", "}\n", "text ", "\n",
       "-> k ->\n", "->->\n", "<- k\n", "{&a|b}", "# tag\n", "* * ", "{ - a > 1: x\n",
       "=== function f(ref x)\n~ x = x + 1\n", "~ f(a)\n", "CONST C = 2\n",
       "LIST l = a, b\n", "{not k}", "{k.s}"]


def errors(result: ImportResult) -> list[str]:
    loaded = load_episode_data(result.yaml, "x.yaml")
    found = [f.message for f in loaded.findings if f.severity == "error"]
    if loaded.episode is not None:
        found += [f.message for f in analyse(loaded.episode).findings
                  if f.severity == "error"]
    return found


@pytest.mark.parametrize("seed", range(4))
def test_random_sources_import_cleanly(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        for pieces, build in ((TWINE, lambda s, stop: convert(":: Start\n" + s,
                                                             stop_choices=stop)),
                              (INK, lambda s, stop: convert_ink(s, "r.ink",
                                                                stop_choices=stop))):
            source = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
            try:
                found = errors(build(source, False))
                if any("no ending can be reached" in m for m in found):
                    found = errors(build(source, True))  # as the command does
            except ImportError_:
                continue
            assert found == [], repr(source)
