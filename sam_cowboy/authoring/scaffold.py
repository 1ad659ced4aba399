"""`sam-cowboy new`: a small, commented starter episode that `check` passes cleanly.

The starter shows every idea a trainer needs on the first day: dimensions, a variable, a
card, a choice with feedback, a condition, a route and two endings. Texts are written in
English and French; any other language gets the English text marked `[xx]`, ready to be
translated (so `check` finds no missing translation).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

EPISODE_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
LANGUAGE_RE = re.compile(r"[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*\Z")

# key -> {language: text}; English is the fallback for other languages.
TEXTS: dict[str, dict[str, str]] = {
    "title": {"en": "My first episode", "fr": "Mon premier épisode"},
    "summary": {"en": "Sam prepares a first message to a prospect.",
                "fr": "Sam prépare un premier message à une prospecte."},
    "dim.relationship": {"en": "Relationship", "fr": "Relation"},
    "dim.insight": {"en": "Sharing insight", "fr": "Partage d'expertise"},
    "monday.title": {"en": "Monday morning", "fr": "Lundi matin"},
    "monday.text": {"en": "Sam spots a post by Claire, Head of Logistics at a prospect.",
                    "fr": "Sam repère un post de Claire, directrice logistique chez une "
                          "prospecte."},
    "card.author": {"en": "Claire Morel", "fr": "Claire Morel"},
    "card.body": {"en": "Our warehouse doubled its volume this year. Any advice on planning "
                        "peaks?",
                  "fr": "Notre entrepôt a doublé de volume cette année. Des conseils pour "
                        "planifier les pics ?"},
    "card.reactions": {"en": "42 reactions", "fr": "42 réactions"},
    "read.text": {"en": "Read the post and comment with a concrete tip",
                  "fr": "Lire le post et commenter avec un conseil concret"},
    "read.feedback": {"en": "A useful comment shows expertise before any sales pitch.",
                      "fr": "Un commentaire utile montre l'expertise avant tout discours "
                            "commercial."},
    "pitch.text": {"en": "Send her the product brochure straight away",
                   "fr": "Lui envoyer tout de suite la plaquette produit"},
    "pitch.feedback": {"en": "A brochure nobody asked for reads as spam.",
                       "fr": "Une plaquette que personne n'a demandée ressemble à du spam."},
    "message.title": {"en": "The message", "fr": "Le message"},
    "message.text": {"en": "Sam opens a message to Claire.",
                     "fr": "Sam ouvre un message à Claire."},
    "message.if": {"en": "She has just replied to his comment: \"Thanks, good idea!\"",
                   "fr": "Elle vient de répondre à son commentaire : « Merci, bonne idée ! »"},
    "coffee.text": {"en": "Suggest a coffee to talk about her peaks",
                    "fr": "Proposer un café pour parler de ses pics d'activité"},
    "coffee.feedback": {"en": "She knows who he is: the invitation follows the conversation.",
                        "fr": "Elle sait qui il est : l'invitation prolonge la conversation."},
    "demo.text": {"en": "Ask for a 30-minute demo slot",
                  "fr": "Demander un créneau de démo de 30 minutes"},
    "demo.feedback": {"en": "Asking for her time before giving anything rarely works.",
                      "fr": "Demander son temps avant de donner quoi que ce soit marche "
                            "rarement."},
    "good.title": {"en": "A conversation starts", "fr": "Une conversation commence"},
    "good.text": {"en": "Claire accepts: \"Thursday, 10 a.m.?\"",
                  "fr": "Claire accepte : « Jeudi, 10 h ? »"},
    "bad.title": {"en": "Left on read", "fr": "Vu, sans réponse"},
    "bad.text": {"en": "No answer. Claire has many suppliers in her inbox.",
                 "fr": "Pas de réponse. Claire a beaucoup de fournisseurs dans sa boîte."},
    "notes": {"en": "Ask the group: what would you comment under Claire's post?",
              "fr": "Demandez au groupe : que commenteriez-vous sous le post de Claire ?"},
    "debrief": {"en": "What did Claire know about Sam before his message?",
                "fr": "Que savait Claire de Sam avant son message ?"},
}


def _q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def _text(key: str, languages: list[str]) -> str:
    values = TEXTS[key]
    if len(languages) == 1:
        return _q(_value(values, languages[0]))
    return "{" + ", ".join(f"{lang}: {_q(_value(values, lang))}" for lang in languages) + "}"


def _value(values: dict[str, str], lang: str) -> str:
    return values[lang] if lang in values else f"[{lang}] {values['en']}"


def render(episode_id: str, languages: list[str]) -> str:
    """The starter episode's YAML text."""
    def t(key: str) -> str:
        return _text(key, languages)

    langs = ", ".join(languages)
    return f"""\
# {episode_id}: a starter episode written by `sam-cowboy new`. Change everything!
# The format is described in docs/authoring.md; after each edit run
#   sam-cowboy check {episode_id}.yaml       (errors and warnings, with line numbers)
#   sam-cowboy graph {episode_id}.yaml       (a picture of the scenes)
#   sam-cowboy randomtest {episode_id}.yaml  (10,000 random runs: endings, scores, coverage)
# For autocompletion in VS Code, save the schema (`sam-cowboy schema -o episode.schema.json`)
# and put this line at the very top of the file:
#   # yaml-language-server: $schema=episode.schema.json
sam_cowboy: 1                 # format version: always 1
id: {episode_id}
title: {t("title")}
languages: [{langs}]            # the first one is the default language
summary: {t("summary")}
estimated_minutes: 5

# What the episode scores. Each choice may add or remove points with `score:`.
dimensions:
  relationship: {{label: {t("dim.relationship")}, weight: 2}}   # counts twice
  insight:      {{label: {t("dim.insight")}}}

# State the story remembers. The first value fixes the type (true/false, number, text).
variables:
  commented: false

start: monday                 # the first scene

scenes:
  monday:
    title: {t("monday.title")}
    text: {t("monday.text")}
    # A card shows what Sam is looking at: profile, post, message, email or note.
    card:
      kind: post
      author: {t("card.author")}
      body: {t("card.body")}
      reactions: {t("card.reactions")}
    trainer_notes: {t("notes")}   # for the facilitator only
    choices:
      - id: read-and-comment
        text: {t("read.text")}
        score: {{insight: 2, relationship: 1}}
        set: {{commented: true}}
        feedback: {t("read.feedback")}   # every choice that scores needs feedback
        goto: message
      - id: brochure
        text: {t("pitch.text")}
        score: {{relationship: -2}}
        feedback: {t("pitch.feedback")}
        goto: message

  message:
    title: {t("message.title")}
    text:                       # a list of paragraphs; `if` shows one only sometimes
      - {t("message.text")}
      - if: "commented"
        text: {t("message.if")}
    choices:
      - id: coffee
        if: "commented"         # a condition: this choice is shown only after a comment
        text: {t("coffee.text")}
        score: {{relationship: 2}}
        feedback: {t("coffee.feedback")}
        goto: verdict
      - id: demo
        text: {t("demo.text")}
        score: {{relationship: -1}}
        feedback: {t("demo.feedback")}
        goto: verdict

  # A route scene is never shown: the first entry whose `if` holds is taken.
  verdict:
    route:
      - if: "score('relationship') > 0"
        goto: conversation
      - goto: silence           # the last entry has no `if`

  conversation:
    title: {t("good.title")}
    text: {t("good.text")}
    ending: {{kind: good}}       # good, mixed or bad

  silence:
    title: {t("bad.title")}
    text: {t("bad.text")}
    ending: {{kind: bad}}

# Questions for the group after the ending.
debrief:
  - {t("debrief")}
"""


def parse_languages(value: str) -> list[str]:
    """`fr,en` -> ["fr", "en"]; ValueError with a message for bad codes or duplicates."""
    langs = [part.strip() for part in value.split(",") if part.strip()]
    if not langs:
        raise ValueError("--lang needs at least one language code, e.g. --lang fr,en")
    for lang in langs:
        if not LANGUAGE_RE.match(lang):
            raise ValueError(f"`{lang}` is not a language code like `fr` or `en`")
    if len(set(langs)) != len(langs):
        raise ValueError("a language is listed twice in --lang")
    return langs


def write_new(episode_id: str, folder: Path, languages: list[str]) -> Path:
    """Write `folder/ID.yaml`; FileExistsError when it exists, ValueError for a bad id."""
    if not EPISODE_ID_RE.match(episode_id):
        raise ValueError(f"`{episode_id}` is not a valid episode id: use lowercase letters, "
                         "digits and `-`, starting with a letter or digit (e.g. ep05-invite)")
    path = folder / f"{episode_id}.yaml"
    text = render(episode_id, languages)
    with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite
        f.write(text)
    return path
