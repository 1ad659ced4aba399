/* SCORM 1.2 adapter for the sam-cowboy player (runs before player.js).

Finds the LMS's API object on a parent (or opener) window as the SCORM 1.2 Run-Time
Environment describes, calls LMSInitialize at start, records each decision as an interaction
(type "performance": the response is the choice id), and at the ending sets the score (the
overall percent, 0-100), lesson_status passed or failed against the mastery score (the LMS's
cmi.student_data.mastery_score when it has one, else the package's adlcp:masteryscore value
compiled in) and the session time, then commits. The transfer step's answers are interactions
too (type "fill-in", result "neutral", the response cut to the 255 characters SCORM 1.2 allows,
control characters dropped): "transfer.reflection" (the answer), "transfer.commitment" (the
action) and "transfer.commitment_due" (its date, YYYY-MM-DD), each committed at once; the full
texts stay in the page's localStorage. A follow-up of an earlier commitment ("Did you do
it?") is "transfer.follow_up" (done, partly, not yet) and, with a note, "transfer.follow_up_note". LMSFinish is called when the page goes away.
A run left before its ending is kept in cmi.suspend_data (its choice ids) with
cmi.core.exit "suspend"; the next launch (cmi.core.entry "resume") replays it. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("sam-episode").textContent);
  let api = null, mastery = data.mastery, interactions = 0, finished = false, player = null;
  const started = Date.now();
  const SUSPEND = "sam1:"; // suspend_data: this prefix, then the run's choice ids
  const CONTROL = new RegExp(data.control_pattern, "g");

  function find(win) {
    for (let hops = 0; win && hops < 10; hops++) {
      try {
        if (win.API) return win.API;
      } catch (e) { /* another origin: keep climbing */ }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  function call(name, ...args) {
    if (!api) return "";
    const out = String(api[name](...args));
    const code = String(api.LMSGetLastError());
    if (code !== "0" && name !== "LMSGetValue") {
      console.warn("SCORM " + name + "(" + args.join(", ") + "): error " + code);
    }
    return out;
  }

  function timespan(ms) { // CMITimespan: HHHH:MM:SS.SS
    const s = ms / 1000, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    const sec = (s % 60).toFixed(2).padStart(5, "0");
    return String(h).padStart(4, "0") + ":" + String(m).padStart(2, "0") + ":" + sec;
  }

  function clock() { // CMITime: HH:MM:SS
    const d = new Date();
    return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
  }

  function finish() {
    if (!api || finished) return;
    finished = true;
    call("LMSSetValue", "cmi.core.session_time", timespan(Date.now() - started));
    call("LMSCommit", "");
    call("LMSFinish", "");
  }

  function fillIn(id, text) { // a typed answer: SCORM 1.2's CMIFeedback holds 255 characters
    if (!api || finished) return;
    const n = "cmi.interactions." + interactions++;
    let response = "";
    for (const ch of String(text).replace(CONTROL, "")) { // whole characters, 255 UTF-16 units
      if (response.length + ch.length > 255) break;
      response += ch;
    }
    call("LMSSetValue", n + ".id", id);
    call("LMSSetValue", n + ".type", "fill-in");
    call("LMSSetValue", n + ".time", clock());
    call("LMSSetValue", n + ".student_response", response);
    call("LMSSetValue", n + ".result", "neutral");
  }

  window.samCowboyLms = {
    canReplay: true,
    mastery: () => mastery,
    start(p) {
      player = p;
      api = find(window) || (window.opener ? find(window.opener) : null);
      if (!api) {
        p.setStatus("lms_error", {error: "no SCORM API"});
        return;
      }
      if (call("LMSInitialize", "") !== "true") {
        p.setStatus("lms_error", {error: "LMSInitialize"});
        api = null;
        return;
      }
      const fromLms = call("LMSGetValue", "cmi.student_data.mastery_score");
      if (/^\d+(\.\d+)?$/.test(fromLms)) mastery = Number(fromLms);
      if (call("LMSGetValue", "cmi.core.lesson_status") === "not attempted") {
        call("LMSSetValue", "cmi.core.lesson_status", "incomplete");
      }
      const saved = call("LMSGetValue", "cmi.suspend_data");
      if (call("LMSGetValue", "cmi.core.entry") === "resume" && saved.startsWith(SUSPEND)) {
        p.resume(saved.slice(SUSPEND.length).split(",").filter(Boolean));
      }
      window.addEventListener("pagehide", finish);
      window.addEventListener("beforeunload", finish);
    },
    answered(step) {
      if (!api || finished) return;
      const n = "cmi.interactions." + interactions++;
      call("LMSSetValue", n + ".id", (step.scene + "." + interactions).slice(0, 255));
      call("LMSSetValue", n + ".type", "performance");
      call("LMSSetValue", n + ".time", clock());
      call("LMSSetValue", n + ".student_response", step.choice.slice(0, 255));
      call("LMSSetValue", n + ".result", "neutral");
      const saved = SUSPEND + step.path.join(",");
      if (saved.length <= 4096) { // SCORM 1.2's limit for suspend_data
        call("LMSSetValue", "cmi.suspend_data", saved);
        call("LMSSetValue", "cmi.core.exit", "suspend");
      }
    },
    reflected(answer) {
      if (!api || finished) return;
      fillIn("transfer.reflection", answer.answer);
      call("LMSCommit", "");
    },
    committed(c) {
      if (!api || finished) return;
      fillIn("transfer.commitment", c.action);
      fillIn("transfer.commitment_due", c.due);
      call("LMSCommit", "");
    },
    followedUp(answer) {
      if (!api || finished) return;
      fillIn("transfer.follow_up", answer.status);
      if (answer.note !== null) fillIn("transfer.follow_up_note", answer.note);
      call("LMSCommit", "");
    },
    finished(outcome) {
      if (!api || finished) return;
      const passed = outcome.overall >= mastery;
      call("LMSSetValue", "cmi.core.score.min", "0");
      call("LMSSetValue", "cmi.core.score.max", "100");
      call("LMSSetValue", "cmi.core.score.raw", String(outcome.overall));
      call("LMSSetValue", "cmi.core.lesson_status", passed ? "passed" : "failed");
      call("LMSSetValue", "cmi.core.exit", "");
      call("LMSSetValue", "cmi.suspend_data", "");
      const ok = call("LMSCommit", "") === "true";
      player.setStatus(ok ? "lms_saved" : "lms_error", {error: "LMSCommit"});
    },
  };
})();
