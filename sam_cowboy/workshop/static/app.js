// The phone page: join with a code and a name, then vote. Text from the server is only ever
// put in the page with textContent (never as HTML); **bold** and *italic* become elements.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let code = "", ws = null, state = null, delay = 250, myVote = {}, countdown = null, nextId = 1;
  // the transfer step, on this page: reflection answered or skipped, commitment skipped or made
  let reflected = false, commitSkipped = false, committed = null, transferShown = "";
  let composing = {key: "", ids: []};  // a compose scene: the fragments tapped, in order
  const pending = {};
  // The page speaks the room's language (the session's), else the browser's.
  const WORDS = {
    en: {unreachable: "Cannot reach the workshop server.", recorded: "Vote recorded.",
         notCounted: "Not counted.", end: "The end", anon: "Anonymous session: you are ",
         you: "You are ", open: "Vote open: choose (keys 1–{n}).",
         change: "Vote open: you can change your vote.", locked: "The vote is closed.",
         decided: "The room has chosen.", ended: "The session has ended.", vote1: "vote",
         votes: "votes", most: "★ most votes", soFar: "Votes so far", final: "The room's votes",
         roomChose: "The room chose: ", youChose: "You chose: ", youVoted: "You voted: ",
         noVote: "You did not vote on this scene.", closes: "The vote closes in {n} s",
         debrief: "Your debrief", reconnecting: "Reconnecting…",
         missing: "Enter the session code and your name.",
         tooLate: "too late: the vote on this scene is closed",
         assess: "Assessment: scores and lessons are shown at the end.",
         held: "What each consequence taught", questions: "To reflect on",
         posture: "Your posture", overall: "Overall posture", keyDecisions: "Key decisions",
         yourPath: "Your path", bestRun: "The best run", notHere: "(did not come here)",
         same: "= the same choice as the best run", practise: "To practise: ",
         bestSame: "the best run chose this too", bestNever: "the best run never came here",
         bestDid: "the best run: ", reflect: "Before the numbers, one question",
         answer: "Your answer (optional)", send: "Send", skip: "Skip",
         commit: "One action for work, by {n}", about: "It is about this decision: ",
         own: "Or write your own action", date: "By (YYYY-MM-DD)", commitOwn: "Commit to my action",
         committed: "Committed: ", by: " (by {n})", message: "Your message: ",
         compose: "Tap {n} pieces in the order of your message.", clear: "Clear",
         composed: "{n} composed", top: "The most-chosen messages"},
    fr: {unreachable: "Le serveur de l'atelier est injoignable.", recorded: "Vote enregistré.",
         notCounted: "Non compté.", end: "Fin", anon: "Session anonyme : vous êtes ",
         you: "Vous êtes ", open: "Vote ouvert : choisissez (touches 1–{n}).",
         change: "Vote ouvert : vous pouvez changer d'avis.", locked: "Le vote est clos.",
         decided: "Le groupe a choisi.", ended: "La session est terminée.", vote1: "vote",
         votes: "votes", most: "★ le plus de votes", soFar: "Votes jusqu'ici",
         final: "Résultat du vote", roomChose: "Le groupe a choisi : ",
         youChose: "Vous avez choisi : ", youVoted: "Vous aviez voté : ",
         noVote: "Vous n'avez pas voté pour cette scène.", closes: "Le vote se clôt dans {n} s",
         debrief: "Votre débriefing", reconnecting: "Reconnexion…",
         missing: "Entrez le code de la session et votre prénom.",
         tooLate: "trop tard : le vote sur cette scène est clos",
         assess: "Évaluation : scores et leçons sont montrés à la fin.",
         held: "Ce que chaque conséquence enseignait", questions: "Pour réfléchir",
         posture: "Votre posture", overall: "Posture globale", keyDecisions: "Décisions clés",
         yourPath: "Votre parcours", bestRun: "Le meilleur parcours", notHere: "(pas passé par là)",
         same: "= même choix que le meilleur parcours", practise: "À travailler : ",
         bestSame: "c'est aussi le choix du meilleur parcours",
         bestNever: "le meilleur parcours ne passe pas par là", bestDid: "le meilleur parcours : ",
         reflect: "Avant les chiffres, une question", answer: "Votre réponse (facultative)",
         send: "Envoyer", skip: "Passer", commit: "Une action au travail, pour le {n}",
         about: "Elle porte sur cette décision : ", own: "Ou écrivez votre propre action",
         date: "Pour le (AAAA-MM-JJ)", commitOwn: "M'engager sur mon action",
         committed: "Engagement pris : ", by: " (pour le {n})", message: "Votre message : ",
         compose: "Touchez {n} morceaux dans l'ordre de votre message.", clear: "Effacer",
         composed: "{n} message(s) composé(s)", top: "Les messages les plus choisis"},
  };
  let lang = (navigator.language || "en").slice(0, 2) === "fr" ? "fr" : "en";
  function T(key, n) { return (WORDS[lang][key] || WORDS.en[key]).replace("{n}", n); }
  function Q(text) { return lang === "fr" ? "« " + text + " »" : "“" + text + "”"; }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  // A paragraph of the episode's Markdown: emphasis and code spans, everything else text.
  function md(tag, src) {
    const out = document.createElement(tag);
    const re = /(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)|`([^`]+)`/g;
    let last = 0, m;
    while ((m = re.exec(src)) !== null) {
      out.appendChild(document.createTextNode(src.slice(last, m.index)));
      out.appendChild(el(m[2] ? "strong" : m[3] ? "em" : "code", m[2] || m[3] || m[4]));
      last = re.lastIndex;
    }
    out.appendChild(document.createTextNode(src.slice(last)));
    return out;
  }
  function say(text) { $("status").textContent = text; }
  function normal(c) { return (c || "").replace(/[\s\-_.]/g, "").toUpperCase(); }

  async function join(name) {
    $("join-error").textContent = "";
    let r;
    try {
      r = await fetch("/api/join", {method: "POST", headers: {"Content-Type": "application/json"},
                                    body: JSON.stringify({code: code, name: name}), credentials: "same-origin"});
    } catch (e) { $("join-error").textContent = T("unreachable"); return; }
    const data = await r.json().catch(() => ({}));
    if (!r.ok) { $("join-error").textContent = data.message || ("Error " + r.status); $("name").focus(); return; }
    try { localStorage.setItem("sc-name-" + code, name); } catch (e) { /* private mode */ }
    $("join").hidden = true;
    $("room").hidden = false;
    $("who").textContent = (data.anonymous ? T("anon") : T("you")) + data.name + " — " + data.code;
    history.replaceState(null, "", "/" + data.code);
    connect();
  }

  function connect() {
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
    ws = new WebSocket(url);
    ws.onopen = () => { ws.send(JSON.stringify({op: "hello", role: "participant", code: code})); };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === "welcome") {
        delay = 250; say("");
        for (const id in pending) ws.send(JSON.stringify(pending[id]));
      } else if (msg.type === "state") {
        state = msg;
        lang = msg.lang === "fr" ? "fr" : "en";
        document.documentElement.lang = lang;
        render();
      }
      else if (msg.type === "reply") { delete pending[msg.id]; onReply(msg); }
      else if (msg.type === "status") say(msg.status === "reconnecting" ? T("reconnecting") : "");
      else if (msg.type === "error") {
        ws.onclose = null; ws.close();
        $("room").hidden = true; $("join").hidden = false;
        $("join-error").textContent = msg.message;
      }
    };
    ws.onclose = () => {
      say(T("reconnecting"));
      setTimeout(connect, delay);
      delay = Math.min(4000, delay * 2);
    };
  }

  function send(req) {
    req.id = nextId++;
    pending[req.id] = req;
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(req));
  }

  function onReply(msg) {
    if (msg.ok && msg.action) committed = {action: msg.action, due: msg.due};
    if (msg.ok && msg.result === "ok" && msg.choice) {
      myVote[msg.step] = msg.choice;
      $("vote-result").textContent = T("recorded");
    } else if (!msg.ok) {
      $("vote-result").textContent = msg.result === "too_late" ? T("tooLate") : (msg.message || T("notCounted"));
    }
    render();
  }

  function vote(choice, fragments) {
    if (!state) return;
    const what = fragments ? {fragments: fragments} : {choice: choice.id};
    if (state.mode === "async") { send(Object.assign({op: "choose", seq: state.run.seq}, what)); return; }
    send(Object.assign({op: "vote", step: state.step}, what));
  }

  // A compose scene: each fragment is a button; taps build the message in order (a second
  // tap takes a fragment out); Send votes for the message.
  function renderCompose(box, view, key, open, mine) {
    const spec = view.compose;
    if (composing.key !== key) composing = {key: key, ids: []};
    const pick = spec.pick_min === spec.pick_max ? String(spec.pick_min) : spec.pick_min + "–" + spec.pick_max;
    if (spec.prompt) box.appendChild(md("p", spec.prompt));
    box.appendChild(el("p", T("compose", pick), "muted"));
    spec.fragments.forEach((f) => {
      const b = el("button", null, "fragment");
      b.type = "button";
      b.dataset.id = f.id;
      const at = composing.ids.indexOf(f.id);
      b.appendChild(el("span", f.n + ".", "num"));
      b.appendChild(document.createTextNode(" " + f.text + (at >= 0 ? " (" + (at + 1) + ")" : "")));
      b.setAttribute("aria-pressed", String(at >= 0));
      b.disabled = !open;
      b.addEventListener("click", () => toggleFragment(f.id));
      box.appendChild(b);
    });
    const texts = {};
    spec.fragments.forEach((f) => { texts[f.id] = f.text; });
    const preview = el("p", T("message") + composing.ids.map((id) => texts[id]).join(spec.separator), "message");
    preview.id = "message";
    preview.setAttribute("aria-live", "polite");
    box.appendChild(preview);
    const n = composing.ids.length;
    const sendB = el("button", T("send"), "primary");
    sendB.type = "button";
    sendB.id = "compose-send";
    sendB.disabled = !open || n < spec.pick_min || n > spec.pick_max;
    sendB.addEventListener("click", () => vote(null, composing.ids.slice()));
    box.appendChild(sendB);
    const clear = el("button", T("clear"));
    clear.type = "button";
    clear.disabled = !open || !n;
    clear.addEventListener("click", () => { composing.ids = []; render(); });
    box.appendChild(clear);
    if (mine) {
      const c = (view.choices || []).find((x) => x.id === mine);
      box.appendChild(el("p", T("youVoted") + (c ? c.text : mine), "lead"));
    }
  }

  function toggleFragment(id) {
    const at = composing.ids.indexOf(id);
    if (at >= 0) composing.ids.splice(at, 1); else composing.ids.push(id);
    render();
  }

  function render() {
    const s = state;
    if (!s) return;
    const live = s.mode === "live";
    const view = live ? s : (s.run || {});
    const scene = view.scene;
    if (!scene) return;
    const title = $("scene-title"), body = $("scene-body");
    const newScene = title.dataset.scene !== scene.id + ":" + (live ? s.step : view.seq);
    title.dataset.scene = scene.id + ":" + (live ? s.step : view.seq);
    title.textContent = scene.title || "";
    body.replaceChildren();
    for (const p of scene.paragraphs) body.appendChild(md("p", p));
    if (scene.card) {
      const box = el("div", null, "cardbox");
      for (const k in scene.card.fields) box.appendChild(md("p", scene.card.fields[k]));
      body.appendChild(box);
    }
    if (scene.ending) body.appendChild(el("p", T("end") + (scene.ending.title ? ": " + scene.ending.title : "") + " (" + scene.ending.kind + ")", "lead"));
    const mine = live ? (s.you.vote || myVote[s.step] || null) : null;
    const open = live ? s.phase === "open" : !view.ended;
    const box = $("choices");
    const focused = document.activeElement && box.contains(document.activeElement) ? (document.activeElement.dataset.id || document.activeElement.id) : null;
    box.replaceChildren();
    if (view.compose) renderCompose(box, view, scene.id + ":" + (live ? s.step : view.seq), open, mine);
    else (view.choices || []).forEach((c) => {
      const b = el("button");
      b.type = "button";
      b.dataset.id = c.id;
      b.appendChild(el("span", c.n + ".", "num"));
      b.appendChild(document.createTextNode(" " + c.text));
      if (live) b.setAttribute("aria-pressed", String(mine === c.id));
      b.disabled = !open;
      b.addEventListener("click", () => vote(c));
      box.appendChild(b);
    });
    for (const b of box.querySelectorAll("button")) if (focused && (b.dataset.id || b.id) === focused) b.focus();
    if (newScene && open && box.firstChild && document.activeElement === document.body) box.firstChild.focus();
    $("phase").textContent = live ? phaseWords(s) : "";
    if (newScene) $("vote-result").textContent = "";
    renderTally(s);
    renderOutcome(s, view);
    const d = live ? s.debrief : view.debrief;
    renderTransfer(d);
    $("assess").textContent = T("assess");
    $("assess").hidden = !s.assessment || !!d;
    if (live && s.phase === "open" && s.lock_in !== null) startCountdown(s.lock_in); else stopCountdown();
  }

  // After the ending, as plain mode: one question (typed, skippable), then the numbers (the
  // server's view of the core debrief), then one commitment. Built again only when its step
  // changes, so typing is never wiped by a push.
  function renderTransfer(d) {
    const box = $("debrief");
    if (!d) { box.hidden = true; box.replaceChildren(); transferShown = ""; return; }
    const tr = d.transfer;
    const done = committed || tr.commitment;
    const stage = (!tr.reflection && !reflected) ? "reflect" : done ? "done" : commitSkipped ? "skipped" : "commit";
    if (stage === transferShown) return;
    transferShown = stage;
    box.hidden = false;
    box.replaceChildren();
    if (stage === "reflect") {
      box.appendChild(el("h2", T("reflect"), null));
      box.appendChild(md("p", tr.question));
      const label = el("label", T("answer"));
      label.htmlFor = "reflection";
      const input = el("textarea");
      input.id = "reflection";
      input.maxLength = 1000;
      input.rows = 3;
      box.append(label, input);
      box.appendChild(button(T("send"), "reflect-send", () => {
        if (input.value.trim()) send({op: "reflect", text: input.value});
        reflected = true; render(); }));
      box.appendChild(button(T("skip"), "reflect-skip", () => { reflected = true; render(); }));
      return;
    }
    box.appendChild(el("h2", T("debrief")));
    debriefInto(box, d);
    if (stage === "done") {
      box.appendChild(el("p", T("committed") + done.action + T("by", done.due), "lead"));
      return;
    }
    if (stage === "skipped") return;
    const section = el("section");
    section.id = "commitment";
    section.appendChild(el("h2", T("commit", tr.due)));
    if (tr.about) section.appendChild(el("p", T("about") + Q(tr.about)));
    const date = el("input");
    date.id = "commit-date";
    date.value = tr.due;
    date.setAttribute("inputmode", "numeric");
    date.pattern = "\\d{4}-\\d{2}-\\d{2}";
    tr.proposals.forEach((a, i) => {
      section.appendChild(button((i + 1) + ". " + a, "proposal-" + (i + 1),
                                 () => send({op: "commit", proposal: i + 1, due: date.value.trim() || tr.due})));
    });
    const ownLabel = el("label", T("own"));
    ownLabel.htmlFor = "commit-own";
    const own = el("input");
    own.id = "commit-own";
    own.maxLength = 1000;
    const dateLabel = el("label", T("date"));
    dateLabel.htmlFor = "commit-date";
    section.append(ownLabel, own, dateLabel, date);
    section.appendChild(button(T("commitOwn"), "commit-send", () => {
      if (own.value.trim()) send({op: "commit", action: own.value.trim(), due: date.value.trim() || tr.due}); }));
    section.appendChild(button(T("skip"), "commit-skip", () => { commitSkipped = true; render(); }));
    box.appendChild(section);
  }

  function button(text, id, onClick) {
    const b = el("button", text);
    b.type = "button";
    b.id = id;
    b.addEventListener("click", onClick);
    return b;
  }

  function debriefInto(box, d) {
    function list(title, items) {
      if (!items.length) return;
      box.appendChild(el("h3", title));
      const ul = el("ul");
      for (const item of items) ul.appendChild(typeof item === "string" ? md("li", item) : item);
      box.appendChild(ul);
    }
    list(T("held"), d.held);
    list(T("questions"), d.questions);
    list(T("posture"), d.dimensions.map((x) => el("li", x.label + ": " + (x.exercised ? x.percent + "% (" + x.level_words + ")" : x.level_words))));
    const o = d.overall;
    box.appendChild(el("p", T("overall") + ": " + o.percent + "% (" + o.level_words + ")" + (o.label ? " — " + o.label : ""), "lead"));
    if (o.advice) box.appendChild(md("p", o.advice));
    list(T("keyDecisions"), d.key_decisions.map((k) => el("li", Q(k.text) +
      (k.changes.length ? " (" + k.changes.map((c) => (c[1] > 0 ? "+" : "") + c[1] + " " + c[0]).join(", ") + ")" : "") + "; " +
      (k.verdict === "same" ? T("bestSame") : k.verdict === "never" ? T("bestNever") : T("bestDid") + Q(k.best_text)))));
    if (d.path.length) {
      const table = el("table");
      const head = el("tr");
      head.append(el("th", "#"), el("th", T("yourPath")), el("th", T("bestRun") + " (" + d.best_overall + "%)"));
      table.appendChild(head);
      d.path.forEach((r, i) => {
        const row = el("tr");
        row.append(el("td", String(i + 1)), el("td", r.mine || T("notHere")), el("td", r.same ? "=" : (r.best || T("notHere"))));
        table.appendChild(row);
      });
      box.appendChild(table);
      box.appendChild(el("p", T("same"), "muted"));
    }
    if (d.weakest) {
      box.appendChild(el("h3", T("practise") + d.weakest.label));
      if (d.weakest.habit) box.appendChild(md("p", d.weakest.habit));
    }
  }

  function phaseWords(s) {
    if (s.phase === "open") return s.you.vote ? T("change") : T("open", s.choices.length);
    if (s.phase === "locked") return T("locked");
    if (s.phase === "decided") return T("decided");
    if (s.phase === "ended") return T("ended");
    return "";
  }

  function tallyList(choices, tally) {
    const total = Object.values(tally).reduce((a, b) => a + b, 0);
    const top = Math.max(0, ...Object.values(tally));
    const list = el("ul");
    for (const c of choices) {
      const n = tally[c.id] || 0, pct = total ? Math.round(100 * n / total) : 0;
      const li = el("li", null, "bar-row" + (n === top && n ? " lead" : ""));
      li.appendChild(el("span", c.n + ". " + c.text + ": " + n + " " + (n === 1 ? T("vote1") : T("votes")) + " (" + pct + "%)" + (n === top && n ? " " + T("most") : "")));
      const bar = el("div", null, "bar");
      bar.style.width = pct + "%";
      bar.setAttribute("aria-hidden", "true");
      li.appendChild(bar);
      list.appendChild(li);
    }
    return list;
  }

  function renderTally(s) {
    const t = $("tally");
    t.replaceChildren();
    if (s.mode !== "live" || !s.tally || s.phase === "ended") return;
    t.appendChild(el("h2", s.phase === "open" ? T("soFar") : T("final")));
    if (s.compose) {  // one message per person: how many composed, the three most chosen
      t.appendChild(el("p", T("composed", s.votes_cast)));
      const top = s.choices.filter((c) => s.tally[c.id]).sort((a, b) => s.tally[b.id] - s.tally[a.id]).slice(0, 3);
      t.appendChild(el("h3", T("top")));
      t.appendChild(tallyList(top, s.tally));
      return;
    }
    t.appendChild(tallyList(s.choices, s.tally));
  }

  function renderOutcome(s, view) {
    const o = $("outcome");
    o.replaceChildren();
    const out = s.mode === "live" ? s.outcome : view.last;
    if (!out) return;
    o.appendChild(el("h2", (s.mode === "live" ? T("roomChose") : T("youChose")) + out.winner_text));
    for (const f of out.feedback) o.appendChild(md("p", f));
    if (s.mode === "live") {
      const mine = s.you.vote;
      const worth = mine && out.worth[mine] ? out.worth[mine].map((w) => (w[1] > 0 ? "+" : "") + w[1] + " " + w[0]).join(", ") : "";
      const c = (s.choices || []).find((x) => x.id === mine);
      o.appendChild(el("p", mine ? T("youVoted") + (c ? c.text : mine) + (worth ? " (" + worth + ")" : "") : T("noVote")));
    }
  }

  function startCountdown(seconds) {
    const end = Date.now() + seconds * 1000;
    stopCountdown();
    const tick = () => {
      const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      $("phase").textContent = T("closes", left);
    };
    tick();
    countdown = setInterval(tick, 1000);
  }
  function stopCountdown() { if (countdown) { clearInterval(countdown); countdown = null; } }

  document.addEventListener("keydown", (ev) => {
    if (!state || ev.target.tagName === "INPUT" || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const n = parseInt(ev.key, 10);
    const view = state.mode === "live" ? state : state.run;
    if (ev.target.tagName === "TEXTAREA") return;
    if (view && view.compose) {
      const f = view.compose.fragments[n - 1];
      const b = f && $("choices").querySelector("button[data-id='" + CSS.escape(f.id) + "']");
      if (b && !b.disabled) { ev.preventDefault(); b.focus(); toggleFragment(f.id); }
      return;
    }
    if (n >= 1 && view && view.choices && n <= view.choices.length) {
      const b = $("choices").children[n - 1];
      if (b && !b.disabled) { ev.preventDefault(); b.focus(); vote(view.choices[n - 1]); }
    }
  });

  window.addEventListener("DOMContentLoaded", () => {
    const fromPath = normal(location.pathname.replace(/^\//, ""));
    if (fromPath) $("code").value = fromPath;
    $("join").addEventListener("submit", (ev) => {
      ev.preventDefault();
      code = normal($("code").value);
      const name = $("name").value.trim();
      if (!code || !name) { $("join-error").textContent = T("missing"); return; }
      join(name);
    });
    let saved = null;
    try { saved = fromPath ? localStorage.getItem("sc-name-" + fromPath) : null; } catch (e) { /* none */ }
    if (saved) { code = fromPath; $("name").value = saved; join(saved); }
    else (fromPath ? $("name") : $("code")).focus();
  });
})();
