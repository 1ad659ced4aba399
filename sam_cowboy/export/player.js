/* sam-cowboy web player: interprets the JSON an episode compiles to (sam_cowboy/export/compile.py).

The rules below follow sam_cowboy/core/engine.py, scoring.py and debrief.py step for step;
tests/export replays runs of every built-in episode in Chromium and compares them with
`sam-cowboy run --json`. Integers are BigInt, as exact as Python's int. Conditions arrive as the
core parser's syntax tree and are interpreted here: nothing is ever evaluated as code. Episode
text reaches the page only through text nodes, never as HTML. */
(function () {
  "use strict";

  const MAX_ROUTE_HOPS = 10000;
  const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
  const EMPHASIS = /(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\p{L}\p{N}_*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\p{L}\p{N}_])|`([^`]+)`/gu;

  // ------------------------------------------------------------------ rules

  function decode(v) {
    return v !== null && typeof v === "object" ? BigInt(v.i) : v;
  }

  function Rules(data) {
    const scenes = new Map(data.scenes.map((s) => [s.id, s]));
    const dims = data.dimensions;
    const control = new RegExp(data.control_pattern, "g");

    function evaluate(n, st) {
      switch (n[0]) {
        case "lit": return n[1];
        case "int": return BigInt(n[1]);
        case "var": return st.variables.get(n[1]);
        case "visits": return st.visits.get(n[1]) ?? 0n;
        case "score": return st.scores.get(n[1]) ?? 0n;
        // A page has no earlier episodes to read (as `run` without --season): -1 and ''.
        case "season": return st.season.get(n[1]) ?? -1n;
        case "weakest": return weakestEarlier(st.season);
        case "neg": return -evaluate(n[1], st);
        case "not": return !evaluate(n[1], st);
        case "bin": return binary(n[1], n[2], n[3], st);
        default: throw new Error("unknown condition node " + n[0]);
      }
    }

    function binary(op, left, right, st) {
      if (op === "and") return Boolean(evaluate(left, st)) && Boolean(evaluate(right, st));
      if (op === "or") return Boolean(evaluate(left, st)) || Boolean(evaluate(right, st));
      const a = evaluate(left, st), b = evaluate(right, st);
      switch (op) {
        case "==": return a === b;
        case "!=": return a !== b;
        case "<": return a < b;
        case "<=": return a <= b;
        case ">": return a > b;
        case ">=": return a >= b;
        case "+": return a + b;
        case "-": return a - b;
        case "*": return a * b;
        default: throw new Error("unknown operator " + op);
      }
    }

    function weakestEarlier(season) {  // as expr.Season.weakest: lowest, then first declared
      let best = null;
      for (const d of dims) {
        if (season.has(d.id) && (best === null || season.get(d.id) < season.get(best))) best = d.id;
      }
      return best === null ? "" : best;
    }

    function holds(cond, st) {
      return cond === null || Boolean(evaluate(cond, st));
    }

    function apply(effects, st, scene, choice, events) {
      for (const [dim, delta] of effects.score) {
        const d = BigInt(delta), value = (st.scores.get(dim) ?? 0n) + d;
        st.scores.set(dim, value);
        events.push({type: "score", dimension: dim, delta: d, value, scene, choice});
        st.changes.push([scene, choice ?? "", dim, d]);
      }
      for (const [name, v] of effects.set) st.variables.set(name, decode(v));
      for (const [name, amount] of effects.add) {
        st.variables.set(name, st.variables.get(name) + BigInt(amount));
      }
    }

    function enter(st, target, events) {
      for (let hop = 0; hop < MAX_ROUTE_HOPS; hop++) {
        const scene = scenes.get(target);
        st.visits.set(target, (st.visits.get(target) ?? 0n) + 1n);
        st.scenes.push(target);
        st.scene = target;
        events.push({type: "scene", scene: target});
        apply(scene.on_enter, st, target, null, events);
        if (scene.ending !== null) {
          st.ending = target;
          events.push({type: "ending", scene: target, kind: scene.ending.kind});
          return;
        }
        if (scene.route.length === 0) return;
        const entry = scene.route.find((r) => holds(r.if, st));
        if (entry === undefined) throw new Error("no route entry of " + target + " applies");
        events.push({type: "route", scene: target, goto: entry.goto});
        target = entry.goto;
      }
      throw new Error("routes keep sending the run around without a choice: a route loop");
    }

    function begin() {
      const st = {
        scene: data.start, ending: null,
        variables: new Map(data.variables.map(([k, v]) => [k, decode(v)])),
        visits: new Map(), scores: new Map(dims.map((d) => [d.id, 0n])),
        onceUsed: new Set(), path: [], scenes: [], changes: [], offered: new Set(),
        season: new Map(),
      };
      const events = [];
      enter(st, data.start, events);
      return {state: st, events};
    }

    function onceKey(scene, choice) {
      return scene + "\u0000" + choice;
    }

    function shown(st) {
      if (st.ending !== null) return [];
      const scene = scenes.get(st.scene);
      return scene.choices.filter((c) => (!c.once || !st.onceUsed.has(onceKey(scene.id, c.id)))
        && holds(c.if, st));
    }

    function choose(st, choiceId) {
      const choice = shown(st).find((c) => c.id === choiceId);
      if (choice === undefined) throw new Error("no choice " + choiceId + " is shown in " + st.scene);
      const from = st.scene, events = [{type: "choice", scene: from, choice: choice.id}];
      noteOffered(st);
      apply(choice.effects, st, from, choice.id, events);
      if (choice.feedback !== null) {
        events.push({type: "feedback", scene: from, choice: choice.id, text: choice.feedback,
                     variables: new Map(st.variables)});
      }
      enter(st, choice.goto, events);
      if (choice.once) st.onceUsed.add(onceKey(from, choice.id));
      st.path.push([from, choice.id]);
      return events;
    }

    // Dimensions a decision of the run bore on (as scoring.exercised): a choice shown there
    // would have changed them, by its own score or the on_enter of the scene it leads to.
    function noteOffered(st) {
      for (const c of shown(st)) {
        for (const [dim, delta] of c.effects.score) if (BigInt(delta) !== 0n) st.offered.add(dim);
        for (const [dim, delta] of scenes.get(c.goto).on_enter.score) {
          if (BigInt(delta) !== 0n) st.offered.add(dim);
        }
      }
    }

    function exercised(st, dim) {
      return st.offered.has(dim) || st.changes.some(([, , d, delta]) => d === dim && delta !== 0n);
    }

    // ---------------------------------------------------------------- scoring (exact)

    function roundHalfAway(n, d) { // n / d with d > 0, as scoring.round_half_away
      const negative = n < 0n, a = negative ? -n : n;
      const q = (2n * a + d) / (2n * d);
      return negative ? -q : q;
    }

    function percent(raw, low, high) {
      if (high === low) return 100n;
      const p = roundHalfAway(100n * (raw - low), high - low);
      return p < 0n ? 0n : p > 100n ? 100n : p;
    }

    function debrief(st) {
      const results = dims.map((d) => {
        const low = BigInt(d.bounds[0]), high = BigInt(d.bounds[1]);
        const raw = st.scores.get(d.id) ?? 0n;
        return {id: d.id, raw, min: low, max: high, percent: percent(raw, low, high),
                exercised: exercised(st, d.id)};
      });
      let total = 0n, weights = 0n;
      results.forEach((r, i) => {
        const w = BigInt(data.weights[i]);
        total += w * r.percent;
        weights += w;
      });
      const overall = weights > 0n ? roundHalfAway(total, weights) : 100n;
      let profile = null;
      const endingKind = st.ending === null ? null : scenes.get(st.ending).ending.kind;
      for (const p of data.profiles) {
        if (p.endings !== null && !p.endings.includes(endingKind)) continue;
        if (p.min <= Number(overall) && (profile === null || p.min >= profile.min)) profile = p;
      }
      return {dimensions: results, overall, profile, keyDecisions: keyDecisions(st, results),
              weakest: weakest(results)};
    }

    function keyDecisions(st, results) {
      let weightSum = 0;
      for (const d of dims) weightSum += d.weight;
      const worth = new Map(dims.map((d, i) => {
        const span = results[i].max - results[i].min;
        return [d.id, span === 0n ? 0 : 100 * d.weight / Number(span) / weightSum];
      }));
      const steps = new Map();
      for (const [scene, choice, dim, delta] of st.changes) {
        if (!choice) continue;
        const key = onceKey(scene, choice);
        if (!steps.has(key)) steps.set(key, {scene, choice, changes: new Map()});
        const changes = steps.get(key).changes;
        changes.set(dim, (changes.get(dim) ?? 0n) + delta);
      }
      const bestAt = new Map();
      for (const [scene, choice] of (data.best_run ? data.best_run.path : [])) {
        if (!bestAt.has(scene)) bestAt.set(scene, choice);
      }
      // As debrief.build: each distinct decision of the path once; leaving the best run first
      // (even without a direct score change), then the largest score changes.
      const seen = new Set();
      const decisions = [];
      for (const [scene, choice] of st.path) {
        const key = onceKey(scene, choice);
        if (seen.has(key)) continue;
        seen.add(key);
        const changes = steps.has(key) ? steps.get(key).changes : new Map();
        let impact = 0;
        for (const [dim, v] of changes) impact += worth.get(dim) * Number(v);
        decisions.push({scene, choice, changes, impact, best: bestAt.get(scene) ?? null});
      }
      const left = (k) => k.best !== null && k.best !== k.choice;
      decisions.sort((a, b) => (left(b) - left(a)) || (Math.abs(b.impact) - Math.abs(a.impact)));
      return decisions.filter((k) => left(k) || k.impact !== 0).slice(0, 5);
    }

    // As scoring.weakest: the lowest percent among exercised dimensions; ties go to the
    // episode's focus, then to the heaviest weight, then to the first declared.
    function weakest(results) {
      let best = null;
      results.forEach((r, i) => {
        if (!r.exercised) return;
        const key = [r.percent, r.id === data.focus ? 0 : 1, -dims[i].weight];
        const better = best === null || key[0] < best.key[0]
          || (key[0] === best.key[0] && (key[1] < best.key[1]
              || (key[1] === best.key[1] && key[2] < best.key[2])));
        if (better) best = {id: r.id, key};
      });
      return best === null ? null : best.id;
    }

    // ---------------------------------------------------------------- transfer (core/transfer.py)

    // debrief.impact_weights: how many overall percent one raw point of a dimension is worth;
    // floating point in the same order of operations as Python, so costs compare the same.
    function impactWeights() {
      let total = 0;
      for (const d of dims) total += d.weight;
      return new Map(dims.map((d) => {
        const span = BigInt(d.bounds[1]) - BigInt(d.bounds[0]);
        return [d.id, span === 0n ? 0.0 : 100.0 * d.weight / Number(span) / total];
      }));
    }

    // transfer.costs: each decision measured over the choices shown then (the run replayed
    // from the start), against the best run's choice where it made one (it knows delayed
    // payoffs): taking it costs nothing, leaving it is costly even at 0 points; scenes the
    // best run never visits keep the best shown option. Costliest first, then the earlier.
    function costs(st) {
      const weights = impactWeights();
      const value = (c) => {
        let sum = 0;
        for (const [dim, delta] of c.effects.score) sum += (weights.get(dim) ?? 0.0) * Number(BigInt(delta));
        return sum;
      };
      const bestAt = new Map();
      for (const [scene, choice] of (data.best_run ? data.best_run.path : [])) {
        if (!bestAt.has(scene)) bestAt.set(scene, choice);
      }
      const now = begin().state;
      let replaying = true;
      const ranked = [];
      st.path.forEach(([sceneId, choiceId], i) => {
        let offered = [];
        if (replaying && now.scene === sceneId) {
          offered = shown(now);
          try { choose(now, choiceId); } catch { replaying = false; }
        } else {
          replaying = false;
        }
        const scene = scenes.get(sceneId);
        const chosen = scene ? scene.choices.find((c) => c.id === choiceId) : undefined;
        if (chosen === undefined) return;
        if (offered.length === 0) offered = scene.choices;
        const bestChoice = bestAt.get(sceneId) ?? null;
        if (bestChoice === choiceId) {
          ranked.push({direct: 0, i, cost: {scene: sceneId, choice: choiceId, points: 0, costly: false}});
          return;
        }
        let reference = -Infinity;
        for (const c of offered) reference = Math.max(reference, value(c));
        const kept = offered.find((c) => c.id === bestChoice);
        if (bestChoice !== null && kept !== undefined) reference = value(kept);
        const direct = reference - value(chosen), points = Math.max(direct, 0);
        ranked.push({direct, i, cost: {scene: sceneId, choice: choiceId, points,
                                       costly: points > 0 || bestChoice !== null}});
      });
      ranked.sort((a, b) => (Number(b.cost.costly) - Number(a.cost.costly))
        || (b.direct - a.direct) || (a.i - b.i));
      return ranked.map((r) => r.cost);
    }

    // transfer.proposals: the actions of the costliest decision that has some; with no
    // costly decision, of the run's first decision that has some (done right: keep doing
    // it); else the weakest dimension's habit. Texts arrive rendered by the core, per language.
    function proposals(st, weakestId) {
      const actions = new Map(data.transfer.actions);
      const costly = costs(st).filter((c) => c.costly).map((c) => [c.scene, c.choice]);
      for (const [scene, choice] of (costly.length > 0 ? costly : st.path)) {
        if (actions.has(scene)) return {scene, choice, actions: actions.get(scene)};
      }
      const habits = new Map(data.transfer.habits);
      if (weakestId !== null && habits.has(weakestId)) {
        return {scene: null, choice: null, actions: [habits.get(weakestId)]};
      }
      return {scene: null, choice: null, actions: []};
    }

    // transfer.reflection_question: the episode's own, else one built on the weakest habit.
    function reflection(weakestId) {
      const questions = new Map(data.transfer.reflection);
      return questions.get(weakestId ?? "") ?? questions.get("");
    }

    // debrief.build's weakest: none when the weakest dimension is already at 100%.
    function transferWeakest(d) {
      const r = d.dimensions.find((x) => x.id === d.weakest);
      return r === undefined || r.percent >= 100n ? null : r.id;
    }

    // ---------------------------------------------------------------- texts

    function pick(text, lang) {
      if (text === null) return "";
      const has = (k) => Object.prototype.hasOwnProperty.call(text, k);
      if (has(lang)) return text[lang];
      if (has(data.languages[0])) return text[data.languages[0]];
      const values = Object.values(text);
      return values.length ? values[0] : "";
    }

    function interpolate(s, variables) {
      if (!s.includes("{") && !s.includes("}")) return s;
      return s.replace(PLACEHOLDER, (token, name) => {
        if (token === "{{") return "{";
        if (token === "}}") return "}";
        const v = variables.get(name);
        if (v === undefined) return token;
        if (typeof v === "boolean") return v ? "true" : "false";
        return String(v);
      });
    }

    function render(text, lang, variables) {
      if (text === null || text === undefined) return "";
      return interpolate(pick(text, lang), variables ?? new Map()).replace(control, "");
    }

    function clean(s) { // typed text shown back: control characters (escapes) dropped
      return String(s).replace(control, "");
    }

    function initialVariables() {
      return new Map(data.variables.map(([k, v]) => [k, decode(v)]));
    }

    function toJson(st, lang) {
      const d = debrief(st);
      const label = d.profile === null ? null : render(d.profile.label, lang);
      const scores = {};
      for (const r of d.dimensions) {
        scores[r.id] = {raw: Number(r.raw), min: Number(r.min), max: Number(r.max),
                        percent: Number(r.percent), exercised: r.exercised};
      }
      const variables = {};
      for (const [k, v] of st.variables) variables[k] = typeof v === "bigint" ? Number(v) : v;
      return {
        episode: data.id,
        ending: st.ending === null ? null : {scene: st.ending, kind: scenes.get(st.ending).ending.kind},
        scenes: [...st.scenes],
        path: st.path.map(([scene, choice]) => {
          const step = {scene, choice};
          const c = scenes.get(scene).choices.find((x) => x.id === choice);
          if (c.composed) {  // a composed message, as run --json shows it
            step.fragments = c.composed.fragments;
            const fixed = c.composed.message;  // rendered by the core when it has no placeholder
            step.message = fixed && Object.prototype.hasOwnProperty.call(fixed, lang) ? fixed[lang]
              : render(c.text, lang, st.variables);
            step.checklist = c.composed.checklist;
          }
          return step;
        }),
        scores, overall: {percent: Number(d.overall), label}, variables,
      };
    }

    function replay(ids) {  // engine.replay: a new run through these choice ids
      const st = begin().state;
      for (const id of ids) choose(st, id);
      return st;
    }

    return {scenes, begin, shown, choose, debrief, render, initialVariables, toJson, evaluate, holds,
            proposals, reflection, transferWeakest, replay, clean};
  }

  // ------------------------------------------------------------------ page

  function node(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }

  /** Inline Markdown (**strong**, *em*, `code`) as elements; every character stays text. */
  function inline(s) {
    const out = [];
    let last = 0;
    for (const m of s.matchAll(EMPHASIS)) {
      if (m.index > last) out.push(document.createTextNode(s.slice(last, m.index)));
      if (m[2] !== undefined) out.push(node("strong", {}, m[2]));
      else if (m[3] !== undefined) out.push(node("em", {}, m[3]));
      else out.push(node("code", {}, m[4]));
      last = m.index + m[0].length;
    }
    if (last < s.length) out.push(document.createTextNode(s.slice(last)));
    return out;
  }

  function paragraphs(s, cls) {
    return s.split(/\n[ \t]*\n/).filter((p) => p.trim() !== "")
      .map((p) => node("p", cls ? {class: cls} : {}, ...inline(p.trim())));
  }

  function Player(data, root, lms) {
    const rules = Rules(data);
    const params = new URLSearchParams(location.search);
    let lang = chooseLanguage(params.get("lang") || navigator.language);
    let state, lastEvents, finishedSent = false, transfer = null, held = [];
    const started = Date.now();

    function chooseLanguage(wanted) {
      if (wanted) {
        for (const c of [wanted, wanted.replace("_", "-").split("-")[0].toLowerCase()]) {
          if (data.languages.includes(c)) return c;
        }
      }
      return data.languages[0];
    }

    function ui() {
      return data.ui_languages.includes(lang) ? lang : "en";
    }

    function t(key, values) {
      const entry = data.ui[key];
      const s = entry[ui()] || entry.en;
      return s.replace(/\{(\w+)\}/g, (token, name) =>
        values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : token);
    }

    function colon() {
      return ui() === "fr" ? " : " : ": ";
    }

    function text(value, variables) {
      return rules.render(value, lang, variables ?? rules.initialVariables());
    }

    function plain(value) { // Markdown marks dropped, for accessible names and lists
      return text(value).replace(EMPHASIS, (m, a, b, c, d) => b ?? c ?? d ?? "");
    }

    function changeWords(dim, delta) {
      const d = data.dimensions.find((x) => x.id === dim);
      return (delta >= 0n ? "+" : "") + delta.toString() + " " + plain(d.label);
    }

    // ---------------------------------------------------------------- views

    function header() {
      const select = node("select", {id: "sam-lang"});
      for (const code of data.languages) {
        const option = node("option", {value: code}, code);
        option.selected = code === lang;
        select.append(option);
      }
      select.addEventListener("change", () => {
        lang = select.value;
        draw(false);
      });
      const bar = node("div", {class: "bar"},
        node("label", {for: "sam-lang"}, t("language") + " "), select);
      return node("header", {}, node("h1", {id: "sam-title"}, ...inline(text(data.title))),
        data.languages.length > 1 ? bar : null);
    }

    function intro() {
      if (state.path.length > 0) return null;
      const box = node("section", {class: "intro", "aria-label": plain(data.title)});
      if (data.assess) box.append(node("p", {id: "sam-assess", class: "muted"}, t("assess")));
      if (data.summary) box.append(...paragraphs(text(data.summary)));
      if (data.estimated_minutes) {
        box.append(node("p", {class: "muted"}, t("estimated", {minutes: formatMinutes(data.estimated_minutes)})));
      }
      if (data.objectives.length) {
        box.append(node("h2", {}, t("objectives")),
          node("ul", {}, ...data.objectives.map((o) => node("li", {}, ...inline(text(o))))));
      }
      return box.childNodes.length ? box : null;
    }

    function formatMinutes(m) { // Python's {:g} for the values authors write
      return Number.isInteger(m) ? String(m) : String(Math.round(m * 1e6) / 1e6);
    }

    function feedback() {
      const box = node("div", {id: "sam-feedback", role: "status", "aria-live": "polite"});
      if (!lastEvents) return box;
      for (const e of lastEvents) {
        if (e.type !== "feedback") continue;
        // an assessment keeps the story and holds the lesson back (transfer.story_only)
        const shown = data.assess ? storyOnly(text(e.text, e.variables)) : text(e.text, e.variables);
        if (shown) {
          box.append(node("p", {class: "consequence"}, node("strong", {}, t("consequence") + colon()),
            ...inline(shown)));
        }
      }
      if (data.assess) return box;
      const changes = lastEvents.filter((e) => e.type === "score" && e.choice !== null);
      if (changes.length) {
        box.append(node("p", {class: "changes"}, changes.map((e) => changeWords(e.dimension, e.delta)).join(", ")));
      }
      return box;
    }

    function storyOnly(feedbackText) { // the text before the first bold principle
      const cut = feedbackText.indexOf("**");
      return (cut < 0 ? feedbackText : feedbackText.slice(0, cut)).trimEnd();
    }

    function heldBack() { // an assessment's lessons, given back before the numbers
      if (!data.assess || !held.length) return [];
      return [node("h3", {id: "sam-held"}, t("held")),
        node("ul", {}, ...held.map((e) => node("li", {}, ...inline(text(e.text, e.variables)))))];
    }

    function card(c) {
      const labels = {from: "from", to: "to", subject: "subject", reactions: "reactions"};
      const box = node("figure", {class: "card card-" + c.kind},
        node("figcaption", {}, t(c.kind + "_card")));
      for (const [key, value] of c.fields) {
        const body = text(value, state.variables);
        const row = node("div", {class: "field field-" + key});
        if (labels[key]) row.append(node("span", {class: "field-label"}, t(labels[key]) + colon()));
        row.append(...inline(body));
        box.append(row);
      }
      return box;
    }

    function sceneView() {
      const scene = rules.scenes.get(state.scene);
      const title = scene.title !== null ? text(scene.title, state.variables)
        : t("step", {n: state.path.length + 1});
      const section = node("section", {id: "sam-scene", "aria-labelledby": "sam-scene-title"},
        node("h2", {id: "sam-scene-title", tabindex: "-1"}, ...inline(title)));
      for (const block of scene.text) {
        if (rules.holds(block.if, state)) section.append(...paragraphs(text(block.text, state.variables)));
      }
      if (scene.card !== null) section.append(card(scene.card));
      if (scene.ending !== null) {
        const kind = t("ending_" + scene.ending.kind);
        const title = scene.ending.title ? text(scene.ending.title, state.variables) : "";
        section.append(node("p", {id: "sam-ending", class: "ending ending-" + scene.ending.kind},
          t("the_end") + (title ? colon() + title : "") + " (" + kind + ")"));
        return section;
      }
      const shown = rules.shown(state);
      if (!shown.length) {
        section.append(node("p", {class: "ending"}, t("no_choice_left")));
        return section;
      }
      const list = node("ol", {class: "choices", "aria-labelledby": "sam-choices-title"});
      shown.forEach((c) => {
        const button = node("button", {type: "button", "data-choice": c.id},
          ...inline(text(c.text, state.variables)));
        button.addEventListener("click", () => pick(c.id));
        list.append(node("li", {}, button));
      });
      section.append(node("h3", {id: "sam-choices-title"}, t("choices")), list,
        node("p", {class: "muted hint"}, t("keys")));
      return section;
    }

    function choiceText(sceneId, choiceId) {
      const c = rules.scenes.get(sceneId).choices.find((x) => x.id === choiceId);
      return c ? plain(c.text) : choiceId;
    }

    function pathWords(path) {
      return path.length ? path.map(([s, c]) => choiceText(s, c)).join(" → ") : "—";
    }

    function debriefView() {
      const d = rules.debrief(state);
      const section = node("section", {id: "sam-debrief", "aria-labelledby": "sam-debrief-title"},
        node("h2", {id: "sam-debrief-title", tabindex: "-1"}, t("debrief")));
      if (transfer && transfer.record.reflection !== null) {
        section.append(node("p", {id: "sam-reflection-answer"},
          t("your_reflection", {answer: clean(transfer.record.reflection)})));
      }
      section.append(...heldBack());
      if (data.debrief.length) {
        section.append(node("h3", {}, t("questions")),
          node("ul", {}, ...data.debrief.map((q) => node("li", {}, ...inline(text(q))))));
      }
      const list = node("ul", {class: "posture"});
      d.dimensions.forEach((r, i) => {
        const label = plain(data.dimensions[i].label);
        if (!r.exercised) {  // a gauge at the percent of a raw 0 would say nothing true
          list.append(node("li", {}, label + colon() + t("not_seen")));
          return;
        }
        const bar = node("span", {class: "gauge", "aria-hidden": "true"}, node("span", {}));
        bar.firstChild.style.width = r.percent.toString() + "%";
        list.append(node("li", {}, label + colon() + r.percent.toString() + "% ", bar));
      });
      section.append(node("h3", {}, t("posture")), list);
      let line = t("overall") + colon() + d.overall.toString() + "%";
      if (d.profile) line += " — " + plain(d.profile.label);
      section.append(node("p", {id: "sam-overall", class: "overall"}, line));
      if (d.profile && d.profile.advice) section.append(...paragraphs(text(d.profile.advice)));
      if (lms && lms.mastery !== undefined) {
        const passed = Number(d.overall) >= lms.mastery();
        section.append(node("p", {id: "sam-mastery"}, t(passed ? "passed" : "failed", {mastery: lms.mastery()})));
      }
      if (d.keyDecisions.length) {
        section.append(node("h3", {}, t("key_decisions")), node("ul", {}, ...d.keyDecisions.map((k) => {
          const words = [...k.changes].filter(([, v]) => v !== 0n).map(([dim, v]) => changeWords(dim, v)).join(", ");
          const best = k.best === null ? t("best_never") : k.best === k.choice ? t("best_same")
            : t("best_did", {choice: choiceText(k.scene, k.best)});
          return node("li", {}, "\u201c" + choiceText(k.scene, k.choice) + "\u201d" + (words ? " (" + words + ")" : "") + "; " + best);
        })));
      }
      if (data.best_run) {
        section.append(node("p", {id: "sam-your-path"}, t("your_path") + colon() + pathWords(state.path)),
          node("p", {id: "sam-best-run"}, t("best_run") + " (" + data.best_run.overall + "%)" + colon()
            + pathWords(data.best_run.path)));
      }
      const lowest = d.dimensions.reduce((m, r) => (r.percent < m ? r.percent : m), 100n);
      if (d.weakest !== null && lowest < 100n) {
        const dim = data.dimensions.find((x) => x.id === d.weakest);
        section.append(node("p", {class: "weakest"}, t("weakest", {dimension: plain(dim.label)})));
        const habit = dim.habit || dim.description;
        if (habit) section.append(...paragraphs(text(habit)));
      }
      return section;
    }

    function closing() { // after the commitment: the LMS's word, the way back, play again
      const box = node("div", {id: "sam-closing"}, node("p", {id: "sam-lms-status", role: "status"}));
      if (lmsLink) box.append(returnLink());
      if (!lms || lms.canReplay !== false) {
        const again = node("button", {type: "button", id: "sam-again"}, t("play_again"));
        again.addEventListener("click", restart);
        box.append(again);
      }
      return box;
    }

    // ---------------------------------------------------------------- transfer step
    // After the ending: one question (skippable), then the numbers, then one commitment tied
    // to the decision that cost the most (docs/transfer.md). Typed text stays data: it
    // reaches the page as text nodes and form values only.

    const STORE_KEY = "sam-cowboy:transfer:" + data.id;

    function clean(s) {
      return rules.clean(s);
    }

    function inLang(texts) {
      if (!texts) return "";
      return texts[lang] ?? texts[data.languages[0]] ?? Object.values(texts)[0] ?? "";
    }

    function isoDay(d) {
      return [d.getFullYear(), d.getMonth() + 1, d.getDate()]
        .map((n, i) => String(n).padStart(i ? 2 : 4, "0")).join("-");
    }

    function startTransfer() {
      const d = rules.debrief(state);
      const weakest = rules.transferWeakest(d);
      const due = new Date();
      due.setDate(due.getDate() + data.transfer.due_days);
      transfer = {
        step: "reflect", weakest, proposals: rules.proposals(state, weakest), draft: "",
        pick: "0", own: "", due: isoDay(due), defaultDue: isoDay(due), error: false,
        record: {episode: data.id, at: new Date().toISOString(), lang,
                 path: state.path.map(([s, c]) => [s, c]), overall: Number(d.overall),
                 reflection: null, commitment: null},
        saved: -1,
      };
      if (!transfer.proposals.actions.length) transfer.pick = "own";
    }

    function stored() { // the records kept by earlier runs in this browser
      try {
        const list = JSON.parse(localStorage.getItem(STORE_KEY) || "[]");
        return Array.isArray(list) ? list : [];
      } catch (e) {
        return [];
      }
    }

    function store(index, record) { // a page without storage still works: the LMS gets it all
      try {
        const all = stored();
        const at = index < 0 || index >= all.length ? all.length : index;
        all[at] = record;
        localStorage.setItem(STORE_KEY, JSON.stringify(all));
        return at;
      } catch (e) {
        return index;
      }
    }

    function keep() {
      transfer.saved = store(transfer.saved, transfer.record);
    }

    // ---------------------------------------------------------------- follow-up
    // On a visit after a commitment's date (strictly later, as transfer.is_due), before the
    // first choice: "Did you do it?" done / partly / not yet, with an optional note.

    let followUp = {later: false, pick: null, note: "", error: false, recorded: null};

    function dueCommitments() {
      const today = isoDay(new Date());
      return stored().map((record, index) => ({record, index})).filter(({record}) =>
        record && record.commitment && record.commitment.status === "open"
        && /^\d{4}-\d\d-\d\d$/.test(record.commitment.due) && today > record.commitment.due);
    }

    function followUpView() {
      if (state.path.length > 0 || followUp.later) return null;
      const due = dueCommitments();
      if (!due.length && followUp.recorded === null) return null;
      const section = node("section", {id: "sam-followup", "aria-labelledby": "sam-followup-title"},
        node("h2", {id: "sam-followup-title", tabindex: "-1"}, t("did_you")));
      if (followUp.recorded !== null) {
        section.append(node("p", {id: "sam-followup-done", tabindex: "-1", role: "status"},
          t("recorded", {status: t("status_" + followUp.recorded.replace(" ", "_"))})));
      }
      if (!due.length) return section;
      const c = due[0].record.commitment;
      section.append(node("p", {id: "sam-followup-what"}, t("did_you_what", {action: clean(c.action), due: c.due})));
      const group = node("fieldset", {}, node("legend", {}, t("did_you")));
      for (const status of ["done", "partly", "not yet"]) {
        const id = "sam-followup-" + status.replace(" ", "-");
        const input = node("input", {type: "radio", name: "sam-followup-pick", id, value: status});
        input.checked = followUp.pick === status;
        input.addEventListener("change", () => { followUp.pick = status; });
        group.append(node("div", {class: "option"}, input,
          node("label", {for: id}, t("status_" + status.replace(" ", "_")))));
      }
      const note = node("input", {type: "text", id: "sam-followup-note", maxlength: "500", autocomplete: "off"});
      note.value = followUp.note;
      note.addEventListener("input", () => { followUp.note = note.value; });
      const save = node("button", {type: "button", id: "sam-followup-save"}, t("record"));
      const later = node("button", {type: "button", id: "sam-followup-later"}, t("later"));
      save.addEventListener("click", () => followedUp(due[0]));
      later.addEventListener("click", () => {
        followUp.later = true;
        draw(false);
        document.getElementById("sam-scene-title").focus();
      });
      section.append(group, node("label", {for: "sam-followup-note"}, t("note")), note,
        node("p", {id: "sam-followup-error", role: "alert"}, followUp.error ? t("followup_empty") : null),
        node("div", {class: "buttons"}, save, later));
      return section;
    }

    function followedUp({record, index}) {
      if (followUp.pick === null) {
        followUp.error = true;
        draw(false);
        document.getElementById("sam-followup-title").focus();
        return;
      }
      const answer = {status: followUp.pick, note: followUp.note.trim() === "" ? null : followUp.note,
                      at: isoDay(new Date())};
      record.commitment.status = answer.status;
      record.follow_ups = [...(Array.isArray(record.follow_ups) ? record.follow_ups : []), answer];
      store(index, record);
      if (lms && lms.followedUp) lms.followedUp({...answer, made: record.at, action: record.commitment.action});
      followUp = {later: false, pick: null, note: "", error: false, recorded: answer.status};
      draw(false);
      document.getElementById("sam-followup-done").focus();
    }

    function reflectView() {
      const question = inLang(rules.reflection(transfer.weakest));
      const section = node("section", {id: "sam-reflect", "aria-labelledby": "sam-reflect-title"},
        node("h2", {id: "sam-reflect-title", tabindex: "-1"}, t("reflect")),
        node("p", {id: "sam-reflect-question"}, question));
      const area = node("textarea", {id: "sam-reflect-answer", rows: "4",
                                     "aria-describedby": "sam-reflect-question"});
      area.value = transfer.draft;
      area.addEventListener("input", () => { transfer.draft = area.value; });
      const next = node("button", {type: "button", id: "sam-reflect-next"}, t("next"));
      const skip = node("button", {type: "button", id: "sam-reflect-skip"}, t("skip"));
      next.addEventListener("click", () => reflected(area.value));
      skip.addEventListener("click", () => reflected(""));
      section.append(node("label", {for: "sam-reflect-answer"}, t("reflect_answer")), area,
        node("div", {class: "buttons"}, next, skip));
      return section;
    }

    function reflected(answer) {
      transfer.record.reflection = answer.trim() === "" ? null : answer;
      transfer.step = "commit";
      keep();
      if (transfer.record.reflection !== null && lms && lms.reflected) {
        lms.reflected({answer, question: inLang(rules.reflection(transfer.weakest))});
      }
      draw(false);
      document.getElementById("sam-debrief-title").focus();
    }

    function commitView() {
      const section = node("section", {id: "sam-commit", "aria-labelledby": "sam-commit-title"},
        node("h2", {id: "sam-commit-title", tabindex: "-1"}, t("commit")));
      const pr = transfer.proposals;
      if (transfer.step === "done") {
        const c = transfer.record.commitment;
        section.append(node("p", {id: "sam-commit-done", tabindex: "-1", role: "status"},
          c ? t("committed", {action: clean(c.action), due: c.due}) : t("commit_skipped")));
        return section;
      }
      if (pr.scene !== null) {
        section.append(node("p", {id: "sam-commit-on"}, t("commit_on", {choice: choiceText(pr.scene, pr.choice)})));
      }
      const group = node("fieldset", {}, node("legend", {}, t("commit_pick")));
      const radio = (value, id, label) => {
        const input = node("input", {type: "radio", name: "sam-commit-pick", id, value});
        input.checked = transfer.pick === value;
        input.addEventListener("change", () => { transfer.pick = value; });
        group.append(node("div", {class: "option"}, input, node("label", {for: id}, label)));
      };
      pr.actions.forEach((a, i) => radio(String(i), "sam-commit-" + i, inLang(a)));
      radio("own", "sam-commit-own", t("own"));
      const own = node("input", {type: "text", id: "sam-commit-own-text", maxlength: "500",
                                 autocomplete: "off"});
      own.value = transfer.own;
      own.addEventListener("input", () => {
        transfer.own = own.value;
        transfer.pick = "own";
        document.getElementById("sam-commit-own").checked = true;
      });
      group.append(node("div", {class: "own"}, node("label", {for: "sam-commit-own-text"}, t("own_text")), own));
      const due = node("input", {type: "date", id: "sam-commit-due", required: true});
      due.value = transfer.due;
      due.addEventListener("input", () => { transfer.due = due.value; });
      const error = node("p", {id: "sam-commit-error", role: "alert"}, transfer.error ? t("commit_empty") : null);
      const save = node("button", {type: "button", id: "sam-commit-save"}, t("commit_save"));
      const skip = node("button", {type: "button", id: "sam-commit-skip"}, t("skip"));
      save.addEventListener("click", () => commit(false));
      skip.addEventListener("click", () => commit(true));
      section.append(group, node("div", {class: "due"}, node("label", {for: "sam-commit-due"}, t("due")), due),
        error, node("div", {class: "buttons"}, save, skip));
      return section;
    }

    function commit(skipped) {
      const pr = transfer.proposals;
      if (!skipped) {
        const own = transfer.pick === "own";
        const action = own ? transfer.own : inLang(pr.actions[Number(transfer.pick)]);
        if (!action || action.trim() === "") {
          transfer.error = true;
          draw(false);
          document.getElementById(own ? "sam-commit-own-text" : "sam-commit-title").focus();
          return;
        }
        const due = /^\d{4}-\d\d-\d\d$/.test(transfer.due) ? transfer.due : transfer.defaultDue;
        transfer.record.commitment = {scene: pr.scene, choice: pr.choice, action, own, due,
                                      status: "open"};
      }
      transfer.step = "done";
      transfer.error = false;
      keep();
      if (lms && lms.committed && transfer.record.commitment) lms.committed(transfer.record.commitment);
      draw(false);
      document.getElementById("sam-commit-done").focus();
      if (lms && lms.transferDone) lms.transferDone();
    }

    function draw(moveFocus) {
      const main = node("main", {id: "sam-main"}, header(), followUpView(), intro(), feedback(), sceneView());
      if (state.ending !== null && transfer === null) startTransfer();
      if (state.ending !== null && transfer.step === "reflect") main.append(reflectView());
      else if (state.ending !== null) {
        main.append(debriefView(), commitView());
        if (transfer.step === "done") main.append(closing());
      }
      root.replaceChildren(main);
      document.documentElement.lang = lang;
      document.title = plain(data.title);
      if (lmsMessage) setStatus(lmsMessage[0], lmsMessage[1]);
      if (moveFocus) document.getElementById("sam-scene-title").focus();
    }

    let lmsMessage = null, lmsLink = null;
    function setReturn(url) { // only a web address: never a javascript: or data: URL
      try {
        const u = new URL(url, location.href);
        if (u.protocol === "https:" || u.protocol === "http:") lmsLink = u.href;
      } catch (e) { /* not a URL: no link */ }
      const closingBox = document.getElementById("sam-closing");
      if (lmsLink && closingBox && !document.getElementById("sam-lms-return")) closingBox.append(returnLink());
    }

    function returnLink() {
      return node("p", {}, node("a", {id: "sam-lms-return", href: lmsLink}, t("lms_return")));
    }

    function setStatus(key, values) {
      lmsMessage = [key, values];
      const box = document.getElementById("sam-lms-status");
      if (box) box.textContent = t(key, values);
    }

    function pick(choiceId) {
      const from = state.scene;
      const shownNow = rules.shown(state);
      lastEvents = rules.choose(state, choiceId);
      held.push(...lastEvents.filter((e) => e.type === "feedback"));
      if (lms && lms.answered) {
        lms.answered({scene: from, choice: choiceId, title: text(rules.scenes.get(from).title),
                      path: state.path.map(([, c]) => c),
                      choices: shownNow.map((c) => ({id: c.id, text: plain(c.text)}))});
      }
      draw(true);
      if (state.ending !== null && lms && lms.finished && !finishedSent) {
        finishedSent = true;
        const d = rules.debrief(state);
        lms.finished({overall: Number(d.overall), result: rules.toJson(state, lang),
                      durationMs: Date.now() - started});
      }
    }

    function restart() {
      const out = rules.begin();
      state = out.state;
      lastEvents = null;
      held = [];
      finishedSent = false;
      transfer = null;
      lmsMessage = null;
      draw(true);
    }

    document.addEventListener("keydown", (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const tag = (e.target && e.target.tagName) || "";
      if (tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA") return;
      if (!/^[1-9]$/.test(e.key)) return;
      const buttons = root.querySelectorAll("#sam-scene ol.choices button");
      const b = buttons[Number(e.key) - 1];
      if (b) {
        e.preventDefault();
        b.click();
      }
    });

    state = rules.begin().state;
    draw(false);
    performance.mark("sam-cowboy-first-scene");
    function preferLanguages(codes) { // the learner's preferences, unless the URL chose
      if (params.get("lang")) return;
      const found = codes.flatMap((c) => [c, c.toLowerCase().split("-")[0]])
        .find((c) => data.languages.includes(c));
      if (found && found !== lang) {
        lang = found;
        draw(false);
      }
    }

    function resume(choiceIds) { // replay a suspended run's choices, as far as they hold
      for (const id of choiceIds) {
        if (state.ending !== null || !rules.shown(state).some((c) => c.id === id)) break;
        lastEvents = rules.choose(state, id);
        held.push(...lastEvents.filter((e) => e.type === "feedback"));
      }
      draw(false);
    }

    if (lms && lms.start) {
      lms.start({setStatus, setReturn, preferLanguages, resume,
                 result: () => rules.toJson(state, lang)});
    }
    return {
      result: () => rules.toJson(state, lang), language: () => lang,
      // what the transfer step would propose after these choices (as core.transfer.proposals)
      proposalsFor(ids) {
        const st = rules.replay(ids);
        const pr = rules.proposals(st, rules.transferWeakest(rules.debrief(st)));
        return {scene: pr.scene, choice: pr.choice, actions: pr.actions.map(inLang)};
      },
      // "the decisions that mattered" after these choices (as core.debrief's key decisions)
      keyDecisionsFor(ids) {
        return rules.debrief(rules.replay(ids)).keyDecisions.map((k) => [k.scene, k.choice]);
      },
      transfer: () => (transfer ? JSON.parse(JSON.stringify(transfer.record)) : null),
    };
  }

  const source = document.getElementById("sam-episode");
  const data = JSON.parse(source.textContent);
  const api = Player(data, document.getElementById("sam-root"), window.samCowboyLms || null);
  window.samCowboy = Object.freeze(api);
})();
