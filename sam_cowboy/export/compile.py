"""An episode compiled for the browser player: plain JSON, nothing in it to evaluate.

Conditions travel as the syntax tree the core's own parser built (`core.expr`), never as
source for JavaScript to run. Integers travel as decimal strings so the player computes
with BigInt exactly as Python does with int; every ordered thing (dimensions, effects,
choices) is a list, since a JavaScript object reorders keys that look like numbers.

Form of a condition node:
  ["lit", true|false|"text"]  ["int", "12"]  ["var", name]  ["visits", scene]
  ["score", dimension]  ["neg", node]  ["not", node]  ["bin", op, left, right]
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Any

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.debrief import Debrief
from sam_cowboy.core.expr import Binary, Call, Expr, Lit, Node, Unary, Var
from sam_cowboy.core.i18n import render
from sam_cowboy.core.model import Choice, Effects, Episode, Scene, Text, Value
from sam_cowboy.core.safe_text import CONTROL
from sam_cowboy.core.transfer import DUE_DAYS, reflection_question
from sam_cowboy.export.lrs import PLACEHOLDER
from sam_cowboy.messages import MESSAGES

FORMAT = "sam-cowboy-player/1"
DEFAULT_MASTERY = 65  # percent: the season's "Social Seller" profile, a solid posture

# The interface strings the player shows, taken from the terminal's own table.
UI_KEYS = ("choices", "no_choice_left", "consequence", "the_end", "ending_good", "ending_mixed",
           "ending_bad", "debrief", "questions", "posture", "overall", "key_decisions",
           "best_did", "best_same", "best_never", "your_path", "best_run", "weakest", "raw",
           "estimated", "objectives", "profile_card", "post_card", "message_card",
           "email_card", "note_card", "from", "to", "subject", "reactions", "stopped")
# Strings only the web player needs.
PLAYER_MESSAGES: dict[str, dict[str, str]] = {
    "language": {"fr": "Langue", "en": "Language"},
    "play_again": {"fr": "Rejouer", "en": "Play again"},
    "not_seen": {"fr": "pas vu sur ce parcours", "en": "not seen on this path"},
    "step": {"fr": "Étape {n}", "en": "Step {n}"},
    "keys": {"fr": "Astuce : les touches 1 à 9 choisissent aussi.",
             "en": "Tip: keys 1 to 9 choose too."},
    "lms_saved": {"fr": "Résultat envoyé à votre plateforme de formation.",
                  "en": "Result sent to your learning platform."},
    "lms_error": {"fr": "Le résultat n'a pas pu être envoyé : {error}",
                  "en": "The result could not be sent: {error}"},
    "lms_close": {"fr": "Vous pouvez fermer cette fenêtre.",
                  "en": "You may close this window."},
    "lms_return": {"fr": "Retour au cours", "en": "Back to the course"},
    "passed": {"fr": "Réussi (seuil {mastery}%)", "en": "Passed (pass mark {mastery}%)"},
    "failed": {"fr": "Pas encore réussi (seuil {mastery}%)",
               "en": "Not passed yet (pass mark {mastery}%)"},
    # The transfer step, in plain mode's words (learning_plain.WORDS)
    "reflect": {"fr": "Avant les chiffres, une question", "en": "Before the numbers, one question"},
    "reflect_answer": {"fr": "Votre réponse (facultative)", "en": "Your answer (optional)"},
    "next": {"fr": "Voir les chiffres", "en": "See the numbers"},
    "skip": {"fr": "Passer", "en": "Skip"},
    "your_reflection": {"fr": "Votre réponse\u202f: {answer}", "en": "Your answer: {answer}"},
    "commit": {"fr": "Une action au travail", "en": "One action for work"},
    "commit_on": {"fr": "Elle porte sur cette décision\u202f: «\u202f{choice}\u202f»",
                  "en": "It is about this decision: “{choice}”"},
    "commit_pick": {"fr": "Votre engagement", "en": "Your commitment"},
    "own": {"fr": "Ma propre action", "en": "My own action"},
    "own_text": {"fr": "Votre action", "en": "Your action"},
    "due": {"fr": "Pour le", "en": "By"},
    "commit_save": {"fr": "M'engager", "en": "Commit"},
    "commit_empty": {"fr": "Choisissez une action ou écrivez la vôtre, ou passez.",
                     "en": "Pick an action or write your own, or skip."},
    "committed": {"fr": "Engagement pris\u202f: {action} (pour le {due}). Il est gardé dans ce "
                  "navigateur.",
                  "en": "Committed: {action} (by {due}). It is kept in this browser."},
    "commit_skipped": {"fr": "Pas d'engagement cette fois.", "en": "No commitment this time."},
    # the follow-up, in plain mode's words
    "did_you": {"fr": "L'avez-vous fait\u202f?", "en": "Did you do it?"},
    "did_you_what": {"fr": "Vous vous étiez engagé à\u202f: {action} (pour le {due})",
                     "en": "You committed to: {action} (by {due})"},
    "status_done": {"fr": "fait", "en": "done"},
    "status_partly": {"fr": "en partie", "en": "partly"},
    "status_not_yet": {"fr": "pas encore", "en": "not yet"},
    "note": {"fr": "Une note (facultative)", "en": "A note (optional)"},
    "record": {"fr": "Enregistrer", "en": "Record"},
    "later": {"fr": "Me le redemander plus tard", "en": "Ask me later"},
    "recorded": {"fr": "Noté\u202f: {status}.", "en": "Recorded: {status}."},
    "followup_empty": {"fr": "Choisissez fait, en partie ou pas encore, ou « Me le redemander "
                       "plus tard ».", "en": "Pick done, partly or not yet, or “Ask me later”."},
    # --assess, in plain mode's words
    "assess": {"fr": "Évaluation\u202f: scores et leçons sont montrés à la fin.",
               "en": "Assessment: scores and lessons are shown at the end."},
    "held": {"fr": "Ce que chaque conséquence enseignait", "en": "What each consequence taught"},
}



class CompileError(Exception):
    """The episode cannot be exported (it has errors, so no bounds)."""


def value(v: Value) -> Any:
    """bool and str as JSON; int tagged, as a decimal string, for BigInt."""
    if isinstance(v, bool) or isinstance(v, str):
        return v
    return {"i": str(v)}


def node(n: Node) -> list[Any]:
    if isinstance(n, Lit):
        if isinstance(n.value, bool) or isinstance(n.value, str):
            return ["lit", n.value]
        return ["int", str(n.value)]
    if isinstance(n, Var):
        return ["var", n.name]
    if isinstance(n, Call):
        return [n.function, n.argument]
    if isinstance(n, Unary):
        return ["neg" if n.op == "-" else "not", node(n.operand)]
    assert isinstance(n, Binary)
    return ["bin", n.op, node(n.left), node(n.right)]


def condition(e: Expr | None) -> list[Any] | None:
    return None if e is None else node(e.tree)


def text(t: Text | None) -> dict[str, str] | None:
    return None if t is None else dict(t.values)


def effects(e: Effects) -> dict[str, list[list[Any]]]:
    return {"score": [[d, str(v)] for d, v in e.score.items()],
            "set": [[k, value(v)] for k, v in e.set.items()],
            "add": [[k, str(v)] for k, v in e.add.items()]}


def composed(s: Scene, c: Choice, languages: tuple[str, ...], default: str) -> dict[str, Any] | None:
    """A compose scene's message: its fragments, the checklist items it meets and, when it
    holds no placeholder, its text as the core renders it in each language (French
    typography included), as `run --json` lists them beside the step."""
    if s.compose is None:
        return None
    fixed = not any("{" in v for v in c.text.values.values())
    return {"fragments": list(c.fragments),
            "checklist": {item.id: item.met(c.fragments) for item in s.compose.checklist},
            "message": {lang: render(c.text, lang, default) for lang in languages} if fixed
            else None}


def scene(s: Scene, languages: tuple[str, ...], default: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.id,
        "title": text(s.title),
        "text": [{"if": condition(b.condition), "text": text(b.text)} for b in s.text],
        "on_enter": effects(s.on_enter),
        "choices": [{"id": c.id, "text": text(c.text), "if": condition(c.condition),
                     "once": c.once, "effects": effects(c.effects),
                     "feedback": text(c.feedback), "goto": c.goto,
                     "composed": composed(s, c, languages, default)} for c in s.choices],
        "route": [{"if": condition(r.condition), "goto": r.goto} for r in s.route],
        "ending": None if s.ending is None else {"kind": s.ending.kind,
                                                 "title": text(s.ending.title)},
        "card": None if s.card is None else {
            "kind": s.card.kind, "fields": [[k, text(v)] for k, v in s.card.fields.items()]},
    }
    return out


def _rendered(t: Text | None, episode: Episode) -> dict[str, str] | None:
    """A text as the core renders it in each language (episode variables, French
    typography), so the page shows exactly what plain mode prints."""
    if t is None:
        return None
    return {lang: render(t, lang, episode.default_language, episode.variables)
            for lang in episode.languages}


def xapi_extensions(base: str) -> dict[str, str]:
    """result.extensions keys of a commitment, as `report --evidence --format xapi` names
    them under the same IRI base (its placeholder, or --iri-base)."""
    return {"due": f"{base}xapi/due", "status": f"{base}xapi/status", "note": f"{base}xapi/note"}


def transfer(episode: Episode) -> dict[str, Any]:
    """What the page needs to ask the core's reflection question and propose the core's
    commitments (core.transfer): the question for each possible weakest dimension ("" for
    none), each scene's actions and each dimension's habit, all rendered by the core."""
    start, _ = engine.begin(episode)
    tr = episode.transfer
    own = tr is not None and tr.reflection is not None  # then one question whatever the run
    questions = []
    for weakest in [""] if own else ["", *episode.dimensions]:
        probe = Debrief(episode, start, [], 0, None, weakest=weakest or None)
        questions.append([weakest, {lang: reflection_question(episode, probe, lang)
                                    for lang in episode.languages}])
    return {
        "reflection": questions,
        "actions": [[sid, [_rendered(a, episode) for a in actions]]
                    for sid, actions in (tr.actions.items() if tr else ())],
        "habits": [[d.id, _rendered(d.habit, episode)] for d in episode.dimensions.values()
                   if d.habit is not None],
        "due_days": DUE_DAYS,
        "xapi": xapi_extensions(PLACEHOLDER),  # the report's IRI base, until --iri-base
    }


def integer_weights(episode: Episode) -> list[str]:
    """The weights as the author wrote them, scaled to whole numbers with the same ratios,
    so the overall percent is exact in BigInt (`scoring.overall` uses fractions)."""
    fractions = [Fraction(str(d.weight)) for d in episode.dimensions.values()]
    common = lcm(*(f.denominator for f in fractions)) if fractions else 1
    return [str(f.numerator * (common // f.denominator)) for f in fractions]


def compile_episode(episode: Episode, analysis: Analysis,
                    mastery: int = DEFAULT_MASTERY, assess: bool = False) -> dict[str, Any]:
    """The JSON the player interprets. `mastery`: the overall percent that passes (LMS);
    `assess`: score changes and principles held back until the ending (play --assess)."""
    if analysis.bounds is None:
        raise CompileError(f"{episode.file}: the episode has errors; run `sam-cowboy check`")
    best = analysis.best_run
    ui_langs = sorted({lang for m in MESSAGES.values() for lang in m})
    ui = {key: MESSAGES[key] for key in UI_KEYS}
    ui.update(PLAYER_MESSAGES)
    return {
        "format": FORMAT,
        "id": episode.id,
        "title": text(episode.title),
        "languages": list(episode.languages),
        "summary": text(episode.summary),
        "estimated_minutes": episode.estimated_minutes,
        "objectives": [text(o) for o in episode.objectives],
        "dimensions": [{"id": d.id, "label": text(d.label), "description": text(d.description),
                        "habit": text(d.habit), "weight": d.weight,
                        "bounds": [str(analysis.bounds[d.id][0]), str(analysis.bounds[d.id][1])]}
                       for d in episode.dimensions.values()],
        "weights": integer_weights(episode),
        "focus": episode.focus,
        "variables": [[k, value(v)] for k, v in episode.variables.items()],
        "start": episode.start,
        "scenes": [scene(s, tuple(episode.languages), episode.default_language)
                   for s in episode.scenes.values()],
        "profiles": [{"min": p.min, "label": text(p.label), "advice": text(p.advice)}
                     for p in episode.profiles],
        "debrief": [text(q) for q in episode.debrief],
        "best_run": None if best is None else {
            "path": [[s, c] for s, c in best.path], "overall": best.overall},
        "mastery": mastery,
        "assess": assess,
        "transfer": transfer(episode),
        "ui": ui,
        "ui_languages": ui_langs,
        "control_pattern": CONTROL.pattern,
    }
