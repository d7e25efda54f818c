"""Positions, conflicts, claims and the brief on real multi-outlet news (labels in ``bench/data/real``).

The labelled storylines (``bench/data/real/storylines/*.json``, rules in ``ANALYSIS_RULES.md``) name
articles of ``../shared/data/corpus/allsides-12k.jsonl.gz`` by id and spans by character offsets into the
record's text; nothing of the text is in the repository. The evaluation:

1. ingests the labelled articles (all storylines together, stories on) into a temporary store;
2. maps each gold span onto the stored (cleaned) text by its words (the debris filter may have removed
   lines; a span that cannot be found is reported, not scored);
3. runs ``positions``, ``conflicts`` and ``claims`` on each gold storyline's articles as one storyline
   (the analysis alone; grouping is measured by ``eval_stories``), and builds the brief of the system
   storyline holding most of its articles;
4. scores:

- **positions**: a predicted position matches a gold one of the same article and type whose span it
  overlaps (one-to-one, the largest overlap first, on a tie the one naming the same holder); precision
  over predictions, recall over gold
  occurrences (and over distinct stances: a stance found once in an article counts); *holder accuracy*
  and *reported-by accuracy* over matched pairs (names folded; one name's words inside the other's, or
  one canonical country: Kremlin = Moscow = Russia);
- **conflicts**: a predicted conflict matches a gold one of the same kind when at least two of its sides
  overlap gold sides (same article); precision, recall; false conflicts per storyline where the outlets
  agree (``outlets_agree``);
- **claims**: a gold claim is found by the predicted claim whose asserting sentences overlap at least one
  gold asserting sentence with the best article-set F1 (at least ``MIN_CLAIM_F1``); for found claims, the
  share whose ``independent_sources`` equals the gold count (distinct ``source_group`` of asserting
  articles); ``claims_count_errors`` says why the others are wrong (``_claim_error``: a diagnostic);
- **brief**: share of summary sentences that cross a paragraph or heading (glued), start or end inside a
  quotation (cut), or are boilerplate (the labelled boilerplate lines where they are labelled, and lines
  seen in three or more articles of one outlet); storyline and event titles of at most 90 characters;
  disputed points that show every side's value in every rendering; the share of the positions the summary
  shows ("where each side stands") that match a reader's position of their article (type, span, holder), and
  of the claims it shows ("what is corroborated") that are one of the reader's central claims (and with the
  reader's count of independent sources);
- **timeline**: each event of the brief's timeline dated against the reader's day of its articles' news
  (``news_days.json``, ``news_days_test.json``; rules in ``NEWS_DAYS_RULES.md``; ``bench.real_timeline``),
  beside the naive date (the first report's publication day).

The sample corpus figures are ``eval_analysis`` (fictional, written beside the rules); both are reported
in the README side by side.

With ``--corrections FILE`` (``storyline corrections --export FILE``, made on a store of these articles)
the figures are computed again on a copy of the store with the analysts' corrections applied
(``bench.corrected``), beside the machine's.

With ``--test`` the same scoring runs on the held-out storylines of ``bench/data/real/test_storylines``
instead, labelled by the same rules after the rules and models were developed: never tune on them. Their
figures are saved as ``eval_real_analysis_test`` and have no minimums.

    python -m bench eval_real_analysis [--verbose] [--test] [--db PATH (reuse a built store)] [--corrections FILE]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.common import ROOT, check_minimums, nlp_fingerprint, save, shared
from bench.corrected import corrected_copy, option, report, reviewed
from bench.real_brief import brief_checks, repeated_lines, shown_claims, shown_events, shown_positions
from bench.real_claims import MIN_CLAIM_F1, score_claims
from bench.real_timeline import event_days, events_overall, load_news_days, timeline_dates
from bench.real_timeline import overall as timeline_overall
from bench.scoring import overlap as _overlap

GOLD_DIR = ROOT / "bench" / "data" / "real" / "storylines"
TEST_DIR = ROOT / "bench" / "data" / "real" / "test_storylines"   # held out: never tune on it
BOILERPLATE = ROOT / "bench" / "data" / "real" / "boilerplate_lines.json"
#: the reader's day of each article's news (``NEWS_DAYS_RULES.md``), per set
NEWS_DAYS = {GOLD_DIR: ROOT / "bench" / "data" / "real" / "news_days.json",
             TEST_DIR: ROOT / "bench" / "data" / "real" / "news_days_test.json"}
_WORD = re.compile(r"\w+", re.UNICODE)


# -- loading and span mapping --------------------------------------------------------------------------------

def load_gold(directory: Path = GOLD_DIR) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]


def corpus_rows(ids: set[str]) -> dict[str, dict[str, Any]]:
    out = {}
    with gzip.open(shared("corpus", "allsides-12k.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in ids:
                out[row["id"]] = row
    return out


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").replace("“", '"')
    return text.replace("”", '"').replace("\u00ad", "")


class SpanMap:
    """Raw corpus offsets -> stored text offsets, by searching the raw span's words in the stored text."""

    def __init__(self, raw: str, stored: str) -> None:
        self.raw, self.stored = raw, stored
        self.words = [(m.start(), m.end(), _fold(m.group()).casefold()) for m in _WORD.finditer(stored)]
        self.index: dict[str, list[int]] = defaultdict(list)
        for k, (_, _, w) in enumerate(self.words):
            self.index[w].append(k)

    def map(self, start: int, end: int) -> tuple[int, int] | None:
        want = [_fold(m.group()).casefold() for m in _WORD.finditer(self.raw[start:end])]
        if not want:
            return None
        expect = start / max(1, len(self.raw)) * len(self.stored)
        best = None
        for k in self.index.get(want[0], []):
            if k + len(want) <= len(self.words) and all(self.words[k + i][2] == w for i, w in enumerate(want)):
                dist = abs(self.words[k][0] - expect)
                if best is None or dist < best[0]:
                    best = (dist, self.words[k][0], self.words[k + len(want) - 1][1])
        return (best[1], best[2]) if best else None


# -- names ---------------------------------------------------------------------------------------------------

def _name_words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", _fold(name)).encode("ascii", "ignore").decode().casefold()
    words = [w for w in re.findall(r"[a-z0-9]+", folded) if w not in ("the", "s", "of", "a", "an", "mr", "mrs", "ms",
                                                                        "sen", "rep", "dr", "president")]
    return [_PARTY_NICKNAMES.get(w, w) for w in words]


# a party's nickname is its name ("GOP lawmakers" are "Republican lawmakers")
_PARTY_NICKNAMES = {"gop": "republican", "gopers": "republicans", "dems": "democrats"}


def _acronym(short: list[str], full: list[str]) -> bool:
    """One word that is the other name's initials ("ACLU", however cased, for the American Civil Liberties
    Union; "and" and "for" left out as acronyms leave them)."""
    initials = "".join(w[0] for w in full if w not in ("and", "for"))
    return len(short) == 1 and len(initials) >= 2 and short[0] == initials


def _person_key(name: str) -> str:
    from storyline.nlp.names import person_key

    return person_key(name)


def same_actor(predicted: str | None, gold: str | None, countries: dict[str, str]) -> bool:
    """Names of one actor: folded words of one inside the other's (typographic apostrophes as plain ones), an
    acronym and its name, one person's name with a given name and its short form (the alias file's classes),
    or the same country behind them."""
    if not predicted or not gold:
        return not predicted and not gold
    p, g = _name_words(predicted), _name_words(gold)
    if not p or not g:
        return False
    if set(p) <= set(g) or set(g) <= set(p) or _acronym(p, g) or _acronym(g, p):
        return True
    if len(p) >= 2 and len(g) >= 2 and _person_key(predicted) == _person_key(gold):
        return True   # one person's given name and its short form ("Robert McCulloch", "Bob McCulloch")
    cp, cg = countries.get(" ".join(p)), countries.get(" ".join(g))
    return cp is not None and cp == cg


def _countries() -> dict[str, str]:
    """Folded names of countries, their governments' seats and institutions -> the country code."""
    from storyline.nlp.names import load_aliases

    aliases = load_aliases()
    out = {}
    for folded, value in aliases.institutions.items():
        out[" ".join(_name_words(folded))] = value[1]
    for folded, code in aliases.metonyms.items():
        out[" ".join(_name_words(folded))] = code
    from storyline.polevents.lexicon import load_lexicon

    lex = load_lexicon()
    for name, code in {**lex.countries, **lex.capitals}.items():
        out.setdefault(" ".join(_name_words(name)), code)
    return {k: v for k, v in out.items() if k and v}


# -- scoring -------------------------------------------------------------------------------------------------

def score_positions(gold: list[dict], predicted: list[dict], countries: dict[str, str],
                    verbose: bool = False) -> dict[str, Any]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if p["article_id"] == g["article_id"]:
                ov = _overlap((p["start"], p["end"]), (g["start"], g["end"]))
                if ov > 0:
                    pairs.append((p["type"] == g["type"], ov,
                                  same_actor(p["holder"]["name"], g["holder"], countries), gi, pi))
    # ties of overlap go to the pair naming one holder ("the UK, France and Germany demanded": three stances on
    # one span, each matched to its own holder)
    pairs.sort(key=lambda x: (-x[0], -x[1], -x[2]))
    typed: dict[int, int] = {}
    used: set[int] = set()
    for same_type, _, _, gi, pi in pairs:
        if same_type and gi not in typed and pi not in used:
            typed[gi] = pi
            used.add(pi)
    loose: dict[int, int] = {}
    used_loose: set[int] = set()
    for _, _, _, gi, pi in pairs:
        if gi not in loose and pi not in used_loose:
            loose[gi] = pi
            used_loose.add(pi)
    holders = sum(same_actor(predicted[pi]["holder"]["name"], gold[gi]["holder"], countries) for gi, pi in typed.items())
    reporters = sum(same_actor((predicted[pi].get("reported_by") or {}).get("name"), gold[gi].get("reported_by"),
                               countries) for gi, pi in typed.items())
    stances = defaultdict(list)
    for gi, g in enumerate(gold):
        stances[(g["article_id"], g.get("stance") or gi)].append(gi)
    found_stances = sum(any(gi in typed for gi in members) for members in stances.values())
    confusion = Counter((gold[gi]["type"], predicted[pi]["type"]) for gi, pi in loose.items()
                        if gold[gi]["type"] != predicted[pi]["type"])
    n_pred, n_gold = len(predicted), len(gold)
    out = {
        "precision": round(len(typed) / n_pred, 3) if n_pred else 0.0,
        "recall": round(len(typed) / n_gold, 3) if n_gold else 0.0,
        "stance_recall": round(found_stances / len(stances), 3) if stances else 0.0,
        "untyped_precision": round(len(loose) / n_pred, 3) if n_pred else 0.0,
        "untyped_recall": round(len(loose) / n_gold, 3) if n_gold else 0.0,
        "holder_accuracy": round(holders / len(typed), 3) if typed else 0.0,
        "reported_by_accuracy": round(reporters / len(typed), 3) if typed else 0.0,
        "predicted": n_pred, "gold": n_gold, "matched": len(typed), "stances": len(stances),
        "type_confusions": {f"{g}->{p}": n for (g, p), n in confusion.most_common(12)},
        "by_type": {},
    }
    for kind in sorted({g["type"] for g in gold} | {p["type"] for p in predicted}):
        ng = sum(g["type"] == kind for g in gold)
        np_ = sum(p["type"] == kind for p in predicted)
        m = sum(gold[gi]["type"] == kind for gi in typed)
        out["by_type"][kind] = {"gold": ng, "predicted": np_, "matched": m}
    if verbose:
        out["holder_errors"] = [f"{gold[gi]['holder']} / {predicted[pi]['holder']['name']}"
                                for gi, pi in typed.items()
                                if not same_actor(predicted[pi]["holder"]["name"], gold[gi]["holder"], countries)][:60]
        out["false_positives"] = [f"{p['type']} {p['holder']['name']}: {p['text'][:100]}"
                                  for pi, p in enumerate(predicted) if pi not in used][:80]
        out["missed"] = [f"{g['type']} {g['holder']}: {g.get('_text', '')[:100]}" for gi, g in enumerate(gold)
                         if gi not in typed][:120]
    return out


def score_conflicts(gold: list[dict], predicted: list[dict], verbose: bool = False) -> dict[str, Any]:
    def hits(p: dict, g: dict) -> int:
        if p["kind"] != g["kind"]:
            return 0
        return len({i for i, gs in enumerate(g["sides"]) for s in p["sides"] if s["article_id"] == gs["article_id"]
                    and _overlap((s["start"], s["end"]), (gs["sentence"]["start"], gs["sentence"]["end"])) > 0})

    tp_p = sum(any(hits(p, g) >= 2 for g in gold) for p in predicted)
    tp_g = sum(any(hits(p, g) >= 2 for p in predicted) for g in gold)
    out = {"precision": round(tp_p / len(predicted), 3) if predicted else None,
           "recall": round(tp_g / len(gold), 3) if gold else None,
           "predicted": len(predicted), "gold": len(gold), "matched_predicted": tp_p, "matched_gold": tp_g}
    if verbose:
        out["false"] = [f"{p['kind']}: {p.get('about')} {[s.get('value') for s in p['sides']]}" for p in predicted
                        if not any(hits(p, g) >= 2 for g in gold)]
        out["missed"] = [f"{g['kind']}: {g.get('about')} {[s.get('value') for s in g['sides']]}" for g in gold
                         if not any(hits(p, g) >= 2 for p in predicted)]
    return out


def _ingest(rows: dict[str, dict[str, Any]], db: str) -> None:
    import storyline

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "real.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for _, r in sorted(rows.items()):
                fh.write(json.dumps({k: r.get(k) for k in ("id", "outlet", "url", "published", "title", "text",
                                                            "authors")}) + "\n")
        storyline.ingest([str(src)], db, settings=storyline.Settings(workers=2))


def _story_of(store: Any, ids: list[str]) -> dict[str, Any]:
    """A storyline dict (as ``api.story`` gives) of exactly these articles, with their stored events and
    sources."""
    c = store.conn
    marks = ",".join("?" * len(ids))
    meta = {r[0]: r for r in c.execute(
        "SELECT a.id, o.name, a.published, ea.event_id, d.group_id, s.source_id FROM articles a "
        "LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN event_articles ea ON ea.article_id = a.id "
        "LEFT JOIN duplicates d ON d.article_id = a.id LEFT JOIN sources s ON s.article_id = a.id "
        f"WHERE a.id IN ({marks})", ids)}
    articles = [{"id": i, "outlet": meta[i][1], "published": meta[i][2], "day": meta[i][2], "event_id": meta[i][3],
                 "canonical_id": meta[i][4], "source_id": meta[i][5]} for i in ids if i in meta]
    events: dict[Any, list[str]] = defaultdict(list)
    for a in articles:
        events[a["event_id"]].append(a["id"])
    return {"id": None, "title": None, "articles": articles,
            "events": [{"id": e, "article_ids": v} for e, v in events.items()]}


def _map_gold(g: dict[str, Any], maps: dict[str, SpanMap], stats: Counter) -> dict[str, Any]:
    def span(aid: str, start: int, end: int) -> tuple[int, int] | None:
        m = maps.get(aid)
        got = m.map(start, end) if m else None
        stats["mapped" if got else "unmapped"] += 1
        return got

    out = dict(g)
    positions = []
    for p in g.get("positions", []):
        if (p.get("about") or "").endswith("unrelated embedded headline"):
            stats["boilerplate_positions_dropped"] += 1
            continue   # stances in another story's headlines glued into a page: boilerplate, not this story
        s = span(p["article_id"], p["start"], p["end"])
        sent = span(p["article_id"], p["sentence"]["start"], p["sentence"]["end"])
        if s is None:
            continue
        positions.append({**p, "start": s[0], "end": s[1], "sentence": {"start": (sent or s)[0], "end": (sent or s)[1]},
                          "_text": maps[p["article_id"]].stored[s[0]:s[1]]})
    out["positions"] = positions
    conflicts = []
    for c in g.get("conflicts", []):
        sides = []
        for side in c["sides"]:
            s = span(side["article_id"], side["start"], side["end"])
            sent = span(side["article_id"], side["sentence"]["start"], side["sentence"]["end"])
            if s is not None:
                sides.append({**side, "start": s[0], "end": s[1], "sentence": {"start": (sent or s)[0],
                                                                                "end": (sent or s)[1]}})
        if len(sides) >= 2:
            conflicts.append({**c, "sides": sides})
    out["conflicts"] = conflicts
    claims = []
    for c in g.get("claims", []):
        asserted = []
        for a in c["asserted_by"]:
            s = span(a["article_id"], a["start"], a["end"])
            if s is not None:
                asserted.append({**a, "start": s[0], "end": s[1]})
        claims.append({**c, "asserted_by": asserted})
    out["claims"] = claims
    return out


def stored_by_corpus_id(store: Any, rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The stored articles by corpus id: the store names articles by their own ids, so each is found again
    by its URL (else line N of the ingested file is the N-th corpus id)."""
    from storyline.clean.metadata import normalise_url

    by_url = {normalise_url(r["url"]): cid for cid, r in rows.items() if r.get("url")}
    order = sorted(rows)
    stored = {}
    for a in store.articles():
        cid = by_url.get(a.article.url) if a.article.url else None
        if cid is None:
            cid = order[int(a.article.origin.rsplit("#L", 1)[1]) - 1]
        stored[cid] = a
    return stored


def run(db: str | None, verbose: bool, review: bool = False, gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    """Score the analyses on the labelled storylines (``review``: without the items analysts dismissed)."""
    import storyline
    from storyline.analysis import claims as claims_mod
    from storyline.analysis import conflicts as conflicts_mod
    from storyline.analysis import positions as positions_mod
    from storyline.brief import build, to_html, to_markdown, to_text
    from storyline.store import Store

    gold = load_gold(gold_dir)
    if not gold:
        print(f"skipped: no labelled storylines in {gold_dir}")
        raise SystemExit(0)
    ids = {a["id"] for g in gold for a in g["articles"]}
    rows = corpus_rows(ids)
    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = str(Path(tmp.name) / "real.db")
    marker = Path(db + ".nlp")   # the NLP code that built a kept store (``nlp_fingerprint``)
    if Path(db).exists() and (not marker.exists() or marker.read_text() != nlp_fingerprint()):
        print(f"warning: {db} was built by other NLP code: its figures are not this code's (delete it to rebuild)",
              flush=True)
    if not Path(db).exists():
        started = time.perf_counter()
        _ingest(rows, db)
        marker.write_text(nlp_fingerprint())
        print(f"ingested {len(rows)} articles in {time.perf_counter() - started:.0f}s")
    countries = _countries()
    news_days = load_news_days(NEWS_DAYS.get(gold_dir, Path("-")))
    boiler_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    figures: dict[str, Any] = {"storylines": {}}
    totals: dict[str, list] = defaultdict(list)
    stats: Counter = Counter()
    with Store(db, readonly=True) as store:
        stored = stored_by_corpus_id(store, rows)
        store_id = {cid: a.article.id for cid, a in stored.items()}
        corpus_id = {v: k for k, v in store_id.items()}
        maps = {aid: SpanMap(rows[aid]["text"], stored[aid].article.text) for aid in ids if aid in stored and aid in rows}
        if BOILERPLATE.exists():
            for line in json.loads(BOILERPLATE.read_text())["lines"]:
                if line["label"] == "boilerplate" and line["article_id"] in maps:
                    got = maps[line["article_id"]].map(line["start"], line["end"])
                    if got:
                        boiler_spans[line["article_id"]].append(got)
        repeated = repeated_lines(store, corpus_id)
        blocks = {aid: [(b.start, b.end) for b in a.article.blocks] for aid, a in stored.items()}
        texts = {aid: a.article.text for aid, a in stored.items()}
        titles = {aid: a.article.title for aid, a in stored.items()}
        system = {s["id"]: {corpus_id.get(a, a) for a in s["article_ids"]} for s in storyline.stories(db=db)}
        for raw in gold:
            g = _map_gold(raw, maps, stats)
            art_ids = [a["id"] for a in g["articles"] if a["id"] in stored]
            story = _story_of(store, [store_id[a] for a in art_ids])
            predicted = {"positions": positions_mod.extract(store, story),
                         "conflicts": conflicts_mod.find(store, story), "claims": claims_mod.extract(store, story)}
            if review:
                predicted = reviewed(store, predicted)
            predicted_positions = _to_corpus(predicted["positions"], corpus_id)
            predicted_conflicts = _to_corpus(predicted["conflicts"], corpus_id)
            predicted_claims = _to_corpus(predicted["claims"], corpus_id)
            groups = {a["id"]: a.get("source_group") or a["id"] for a in g["articles"]}
            opinion = {a["id"] for a in g["articles"] if a.get("opinion")}
            one = {
                "articles": len(art_ids), "outlets": len({a["outlet"] for a in g["articles"]}),
                "positions": score_positions(g["positions"], predicted_positions, countries, verbose),
                "conflicts": score_conflicts(g["conflicts"], predicted_conflicts, verbose),
                "claims": score_claims(g["claims"], predicted_claims, groups, opinion, verbose),
            }
            if news_days:
                one["event_days"] = event_days([{"id": corpus_id.get(a["id"], a["id"]), "event_id": a["event_id"]}
                                                for a in story["articles"]], news_days)
                totals["event_days"].append(one["event_days"])
            if g.get("outlets_agree"):
                one["false_conflicts"] = one["conflicts"]["predicted"] - one["conflicts"]["matched_predicted"]
            best = max(system.items(), key=lambda kv: len(kv[1] & set(art_ids)), default=None)
            if best is not None:
                sid, members = best
                one["system_storyline"] = {"id": sid, "articles": len(members),
                                           "gold_articles_in_it": len(members & set(art_ids))}
                story_full = storyline.story(sid, db=db)
                built = build(story_full, store)
                rendered = {"md": to_markdown(built), "html": to_html(built), "text": to_text(built)}
                brief = _to_corpus(built, corpus_id)
                one["brief"] = brief_checks(brief, rendered, texts, blocks, titles, boiler_spans, repeated,
                                           story_full.get("title"))
                one["brief"]["positions"] = shown_positions(brief, g["positions"], set(art_ids),
                                                            lambda a, b: same_actor(a, b, countries))
                one["brief"]["claims"] = shown_claims(brief, g["claims"], set(art_ids), groups, MIN_CLAIM_F1)
                one["brief"]["events"] = shown_events(brief, g["claims"], set(art_ids))
                if news_days:
                    one["brief"]["timeline"] = timeline_dates(brief, news_days)
            figures["storylines"][g["slug"]] = one
            for key in ("positions", "conflicts", "claims"):
                totals[key].append(one[key])
            if "false_conflicts" in one:
                totals["false_conflicts"].append(one["false_conflicts"])
            if "brief" in one:
                totals["brief"].append(one["brief"])
    figures["spans"] = dict(stats)
    figures["overall"] = _overall(totals)
    if tmp is not None:
        tmp.cleanup()
    return figures


def _to_corpus(obj: Any, corpus_id: dict[str, str]) -> Any:
    """A copy of ``obj`` with every ``article_id`` turned from the store's id into the corpus id."""
    if isinstance(obj, list):
        return [_to_corpus(x, corpus_id) for x in obj]
    if isinstance(obj, dict):
        return {k: (corpus_id.get(v, v) if k == "article_id" else _to_corpus(v, corpus_id)) for k, v in obj.items()}
    return obj


def _overall(totals: dict[str, list]) -> dict[str, Any]:
    pos = totals["positions"]
    matched = sum(p["matched"] for p in pos)
    pred = sum(p["predicted"] for p in pos)
    gold = sum(p["gold"] for p in pos)
    stances = sum(p["stances"] for p in pos)
    found_stances = sum(round(p["stance_recall"] * p["stances"]) for p in pos)
    holders = sum(round(p["holder_accuracy"] * p["matched"]) for p in pos)
    reporters = sum(round(p["reported_by_accuracy"] * p["matched"]) for p in pos)
    con = totals["conflicts"]
    cp, cg = sum(c["predicted"] for c in con), sum(c["gold"] for c in con)
    cm_p, cm_g = sum(c["matched_predicted"] for c in con), sum(c["matched_gold"] for c in con)
    cl = totals["claims"]
    cl_gold, cl_found, cl_exact = sum(c["gold"] for c in cl), sum(c["found_n"] for c in cl), sum(c["exact_n"] for c in cl)
    br = totals["brief"]
    n = sum(b["sentences"] for b in br)
    return {
        "positions_precision": round(matched / pred, 3) if pred else 0.0,
        "positions_recall": round(matched / gold, 3) if gold else 0.0,
        "positions_stance_recall": round(found_stances / stances, 3) if stances else 0.0,
        "positions_holder_accuracy": round(holders / matched, 3) if matched else 0.0,
        "positions_reported_by_accuracy": round(reporters / matched, 3) if matched else 0.0,
        "positions_predicted": pred, "positions_gold": gold,
        "conflicts_precision": round(cm_p / cp, 3) if cp else 1.0,
        "conflicts_recall": round(cm_g / cg, 3) if cg else 1.0,
        "conflicts_predicted": cp, "conflicts_gold": cg,
        "false_conflicts_per_agreeing_storyline": round(sum(totals["false_conflicts"]) / len(totals["false_conflicts"]),
                                                        2) if totals["false_conflicts"] else 0.0,
        "claims_found": round(cl_found / cl_gold, 3) if cl_gold else 0.0,
        "claims_sources_exact": round(cl_exact / cl_found, 3) if cl_found else 0.0,
        "claims_sources_within_one": round(sum(c["within_one_n"] for c in cl) / cl_found, 3) if cl_found else 0.0,
        "claims_sources_mean_abs_error": round(sum(c["abs_error_sum"] for c in cl) / cl_found, 2) if cl_found else 0.0,
        "claims_contradicted_shown": f"{sum(c['contradicted_found'] for c in cl)} of {sum(c['contradicted'] for c in cl)}",
        "claims_count_errors": dict(sorted(sum((Counter(c.get("errors", {})) for c in cl), Counter()).items())),
        "brief_sentences": n,
        "brief_bad_share": round(sum(b["glued"] + b["cut"] + b["boilerplate"] for b in br) / n, 3) if n else 0.0,
        "brief_glued": sum(b["glued"] for b in br), "brief_cut": sum(b["cut"] for b in br),
        "brief_boilerplate": sum(b["boilerplate"] for b in br),
        "brief_positions_shown": (shown := sum(b["positions"]["shown"] for b in br)),
        "brief_positions_precision": round(sum(b["positions"]["right"] for b in br) / shown, 3) if shown else 0.0,
        "brief_positions_type_precision": round(sum(b["positions"]["right_type"] for b in br) / shown, 3)
        if shown else 0.0,
        "brief_claims_shown": (shown_claims := sum(b["claims"]["shown"] for b in br)),
        "brief_claims_central": round(sum(b["claims"]["central"] for b in br) / shown_claims, 3)
        if shown_claims else 0.0,
        "brief_claims_exact": round(sum(b["claims"]["exact"] for b in br) / shown_claims, 3) if shown_claims else 0.0,
        "brief_events_shown": (shown_events := sum(b["events"]["shown"] for b in br)),
        "brief_events_central": round(sum(b["events"]["central"] for b in br) / shown_events, 3)
        if shown_events else 0.0,
        "titles_ok_share": round(sum(b["titles_ok"] for b in br) / max(1, sum(b["titles"] for b in br)), 3),
        "disputed_shown_share": round(sum(b["disputed_shown"] for b in br) / sum(b["disputed"] for b in br), 3)
        if sum(b["disputed"] for b in br) else 1.0,
        **timeline_overall([b["timeline"] for b in br if "timeline" in b]),
        **events_overall(totals["event_days"]),
    }


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    held_out = "--test" in argv
    name, gold_dir = ("eval_real_analysis_test", TEST_DIR) if held_out else ("eval_real_analysis", GOLD_DIR)
    fixes = option(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = argv[argv.index("--db") + 1] if "--db" in argv else (str(Path(tmp) / "real.db") if fixes else None)
        figures = run(db, verbose, gold_dir=gold_dir)
        if fixes is not None:
            fixed_db, applied = corrected_copy(db, fixes, tmp)
            after = run(fixed_db, verbose, review=True, gold_dir=gold_dir)["overall"]
    overall = figures["overall"]
    for slug, one in figures["storylines"].items():
        p, c, cl = one["positions"], one["conflicts"], one["claims"]
        print(f"{slug}: {one['articles']} articles · positions P {p['precision']} R {p['recall']} holder "
              f"{p['holder_accuracy']} · conflicts {c['matched_predicted']}/{c['predicted']} right, "
              f"{c['matched_gold']}/{c['gold']} found · claims {cl['found_n']}/{cl['gold']} found, "
              f"{cl['exact_n']} exact")
        if verbose:
            print(json.dumps(one, indent=1, ensure_ascii=False))
    print(json.dumps(overall, indent=1))
    save(name, {"method": __doc__.split("\n\n")[0], **({"held_out": True} if held_out else {}), **figures})
    keys = ("positions_precision", "positions_recall", "positions_holder_accuracy", "conflicts_precision",
            "conflicts_recall", "claims_found", "claims_sources_exact", "titles_ok_share", "disputed_shown_share",
            "brief_positions_precision")
    scored = {k: overall[k] for k in keys}
    scored["false_conflicts_headroom"] = round(1.0 - overall["false_conflicts_per_agreeing_storyline"], 3)
    scored["brief_clean_share"] = round(1.0 - overall["brief_bad_share"], 3)
    for key in ("timeline_date_accuracy", "events_news_day_precision", "events_news_day_recall"):
        if key in overall:   # the news days are labelled
            scored[key] = overall[key]
    if fixes is not None:
        report(name, overall, after, applied, fixes)
    return 0 if held_out else check_minimums("eval_real_analysis", scored)   # the held-out set has no minimums


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
