"""Episodes sent out of the terminal: a self-contained web player, cmi5 and SCORM 1.2 packages.

The core compiles an episode into a small JSON form (`compile.py`) that the browser player
(`player.js`) interprets; no rule is written twice in prose, and the tests replay runs in
Chromium against `sam-cowboy run --json` to prove the two agree.
"""
