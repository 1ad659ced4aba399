// The phone page: join with a code and a name, then vote. Text from the server is only ever
// put in the page with textContent (never as HTML); **bold** and *italic* become elements.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let code = "", ws = null, state = null, delay = 250, myVote = {}, countdown = null, nextId = 1;
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
         tooLate: "too late: the vote on this scene is closed"},
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
         tooLate: "trop tard : le vote sur cette scène est clos"},
  };
  let lang = (navigator.language || "en").slice(0, 2) === "fr" ? "fr" : "en";
  function T(key, n) { return (WORDS[lang][key] || WORDS.en[key]).replace("{n}", n); }

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
    if (msg.ok && msg.result === "ok" && msg.choice) {
      myVote[msg.step] = msg.choice;
      $("vote-result").textContent = T("recorded");
    } else if (!msg.ok) {
      $("vote-result").textContent = msg.result === "too_late" ? T("tooLate") : (msg.message || T("notCounted"));
    }
    render();
  }

  function vote(choice) {
    if (!state) return;
    if (state.mode === "async") { send({op: "choose", seq: state.run.seq, choice: choice.id}); return; }
    send({op: "vote", step: state.step, choice: choice.id});
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
    const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    box.replaceChildren();
    (view.choices || []).forEach((c) => {
      const b = el("button");
      b.type = "button";
      b.dataset.id = c.id;
      b.appendChild(el("span", c.n + ".", "num"));
      b.appendChild(document.createTextNode(" " + c.text));
      if (live) b.setAttribute("aria-pressed", String(mine === c.id));
      b.disabled = !open;
      b.addEventListener("click", () => vote(c));
      box.appendChild(b);
      if (focused === c.id) b.focus();
    });
    if (newScene && open && box.firstChild && document.activeElement === document.body) box.firstChild.focus();
    $("phase").textContent = live ? phaseWords(s) : "";
    if (newScene) $("vote-result").textContent = "";
    renderTally(s);
    renderOutcome(s, view);
    const d = live ? s.debrief : view.debrief;
    $("debrief").hidden = !d;
    $("debrief").replaceChildren();
    if (d) { $("debrief").appendChild(el("h2", T("debrief"))); $("debrief").appendChild(el("pre", d.join("\n"), "debrief")); }
    if (live && s.phase === "open" && s.lock_in !== null) startCountdown(s.lock_in); else stopCountdown();
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
