"""The player's settings: language, theme, posture panel and assessment, kept between sessions.

Practice mode is not kept: it is chosen for a run (intro, settings, `--practice`), and a
player who practised once starts the next episode counted, as a trainer expects.
"""

from __future__ import annotations

from textual.theme import Theme

from sam_cowboy.core.model import Episode
from sam_cowboy.messages import LANGUAGES, system_language

# Each theme's text, selection and scrollbar colours meet WCAG contrast (tests/tui/test_contrast.py):
# 4.5:1 for text, 3:1 for the selection and the scrollbar thumb against what is around them.
THEMES = {
    "calm": Theme(name="sam-calm", dark=True, primary="#7FB8D8", secondary="#A8C69F",
                  accent="#E6B86A", warning="#E6B86A", error="#E88B8B", success="#8FC98F",
                  foreground="#E8E6E3", background="#1B222C", surface="#222B37",
                  panel="#2C3644",
                  variables={"scrollbar": "#7A8797", "scrollbar-hover": "#9AA7B7",
                             "scrollbar-active": "#B8C4D2", "scrollbar-background": "#2C3644",
                             "block-cursor-background": "#7FB8D8",
                             "block-cursor-foreground": "#10161E",
                             "text-muted": "#AEB4BC"}),
    "light": Theme(name="sam-light", dark=False, primary="#1F5F8B", secondary="#3C6E47",
                   accent="#9A5200", warning="#9A5200", error="#B3261E", success="#2E7D32",
                   foreground="#1F2328", background="#FBFAF7", surface="#FFFFFF",
                   panel="#E9EDF2",
                   variables={"scrollbar": "#6B7480", "scrollbar-hover": "#505862",
                              "scrollbar-active": "#3A414A", "scrollbar-background": "#E9EDF2",
                              "block-cursor-background": "#1F5F8B",
                              "block-cursor-foreground": "#FFFFFF",
                              "text-muted": "#555B63"}),
    "contrast": Theme(name="sam-contrast", dark=True, primary="#FFFF00", secondary="#00FFFF",
                      accent="#FFFF00", warning="#FFFF00", error="#FF6E6E", success="#00FF00",
                      foreground="#FFFFFF", background="#000000", surface="#000000",
                      panel="#000000", text_alpha=1.0, luminosity_spread=0.0,
                      variables={"scrollbar": "#FFFFFF", "scrollbar-hover": "#FFFF00",
                                 "scrollbar-active": "#FFFF00",
                                 "scrollbar-background": "#000000",
                                 "block-cursor-background": "#FFFF00",
                                 "block-cursor-foreground": "#000000",
                                 "text-muted": "#D0D0D0"}),
}
DEFAULT_THEME = "calm"


def theme_key(wanted: object) -> str:
    """A theme's key (calm, light, contrast), the default for anything else."""
    return wanted if isinstance(wanted, str) and wanted in THEMES else DEFAULT_THEME


def initial_language(asked: str | None, saved: object, episode: Episode | None) -> str:
    """--lang, else the player's saved choice, else the system's, else the episode's."""
    for wanted in (asked, saved, system_language()):
        if isinstance(wanted, str) and wanted:
            code = wanted.replace("-", "_").split("_")[0].lower()
            if code in LANGUAGES:
                return code
    if episode is not None and episode.default_language in LANGUAGES:
        return episode.default_language
    return "en"


def assessing(settings: dict[str, object]) -> bool:
    """The trainer's assessment setting (off unless turned on): new counted runs hold score
    changes, gauges and principles back until the debrief, and are flagged as assessments."""
    return settings.get("assess") is True
