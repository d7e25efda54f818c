"""The brief of a storyline: what no single article says, every sentence cited to the sentence it came from.

1. read the storyline's material once (articles, sentences, time expressions, quotes, mentions);
2. build each section with its builder from ``SECTIONS`` (timeline, statements, framing, coverage, and
   the analyses of positions, claims and conflicts where this build has them; a section without a builder
   is ``null``);
3. write the summary from the sections (:mod:`storyline.analysis.summary`): extractive paragraphs whose
   every sentence carries citations ``{article_id, outlet, date, start, end}``; when an OpenAI-compatible
   endpoint is configured, it may rewrite them but only keeping every citation
   (:mod:`storyline.analysis.rewrite`);
4. render as JSON-ready data (``build``: keys ``timeline, statements, positions, claims, conflicts,
   framing, coverage, summary``), Markdown (``to_markdown``), HTML (``to_html``) or terminal text
   (``to_text``); article text is escaped in every rendering.
"""

from __future__ import annotations

import gc
import re
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from . import brief_framing
from .analysis import claims, conflicts, framing, ledger, positions, summary, timeline
from .analysis.cite import sentence_at as sentence_of
from .analysis.rewrite import rewrite
from .headlines import headline
from .corrections.dismiss import Review
from .output import safe
from .records import StoryMaterial
from .settings import Settings
from .store import Store
from .clean.boilerplate import learned_sentences
from .store.material import read_material

SECTION_KEYS = ("timeline", "statements", "positions", "claims", "conflicts", "framing", "coverage")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|{}~])")
NBSP = "\u00a0"
STORY_FIELDS = ("id", "title", "start", "end", "n_articles", "n_outlets", "n_sources", "n_unknown_outlet")
__all__ = ["build", "compose", "to_markdown", "to_html", "to_text", "event_order", "sentence_of", "source_link",
           "SECTIONS"]


@dataclass
class BriefContext:
    """What a section builder reads: the store, the storyline (``api.story``), its material, and the
    sections built before it (in ``SECTIONS`` order)."""

    store: Store
    story: dict[str, Any]
    material: StoryMaterial
    built: dict[str, Any] = field(default_factory=dict)


def _positions(c: BriefContext) -> list[dict[str, Any]]:
    """Each actor's positions; a position that changed an earlier one carries ``changes`` (what changed,
    since when, citing the earlier position)."""
    items = positions.extract(c.store, c.story)
    by_ref = {(p["article_id"], p["start"]): p for p in items}
    for change in positions.changes(items):
        after = change["after"]
        target = by_ref.get((after.get("article_id"), after.get("start")))
        if target is not None:
            target.setdefault("changes", []).append(change)
    return items


#: The section builders, in build order.
SECTIONS: dict[str, Callable[[BriefContext], Any]] = {
    "timeline": lambda c: timeline.build(c.story, c.material),
    "statements": lambda c: ledger.build(c.material),
    "positions": _positions,
    "conflicts": lambda c: conflicts.find(c.store, c.story),
    "claims": lambda c: claims.extract(c.store, c.story),
    "framing": lambda c: framing.build(c.story, c.material),
    "coverage": lambda c: framing.coverage(c.story, c.built["timeline"]),
}


def build(story: dict[str, Any], store: Store, settings: Settings | None = None) -> dict[str, Any]:
    """The brief of ``story`` (an ``api.story`` result) as JSON-ready data."""
    with without_gc():
        return _build(story, store, settings)


_GC_LOCK = threading.Lock()
_GC = {"builds": 0, "was_enabled": True}  # builds running with the collector paused (one per server thread)


@contextmanager
def without_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a brief is built: a build makes millions of small acyclic
    objects, and the collector walking them took 0.7 s of a 5,000-article brief's 5 s. It runs again when
    the last build running in the process ends (and collects any cycles then)."""
    with _GC_LOCK:
        _GC["builds"] += 1
        if _GC["builds"] == 1:
            _GC["was_enabled"] = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC["builds"] -= 1
            if _GC["builds"] == 0 and _GC["was_enabled"]:
                gc.enable()


def _build(story: dict[str, Any], store: Store, settings: Settings | None = None) -> dict[str, Any]:
    ids = [a["id"] for a in story.get("articles", [])] or list(story.get("article_ids", []))
    material = _without_learned(read_material(store.conn, ids), store)
    story = _titled(story, material)
    ctx = BriefContext(store=store, story=story, material=material)
    for key, make in SECTIONS.items():
        ctx.built[key] = make(ctx)
    # analysts' dismissals: stable ids on every item, dismissed ones left out (storyline.corrections)
    sections, dismissed = Review.load(store.conn).sections({key: ctx.built.get(key) for key in SECTION_KEYS})
    brief = compose(story, sections, ctx.material, settings)
    brief["summary"]["dismissed"] = dismissed
    return brief


def _titled(story: dict[str, Any], material: StoryMaterial) -> dict[str, Any]:
    """The storyline and its events with headline-like titles (``headlines``), and how many of its
    articles come from no known outlet."""
    members: dict[Any, list[str]] = {}
    for a in story.get("articles", []):
        members.setdefault(a.get("event_id"), []).append(a["id"])

    def heads(ids: list[str]) -> list[str | None]:
        return [material.articles[i].title for i in ids if i in material.articles]

    events = [{**e, "title": headline(e.get("title"), heads(members.get(e.get("id"), [])))}
              for e in story.get("events", [])]
    biggest = sorted(events, key=lambda e: -len(members.get(e.get("id"), [])))
    title = headline(story.get("title"), [e["title"] for e in biggest] + heads(list(material.articles)))
    unknown = sum(1 for a in material.articles.values() if not a.outlet)
    return {**story, "title": title, "events": events, "n_unknown_outlet": unknown}
def _without_learned(material: StoryMaterial, store: Store) -> StoryMaterial:
    """The material without sentences in lines their outlet repeats (learned boilerplate not yet re-cleaned):
    a brief never cites them."""
    learned = store.learned_lines(names={a.outlet for a in material.articles.values() if a.outlet})
    if not learned:
        return material
    for aid, sents in material.sentences.items():
        art = material.articles.get(aid)
        drop = learned_sentences(art.text, sents, learned.lines(art.outlet)) if art else set()
        if drop and len(drop) < len(sents):   # (an article of nothing else keeps its own, as without NLP)
            material.sentences[aid] = [s for i, s in enumerate(sents) if i not in drop]
    return material


def compose(story: dict[str, Any], sections: dict[str, Any], material: StoryMaterial,
            settings: Settings | None = None) -> dict[str, Any]:
    """The brief from built sections: the sections and the summary written from them (rewritten when an
    endpoint is configured and the rewrite keeps every citation)."""
    paragraphs = summary.paragraphs(sections, material)
    kind, refused, model = "extractive", [], None
    settings = settings or Settings.load()
    if settings.llm_base_url and settings.llm_model and paragraphs:
        paragraphs, refused = rewrite(paragraphs, settings.llm_base_url, settings.llm_model)
        if any(p.get("rewritten") for p in paragraphs):
            kind, model = "rewritten", settings.llm_model
    return {**sections, "summary": {
        "storyline": {k: story.get(k) for k in STORY_FIELDS}, "kind": kind, "rewritten_by": model,
        "rewrite_refused": refused,
        "note": "Every sentence carries citations to the article sentences it came from (article id, offsets).",
        "paragraphs": paragraphs}}


def event_order(event: dict[str, Any]) -> tuple[bool, str, int]:
    """Dated events in time order, then the undated ones."""
    day = event.get("date") or event.get("start")
    return (day is None, day or "", event["id"])


def source_link(citation: dict[str, Any], base: str = "") -> str:
    """The page address of a cited sentence: ``/articles/ID#s-START``."""
    return f"{base}/articles/{citation['article_id']}#s-{citation['start']}"


def _label(citation: dict[str, Any]) -> str:
    """ "Reuters, 2024-12-09"; a source with no known outlet by its title or file; an opinion piece marked."""
    name = citation.get("outlet") or citation.get("title") or "unknown source"
    return f"{name}, {citation.get('date') or 'undated'}" + (", opinion" if citation.get("opinion") else "")


def _story(brief: dict[str, Any]) -> dict[str, Any]:
    return brief["summary"]["storyline"]


def _headline(s: dict[str, Any]) -> str:
    unknown = s.get("n_unknown_outlet") or 0
    outlets = f"{s.get('n_outlets') or 0} outlets" + (f" (+{unknown} articles of unknown outlet)" if unknown else "")
    return (f"{s.get('start') or '?'} to {s.get('end') or '?'} · {s.get('n_articles') or 0} articles · "
            f"{outlets} · {s.get('n_sources') or 0} independent sources")


def _first_report(st: dict[str, Any]) -> dict[str, Any] | None:
    return next((r["sentence"] for v in st["variants"] for r in v["reports"] if r.get("sentence")), None)


# -- Markdown -----------------------------------------------------------------------------------

def _md(text: Any) -> str:
    """Article text as inert Markdown: one line, every Markdown/HTML special character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def _md_cite(citations: list[dict[str, Any]], base: str) -> str:
    return " ".join(f"[{_md(_label(c))}]({source_link(c, base)})" for c in citations)


def _md_diff(diff: list[dict[str, str]]) -> str:
    marks = {"equal": "{}", "delete": "~~{}~~", "insert": "**{}**"}
    return " ".join(marks[d["op"]].format(_md(d["text"])) for d in diff)


def to_markdown(brief: dict[str, Any], base: str = "") -> str:
    """The brief as Markdown: the cited summary, then the sections."""
    s = _story(brief)
    lines = [f"# {_md(s.get('title') or 'Storyline ' + str(s.get('id')))}", "", _headline(s), "",
             f"_{_md(brief['summary']['note'])}_", ""]
    for p in brief["summary"]["paragraphs"]:
        lines += [f"**{p['topic']}**", ""]
        for x in p["sentences"]:
            if x.get("sides"):
                sides = " vs ".join(f"{_md(sd['value'])} {_md_cite(sd['citations'], base)}" for sd in x["sides"])
                lines.append(f"- **{_md(x['lead'])}**{' (one outlet updating its story)' if x.get('update') else ''}: "
                             f"{sides}")
            else:
                lead = f"**{_md(x['lead'])}**: " if x.get("lead") else ""
                lines.append(f"- {lead}{_md(x['text'])} {_md_cite(x['citations'], base)}")
        lines.append("")
    lines += ["## Timeline", ""]
    for e in brief["timeline"] or []:
        d = e.get("description")
        lines.append(f"- {e['date'] or 'undated'} ({e['date_basis']}) **{_md(e.get('title'))}**: "
                     + (f"{_md(d['text'])} {_md_cite([d['citation']], base)}" if d else "")
                     + f" · {e['n_articles']} articles, {e['n_sources']} sources: {_md(', '.join(e['outlets']))}")
    lines += ["", "## Who said what", ""]
    for g in brief["statements"] or []:
        lines += [f"### {_md((g['speaker'] or {}).get('name') or 'Unattributed')}", ""]
        for st in g["statements"]:
            first = _first_report(st)
            cite = f" {_md_cite([first], base)}" if first else ""
            lines.append(f"- {st['said_on'] or 'undated'}{_reported(st)}: {_md(_worded(st))}{cite} · "
                         f"{_md(', '.join(st['outlets']))}")
            for v in st["variants"][1:]:
                lines.append(f"  - variant ({_md(', '.join(v['outlets']))}): {_md_diff(v['diff'])}")
            for link in st["linked"]:
                lines.append(f"  - reported as ({_md(', '.join(link['outlets']))}): {_md(link['text'])}")
        lines.append("")
    lines += _md_analyses(brief, base)
    lines += brief_framing.markdown(brief, base)
    return "\n".join(lines).rstrip() + "\n"


def _worded(st: dict[str, Any]) -> str:
    """A statement's main wording: in quotation marks when an outlet quoted it, bare when only reported."""
    return f"“{st['text']}”" if st.get("verbatim", True) else st["text"]


def _reported(st: dict[str, Any]) -> str:
    """" (reported, denied)" after the date of a statement no outlet quoted verbatim."""
    if st.get("verbatim", True):
        return ""
    cue = st.get("cue")
    return f" (reported, {'according to' if cue == 'according' else cue})" if cue else " (reported)"


def _ref_link(ref: dict[str, Any], base: str) -> str:
    """``/articles/ID#s-START`` of a position, claim or conflict side (its sentence when it has one)."""
    start = (ref.get("sentence") or {}).get("start", ref.get("start", 0))
    return f"{base}/articles/{ref['article_id']}#s-{start}"


def _md_ref(ref: dict[str, Any], base: str) -> str:
    return f"[{_md(ref.get('outlet') or 'source')}]({_ref_link(ref, base)})"


def _stance_kind(p: dict[str, Any]) -> str:
    """A position's type, and "judged" when the learned evaluator read it from speech (``basis``)."""
    return f"{p['type']}, judged" if p.get("basis") == "judged" else p["type"]


def _md_analyses(brief: dict[str, Any], base: str) -> list[str]:
    """Positions, claims and conflicts, each item with links to its sources (sections absent: nothing)."""
    lines: list[str] = []
    if brief.get("positions"):
        lines += ["## Positions", ""]
        for p in brief["positions"]:
            lines.append(f"- {_md((p.get('holder') or {}).get('name') or 'Unattributed')} ({_stance_kind(p)}, "
                         f"{p.get('date') or 'undated'}): {_md(p['text'])} {_md_ref(p, base)}"
                         + "".join(f" · since {_md(ch['from_date'] or 'undated')}: {_md(ch['summary'])} "
                                   f"{_md_ref(ch['before'], base)}" for ch in p.get("changes", [])))
        lines.append("")
    if brief.get("claims"):
        lines += ["## Claims", ""]
        for c in brief["claims"]:
            refs = " ".join(_md_ref(a, base) for a in c["asserted_by"])
            against = " ".join(_md_ref(a, base) for a in c.get("contradicted_by") or [])
            lines.append(f"- {_md(c['text'])} · {c['independent_sources']} independent source(s): {refs}"
                         + (f" · contradicted by {against}" if against else ""))
        lines.append("")
    if brief.get("conflicts"):
        lines += ["## Conflicts", ""]
        for c in brief["conflicts"]:
            sides = " vs ".join(f"“{_md(x['text'])}” {_md_ref(x, base)}" for x in c["sides"])
            lines.append(f"- {_md(c['kind'])}, {_md(c['about'])} (confidence {c['confidence']}): {sides}")
        lines.append("")
    return lines


# -- terminal -----------------------------------------------------------------------------------

def to_text(brief: dict[str, Any], width: int = 100) -> str:
    """The summary as plain terminal text wrapped to ``width`` (control characters removed from article text)."""
    s = _story(brief)
    lines = [f"Brief: {safe(s.get('title'))} (storyline {s.get('id')}; storyline brief {s.get('id')})",
             _headline(s), ""]
    for p in brief["summary"]["paragraphs"]:
        lines.append(p["topic"])
        for x in p["sentences"]:
            # a citation is never broken across lines (no-break spaces inside it)
            if x.get("sides"):
                body = f"{safe(x['lead'])}: " + " vs ".join(
                    f"{safe(sd['value'])} " + " ".join(f"[{safe(_label(c))}]".replace(" ", NBSP)
                                                       for c in sd["citations"]) for sd in x["sides"])
                if x.get("update"):
                    body += " (one outlet updating its story)"
            else:
                cites = " ".join(f"[{safe(_label(c))}]".replace(" ", NBSP) for c in x["citations"])
                lead = f"{safe(x['lead'])}: " if x.get("lead") else ""
                body = f"{lead}{safe(x['text'])} {cites}"
            lines.append(textwrap.fill(body, width, initial_indent="  - ", subsequent_indent="    ",
                                       break_on_hyphens=False))
        lines.append("")
    lines += brief_framing.text(brief, width)
    return "\n".join(lines).rstrip() + "\n"


# -- HTML ---------------------------------------------------------------------------------------

# The long lists (timeline, statements, citations, diffs) are built with ``_esc`` and plain strings:
# ``Markup.format`` and markupsafe's ``escape`` cost several times more per call, and a 5,000-article brief
# makes hundreds of thousands of them.

def _esc(value: Any) -> str:
    """``escape(value)`` as a plain string (the same entities as markupsafe), fast for a plain string."""
    if type(value) is not str:
        return str(escape(value))
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
            .replace("'", "&#39;"))


def _h_cite(citations: list[dict[str, Any]], base: str) -> Markup:
    return Markup(" ".join(f'<a class="cite" href="{_esc(source_link(c, base))}">[{_esc(_label(c))}]</a>'
                           for c in citations))


_DIFF_TAGS = {"equal": "span", "delete": "del", "insert": "ins"}


def html_diff(diff: list[dict[str, str]]) -> Markup:
    """A word diff as escaped HTML with ``<del>`` and ``<ins>``."""
    tags = [_DIFF_TAGS[d["op"]] for d in diff]
    return Markup(" ".join(f"<{t}>{_esc(d['text'])}</{t}>" for t, d in zip(tags, diff)))


def to_html(brief: dict[str, Any], base: str = "") -> str:
    """A standalone HTML document; every piece of article text is escaped."""
    s = _story(brief)
    title = escape(s.get("title") or f"Storyline {s.get('id')}")
    parts = [Markup('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Brief: {0}</title>'
                    '</head><body><article class="brief"><h1>{0}</h1><p>{1}</p><p><em>{2}</em></p>').format(
                        title, _headline(s), brief["summary"]["note"]),
             Markup('<section id="summary">')]
    for p in brief["summary"]["paragraphs"]:
        items = []
        for x in p["sentences"]:
            if x.get("sides"):
                sides = Markup(" <em>vs</em> ").join(Markup("{} {}").format(sd["value"], _h_cite(sd["citations"], base))
                                                    for sd in x["sides"])
                items.append(Markup('<li class="dispute"><strong>{}</strong>{}: {}</li>').format(
                    x["lead"], " (one outlet updating its story)" if x.get("update") else "", sides))
            else:
                lead = Markup("<strong>{}</strong>: ").format(x["lead"]) if x.get("lead") else ""
                items.append(Markup('<li><span class="sentence">{}{} {}</span></li>').format(
                    lead, x["text"], _h_cite(x["citations"], base)))
        parts.append(Markup('<h2>{}</h2><ul class="summary">{}</ul>').format(p["topic"], Markup("").join(items)))
    parts.append(Markup('</section><section id="timeline"><h2>Timeline</h2><ol>'))
    for e in brief["timeline"] or []:
        d = e.get("description")
        parts.append(Markup(
            f'<li id="e-{_esc(e["id"])}"><time>{_esc(e["date"] or "undated")}</time> <small>({_esc(e["date_basis"])})'
            f'</small> <strong>{_esc(e.get("title") or "")}</strong> {_esc(d["text"]) if d else ""} '
            f'{_h_cite([d["citation"]], base) if d else ""}<small>{_esc(e["n_articles"])} articles, '
            f'{_esc(e["n_sources"])} sources: {_esc(", ".join(e["outlets"]))}</small></li>'))
    parts.append(Markup('</ol></section><section id="statements"><h2>Who said what</h2>'))
    for g in brief["statements"] or []:
        parts.append(Markup("<h3>{}</h3><ul>").format((g["speaker"] or {}).get("name") or "Unattributed"))
        for st in g["statements"]:
            first = _first_report(st)
            parts.append(Markup(f"<li>{_esc(st['said_on'] or 'undated')}{_esc(_reported(st))}: {_esc(_worded(st))} "
                                f"{_h_cite([first], base) if first else ''} "
                                f"<small>{_esc(', '.join(st['outlets']))}</small>"))
            for v in st["variants"][1:]:
                parts.append(Markup(f'<div class="variant">{html_diff(v["diff"])} '
                                    f'<small>{_esc(", ".join(v["outlets"]))}</small></div>'))
            parts.append(Markup("</li>"))
        parts.append(Markup("</ul>"))
    parts.append(Markup("</section>"))
    parts += _html_analyses(brief, base)
    parts += brief_framing.html(brief, base)
    parts.append(Markup("</article></body></html>"))
    return "".join(parts)   # every part is Markup already (a Markup join would escape each again)


def _h_ref(ref: dict[str, Any], base: str) -> Markup:
    return Markup(f'<a class="cite" href="{_esc(_ref_link(ref, base))}">[{_esc(ref.get("outlet") or "source")}]</a>')


def _html_analyses(brief: dict[str, Any], base: str) -> list[Markup]:
    """Positions, claims and conflicts as escaped HTML lists (sections absent: nothing)."""
    parts: list[Markup] = []
    if brief.get("positions"):
        parts.append(Markup('<section id="positions"><h2>Positions</h2><ul>'))
        parts += [Markup("<li>{} <small>({}, {})</small>: {} {}{}</li>").format(
            (p.get("holder") or {}).get("name") or "Unattributed", _stance_kind(p), p.get("date") or "undated",
            p["text"],
            _h_ref(p, base), Markup("").join(Markup(" <small>since {}: {}</small> {}").format(
                ch["from_date"] or "undated", ch["summary"], _h_ref(ch["before"], base))
                for ch in p.get("changes", []))) for p in brief["positions"]]
        parts.append(Markup("</ul></section>"))
    if brief.get("claims"):
        parts.append(Markup('<section id="claims"><h2>Claims</h2><ul>'))
        for c in brief["claims"]:
            refs = Markup(" ").join(_h_ref(a, base) for a in c["asserted_by"])
            against = Markup(" ").join(_h_ref(a, base) for a in c.get("contradicted_by") or [])
            parts.append(Markup("<li>{} <small>{} independent source(s)</small> {}{}</li>").format(
                c["text"], c["independent_sources"], refs,
                Markup(" <small>contradicted by</small> {}").format(against) if against else ""))
        parts.append(Markup("</ul></section>"))
    if brief.get("conflicts"):
        parts.append(Markup('<section id="conflicts"><h2>Conflicts</h2><ul>'))
        for c in brief["conflicts"]:
            sides = Markup(" <em>vs</em> ").join(Markup("“{}” {}").format(x["text"], _h_ref(x, base))
                                                for x in c["sides"])
            parts.append(Markup("<li><strong>{}</strong>, {} <small>(confidence {})</small>: {}</li>").format(
                c["kind"], c["about"], c["confidence"], sides))
        parts.append(Markup("</ul></section>"))
    return parts
