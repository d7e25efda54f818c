"""The brief's framing and coverage sections as Markdown, HTML and terminal text (article text escaped).

Per outlet: how many of its own-voice sentences read as biased, its loaded words and phrases (most used
first, each linked to the sentence of its first occurrence, the side for lexicon terms), the names it gives
entities that other outlets name differently, and its distinctive words (or why there are none).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from markupsafe import Markup

from .output import safe

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|{}~])")
TERMS_SHOWN = 12  # loaded terms per outlet in a rendering (the JSON has up to framing.MAX_TERMS)
INTRO = ("Loaded language: words and phrases that evaluate rather than report, in each outlet's own voice "
         "(quoted words counted apart). Names: what an outlet calls an entity that other outlets name differently.")


def _md(text: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def _link(occ: dict[str, Any], base: str) -> str:
    start = (occ.get("sentence") or {}).get("start", occ["start"])
    return f"{base}/articles/{occ['article_id']}#s-{start}"


def _articles(o: dict[str, Any]) -> str:
    n = o["n_articles"]
    read = f", {o['n_read']} read" if o.get("n_read") is not None and o["n_read"] < n else ""
    return f"{n} article{'s' if n != 1 else ''}{read}"


def _sentences(o: dict[str, Any]) -> str:
    s = o.get("sentences") or {}
    if not s.get("own"):
        return "no sentences in its own voice"
    return f"{s['biased']} of {s['own']} own-voice sentences read as biased ({round(100 * s['share'])}%)"


def _term_label(t: dict[str, Any]) -> str:
    return f"{t['term']} ×{t['count']}" + (f" ({t['side']})" if t.get("side") else "")


def _name_label(n: dict[str, Any]) -> str:
    side = f", {n['side']}" if n.get("side") else ""
    others = f"; others: {', '.join(n['others'])}" if n.get("others") else ""
    return f"{n['variant']} ×{n['count']} ({n['entity']}{side}{others})"


def _distinctive(o: dict[str, Any]) -> str:
    if o.get("distinctive"):
        return ", ".join(t["term"] for t in o["distinctive"])
    return o.get("distinctive_note") or "none"


def _used(o: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in o.get("loaded_terms", []) if t["count"]][:TERMS_SHOWN]


def markdown(brief: dict[str, Any], base: str = "") -> list[str]:
    """``## Framing`` and ``## Coverage`` as Markdown lines."""
    lines = ["## Framing", "", f"_{_md(INTRO)}_", ""]
    for o in brief.get("framing") or []:
        terms = ", ".join(f"[{_md(_term_label(t))}]({_link(t['occurrences'][0], base)})" if t["occurrences"]
                          else _md(_term_label(t)) for t in _used(o))
        lines += [f"- **{_md(o['outlet'])}** ({_articles(o)}; {_md(_sentences(o))})",
                  f"  - loaded: {terms or 'none'}",
                  f"  - names: {_md('; '.join(map(_name_label, o.get('names', []))) or 'no differing names')}",
                  f"  - distinctive: {_md(_distinctive(o))}"]
    cov = brief.get("coverage") or {"events": [], "outlets": [], "blind_spots": []}
    if cov["events"]:
        lines += ["", "## Coverage", "", "| outlet | " + " | ".join(_md(e["date"] or "undated") for e in cov["events"])
                  + " |", "|---" * (len(cov["events"]) + 1) + "|"]
        for r in cov["outlets"]:
            lines.append(f"| {_md(r['outlet'])} | " + " | ".join(str(n or "") for n in r["cells"]) + " |")
        if cov["blind_spots"]:
            dates = {e["id"]: e["date"] or "undated" for e in cov["events"]}
            lines += ["", "Blind spots: " + "; ".join(f"{_md(b['outlet'])} on {dates[b['event_id']]}"
                                                       for b in cov["blind_spots"])]
    return lines


def html(brief: dict[str, Any], base: str = "") -> list[Markup]:
    """The framing and coverage sections as escaped HTML."""
    parts = [Markup('<section id="framing"><h2>Framing</h2><p><em>{}</em></p><ul>').format(INTRO)]
    for o in brief.get("framing") or []:
        terms = Markup(", ").join(
            Markup('<a class="term" href="{}">{}</a>').format(_link(t["occurrences"][0], base), _term_label(t))
            if t["occurrences"] else Markup("{}").format(_term_label(t)) for t in _used(o))
        parts.append(Markup("<li><strong>{}</strong> <small>({}; {})</small><br>loaded: {}<br>names: {}<br>"
                            "distinctive: {}</li>").format(
            o["outlet"], _articles(o), _sentences(o), terms or "none",
            "; ".join(map(_name_label, o.get("names", []))) or "no differing names", _distinctive(o)))
    parts.append(Markup('</ul></section><section id="coverage"><h2>Coverage</h2><table><thead><tr><th>Outlet</th>'))
    cov = brief.get("coverage") or {"events": [], "outlets": []}
    parts += [Markup("<th>{}</th>").format(e["date"] or "undated") for e in cov["events"]]
    parts.append(Markup("</tr></thead><tbody>"))
    for r in cov["outlets"]:
        # counts only (``%d`` refuses anything else): one table can hold outlets × events, hundreds of thousands
        cells = Markup("".join("<td>%d</td>" % n if n else "<td></td>" for n in r["cells"]))
        parts.append(Markup("<tr><th>{}</th>{}</tr>").format(r["outlet"], cells))
    parts.append(Markup("</tbody></table></section>"))
    return parts


def text(brief: dict[str, Any], width: int = 100) -> list[str]:
    """Framing as terminal lines (control characters removed from article text)."""
    outlets = brief.get("framing") or []
    if not outlets:
        return []
    lines = ["Framing"]
    for o in outlets:
        terms = ", ".join(_term_label(t) for t in _used(o)) or "none"
        names = "; ".join(map(_name_label, o.get("names", []))) or "no differing names"
        for label, value in ((f"{o['outlet']} ({_articles(o)})", _sentences(o)), ("loaded", terms),
                             ("names", names), ("distinctive", _distinctive(o))):
            indent = "  " if label != "loaded" and label not in ("names", "distinctive") else "    "
            lines.append(textwrap.fill(f"{safe(label)}: {safe(value)}", width, initial_indent=indent,
                                       subsequent_indent=indent + "  ", break_on_hyphens=False))
    lines.append("")
    return lines
