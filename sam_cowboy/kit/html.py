"""A printable HTML page: every piece of text escaped, one stylesheet, A4 pages."""

from __future__ import annotations

from html import escape

from sam_cowboy.core.safe_text import strip_controls

BASE_CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: "Helvetica Neue", Arial, sans-serif; color: #1d2330; line-height: 1.45;
       max-width: 180mm; margin: 0 auto; }
h1 { font-size: 20pt; margin: 0 0 6mm; color: #7a3b10; }
h2 { font-size: 14pt; margin: 6mm 0 3mm; }
.sheet { page-break-after: always; break-after: page; padding: 4mm 0; }
.sheet:last-child { page-break-after: auto; break-after: auto; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; }
th, td { border: 1px solid #9aa3b5; padding: 2mm; vertical-align: top; text-align: left; }
th { background: #f3e6d8; }
.template { border-left: 3px solid #7a3b10; padding: 1mm 3mm; margin: 2mm 0; }
.template .label { font-weight: bold; }
.template .count { color: #5b6475; font-size: 9pt; }
footer { font-size: 8pt; color: #5b6475; margin-top: 8mm; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def esc(text: object) -> str:
    """Text as HTML: control characters and escape sequences stripped, then escaped."""
    return escape(strip_controls(str(text)), quote=True)


def page(title: str, lang: str, body: str, css: str = "") -> str:
    """A whole HTML document; `title` is text (escaped here), `body` is HTML already."""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
            f"<body>\n{body}</body>\n</html>\n")
