/* cmi5 adapter for the sam-cowboy player (runs before player.js): the AU side of the cmi5
runtime (AICC/ADL cmi5 specification, "Content Launch Mechanisms" and "xAPI Statement Data
Model").

At launch the LMS puts endpoint, fetch, actor, registration and activityId in the URL. The
adapter POSTs once to the fetch URL for the auth token, reads the LMS.LaunchData state
document (contextTemplate, launchMode, masteryScore) and the learner's language preference
(cmi5LearnerPreferences agent profile), then sends, in order: initialized;
answered for each decision (a "cmi5 allowed" statement: no cmi5 category, the decision's
choice id as result.response); at the ending completed, then passed or failed with the scaled
score (overall percent / 100) against masteryScore, each only if an earlier session of the
registration has not sent it (completed once; nothing after passed); then the transfer step's
answers, as `report --evidence --format xapi` shapes them (verb answered, a long-fill-in
activity under the AU, result.response): the reflection answer (AU id + "/reflection") and the
commitment (AU id + "/commitment", due date and status as result extensions); terminated
last, once the commitment is made or skipped, or when the page goes away. A follow-up ("Did
you do it?" about an earlier commitment kept in the page) is sent the same way (AU id +
"/commitments/" + when it was made, result.response = done, partly or not yet, the note as
an extension). In Browse or
Review mode no completed/passed/failed is sent. */
(function () {
  "use strict";
  const VERB = "http://adlnet.gov/expapi/verbs/";
  const CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  const MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  const MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  const data = JSON.parse(document.getElementById("sam-episode").textContent);
  const q = new URLSearchParams(location.search);
  const launch = {endpoint: q.get("endpoint"), fetch: q.get("fetch"), actor: q.get("actor"),
                  registration: q.get("registration"), activityId: q.get("activityId")};
  const started = Date.now();
  let token = null, launchData = {}, mastery = data.mastery / 100, actor = null;
  const before = {completed: false, passed: false}; // in an earlier session of this registration
  let chain = Promise.resolve(), ready = false, terminated = false, player = null, failure = null;

  function uuid() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function endpoint(path) {
    return launch.endpoint.replace(/\/?$/, "/") + path;
  }

  function headers() {
    return {"Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json"};
  }

  function duration() {
    return "PT" + ((Date.now() - started) / 1000).toFixed(2) + "S";
  }

  function statement(verb, options) {
    const context = JSON.parse(JSON.stringify(launchData.contextTemplate || {}));
    context.registration = launch.registration;
    const activities = context.contextActivities = context.contextActivities || {};
    if (options.cmi5) {
      const category = activities.category = activities.category || [];
      category.push({objectType: "Activity", id: CMI5});
      if (options.moveOn) category.push({objectType: "Activity", id: MOVEON});
    }
    if (options.parent) activities.parent = [{objectType: "Activity", id: launch.activityId}];
    if (options.mastery !== undefined) {
      context.extensions = Object.assign(context.extensions || {}, {[MASTERY]: options.mastery});
    }
    const s = {id: uuid(), actor, verb: {id: VERB + verb, display: {"en-US": verb}},
               object: options.object || {objectType: "Activity", id: launch.activityId},
               context, timestamp: new Date().toISOString()};
    if (options.result) s.result = options.result;
    return s;
  }

  function post(s, keepalive) {
    return fetch(endpoint("statements"), {method: "POST", headers: headers(), keepalive,
                                          body: JSON.stringify(s)})
      .then((r) => { if (!r.ok) throw new Error("LRS " + r.status); });
  }

  function send(s) {
    chain = chain.then(() => (failure ? null : post(s, false))).catch((e) => {
      failure = e;
      if (player) player.setStatus("lms_error", {error: String(e.message || e)});
    });
    return chain;
  }

  function terminate(keepalive) {
    if (!ready || terminated) return chain;
    terminated = true;
    const s = statement("terminated", {cmi5: true, result: {duration: duration()}});
    if (keepalive) return post(s, true).catch(() => null);
    return send(s);
  }

  async function begin() {
    for (const key of Object.keys(launch)) {
      if (!launch[key]) throw new Error("launch parameter " + key + " is missing");
    }
    actor = JSON.parse(launch.actor);
    const answer = await fetch(launch.fetch, {method: "POST"});
    const body = await answer.json();
    if (!answer.ok || !body["auth-token"]) throw new Error(body["error-text"] || "fetch " + answer.status);
    token = body["auth-token"];
    const state = new URLSearchParams({stateId: "LMS.LaunchData", activityId: launch.activityId,
                                       agent: launch.actor, registration: launch.registration});
    const got = await fetch(endpoint("activities/state?" + state), {headers: headers()});
    if (!got.ok) throw new Error("LMS.LaunchData " + got.status);
    launchData = await got.json();
    if (typeof launchData.masteryScore === "number") mastery = launchData.masteryScore;
    const prefs = new URLSearchParams({profileId: "cmi5LearnerPreferences", agent: launch.actor});
    const profile = await fetch(endpoint("agents/profile?" + prefs), {headers: headers()});
    if (profile.ok) { // cmi5 section 11: the learner's languages, in order of preference
      const languages = String((await profile.json()).languagePreference || "");
      player.preferLanguages(languages.split(",").map((c) => c.trim()).filter(Boolean));
    }
    for (const verb of Object.keys(before)) { // cmi5 9.3: completed and passed once per registration
      const query = new URLSearchParams({agent: launch.actor, verb: VERB + verb, limit: "1",
                                         activity: launch.activityId, registration: launch.registration});
      const found = await fetch(endpoint("statements?" + query), {headers: headers()});
      if (found.ok) before[verb] = ((await found.json()).statements || []).length > 0;
    }
    await post(statement("initialized", {cmi5: true}), false);
    ready = true;
  }

  window.samCowboyLms = {
    canReplay: false, // after terminated a session may send nothing more
    mastery: () => Math.round(mastery * 100),
    start(p) {
      player = p;
      chain = begin().catch((e) => {
        failure = e;
        p.setStatus("lms_error", {error: String(e.message || e)});
      });
      window.addEventListener("pagehide", () => terminate(true));
    },
    answered(step) {
      chain.then(() => {
        if (!ready || terminated) return;
        const lang = document.documentElement.lang || data.languages[0];
        const definition = {type: "http://adlnet.gov/expapi/activities/cmi.interaction",
                            interactionType: "choice",
                            choices: step.choices.map((c) => ({id: c.id, description: {[lang]: c.text || c.id}}))};
        if (step.title) definition.name = {[lang]: step.title};
        send(statement("answered", {
          parent: true, result: {response: step.choice},
          object: {objectType: "Activity", definition,
                   id: launch.activityId + "/scenes/" + encodeURIComponent(step.scene)}}));
      });
    },
    finished(outcome) {
      chain.then(() => {
        if (!ready || terminated) return;
        if ((launchData.launchMode || "Normal") === "Normal") {
          const scaled = outcome.overall / 100, passed = scaled >= mastery;
          if (!before.completed) {
            send(statement("completed", {cmi5: true, moveOn: true,
                                         result: {completion: true, duration: duration()}}));
          }
          if (!before.passed) send(statement(passed ? "passed" : "failed", {
            cmi5: true, moveOn: true,
            mastery: typeof launchData.masteryScore === "number" ? mastery : undefined,
            result: {score: {scaled, raw: outcome.overall, min: 0, max: 100}, success: passed,
                     duration: duration()}}));
          before.completed = true;
          before.passed = before.passed || passed;
        }
      });
    },
    reflected(answer) {
      fillIn("reflection", "reflection question", {response: answer.answer});
    },
    committed(c) {
      fillIn("commitment", "commitment", {response: c.action, extensions: {
        [data.transfer.xapi.due]: c.due, [data.transfer.xapi.status]: c.status}});
    },
    followedUp(answer) { // "Did you do it?" about a commitment made in an earlier run
      const result = {response: answer.status};
      if (answer.note !== null) result.extensions = {[data.transfer.xapi.note]: answer.note};
      fillIn("commitments/" + encodeURIComponent(answer.made), "Did you do it?", result);
    },
    transferDone() { // the last thing the learner does here: the session ends
      chain.then(() => {
        if (!ready) return;
        terminate(false).then(() => {
          if (launchData.returnURL) player.setReturn(launchData.returnURL);
          if (!failure) player.setStatus("lms_saved", {});
        });
      });
    },
  };

  function fillIn(path, name, result) { // an answer typed by the learner: data, sent as a string
    chain.then(() => {
      if (!ready || terminated) return;
      send(statement("answered", {
        parent: true, result,
        object: {objectType: "Activity", id: launch.activityId + "/" + path,
                 definition: {type: "http://adlnet.gov/expapi/activities/cmi.interaction",
                              interactionType: "long-fill-in", name: {"en-US": name}}}}));
    });
  }
})();
