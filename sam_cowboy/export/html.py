"""One self-contained HTML page that plays an episode: the compiled JSON, the player, its CSS.

Nothing is fetched at run time. A Content-Security-Policy allows only the page's own scripts
(by hash) and, for the plain page, no network at all; an LMS package opens `connect-src` for
its LRS. The episode's JSON sits in a `<script type="application/json">` block with every
`<` escaped, so no episode text can close the block or become markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from importlib import resources
from typing import Any

from sam_cowboy.core.safe_text import one_line

ASSETS = resources.files("sam_cowboy.export")


def asset(name: str) -> str:
    return ASSETS.joinpath(name).read_text(encoding="utf-8")


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def embed_json(data: Any) -> str:
    """JSON safe inside a script element: `<` never appears literally."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def build_html(data: dict[str, Any], adapters: tuple[str, ...] = (), connect: str = "'none'") -> str:
    """The page. `adapters`: LMS scripts run before the player; `connect`: CSP connect-src."""
    scripts = [*adapters, asset("player.js")]
    lang = data["languages"][0]
    title = one_line(next(iter(data["title"].values()), data["id"]))
    style = asset("player.css")
    # hashes, not 'unsafe-inline': only these exact scripts and styles run (the gauges'
    # widths are set through the CSSOM, which a style-src does not govern)
    csp = (f"default-src 'none'; script-src {' '.join(_hash(s) for s in scripts)}; "
           f"style-src {_hash(style)}; img-src data:; connect-src {connect}; "
           "base-uri 'none'; form-action 'none'")
    body_scripts = "\n".join(f"<script>{s}</script>" for s in scripts)
    return f"""<!doctype html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">
<meta name="generator" content="sam-cowboy export ({data['format']})">
<title>{html.escape(title)}</title>
<style>{style}</style>
</head>
<body>
<div id="sam-root"><noscript>This episode needs JavaScript. / Cet épisode a besoin de JavaScript.</noscript></div>
<script type="application/json" id="sam-episode">{embed_json(data)}</script>
{body_scripts}
</body>
</html>
"""
