"""The labelled real storylines (``bench/data/real/storylines`` and ``test_storylines``) are well formed.

Only ids and offsets are stored; this checks them against the corpus in ``../shared`` (skipped when it is
absent): every article id exists, every span lies inside its article's text and inside its sentence, every
claim's lists name articles of the storyline (opinion pieces in none of them) and every contradicted claim
has a conflict between the same articles. It never runs the system (the held-out files are read, not scored).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.common import SHARED
from bench.eval_real_analysis import GOLD_DIR, TEST_DIR, corpus_rows, load_gold

TYPES = {"demand", "offer", "reject", "condition", "support", "oppose"}
KINDS = {"number", "date", "place", "person", "instrument", "speaker", "quote"}
CORPUS = SHARED / "corpus" / "allsides-12k.jsonl.gz"

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/data corpus is not here")


def _storylines() -> list[tuple[str, dict]]:
    return [(f"{d.name}/{g['slug']}", g) for d in (GOLD_DIR, TEST_DIR) for g in load_gold(d)]


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    ids = {a["id"] for _, g in _storylines() for a in g["articles"]}
    return {aid: row["text"] for aid, row in corpus_rows(ids).items()}


def _span_problems(where: str, span: dict, text: str | None, sentence: dict | None = None) -> list[str]:
    if text is None:
        return [f"{where}: article not in the corpus"]
    start, end = span["start"], span["end"]
    if not 0 <= start < end <= len(text):
        return [f"{where}: span {start}-{end} outside the article (length {len(text)})"]
    if sentence is not None and not sentence["start"] <= start < end <= sentence["end"]:
        return [f"{where}: span {start}-{end} outside its sentence {sentence['start']}-{sentence['end']}"]
    if not text[start:end].strip():
        return [f"{where}: span {start}-{end} is blank"]
    return []


@pytest.mark.parametrize("name,gold", _storylines(), ids=[n for n, _ in _storylines()])
def test_labels_point_into_their_articles(name: str, gold: dict, texts: dict[str, str]) -> None:
    ids = [a["id"] for a in gold["articles"]]
    members = set(ids)
    opinion = {a["id"] for a in gold["articles"] if a["opinion"]}
    problems = [f"duplicate article {i}" for i in members if ids.count(i) > 1]
    problems += [f"article {i} not in the corpus" for i in ids if i not in texts]
    for n, p in enumerate(gold["positions"]):
        where = f"position {n} ({p['holder']})"
        if p["article_id"] not in members:
            problems.append(f"{where}: article {p['article_id']} not in the storyline")
        if p["type"] not in TYPES:
            problems.append(f"{where}: unknown type {p['type']}")
        if not p["holder"] or p["holder"] == p["reported_by"]:
            problems.append(f"{where}: holder missing or equal to reported_by")
        problems += _span_problems(where, p, texts.get(p["article_id"]), p["sentence"])
        problems += _span_problems(where + " sentence", p["sentence"], texts.get(p["article_id"]))
    for n, c in enumerate(gold["conflicts"]):
        if c["kind"] not in KINDS:
            problems.append(f"conflict {n}: unknown kind {c['kind']}")
        if len(c["sides"]) < 2 or len({s["value"] for s in c["sides"]}) < 2:
            problems.append(f"conflict {n}: needs two sides with different values")
        for s in c["sides"]:
            where = f"conflict {n} side {s['value']}"
            if s["article_id"] not in members:
                problems.append(f"{where}: article not in the storyline")
            problems += _span_problems(where, s, texts.get(s["article_id"]), s["sentence"])
    conflict_pairs = {frozenset((a["article_id"], b["article_id"]))
                      for c in gold["conflicts"] for a in c["sides"] for b in c["sides"]}
    for n, cl in enumerate(gold["claims"]):
        listed = [x["article_id"] for x in cl["asserted_by"] + cl["contradicted_by"]] + cl["omitted_by"]
        if len(listed) != len(set(listed)):
            problems.append(f"claim {n}: an article is listed twice")
        for aid in listed:
            if aid not in members:
                problems.append(f"claim {n}: article {aid} not in the storyline")
            if aid in opinion:
                problems.append(f"claim {n}: opinion piece {aid} listed")
        for x in cl["asserted_by"] + cl["contradicted_by"]:
            problems += _span_problems(f"claim {n} sentence", x, texts.get(x["article_id"]))
        for x in cl["contradicted_by"]:
            if not any(frozenset((x["article_id"], a["article_id"])) in conflict_pairs for a in cl["asserted_by"]):
                problems.append(f"claim {n}: contradiction by {x['article_id']} has no conflict "
                                "with an asserting article")
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_held_out_storylines_share_no_article_with_development() -> None:
    dev = {a["id"] for g in load_gold(GOLD_DIR) for a in g["articles"]}
    test = {a["id"] for g in load_gold(TEST_DIR) for a in g["articles"]}
    assert not dev & test, f"articles in both sets: {sorted(dev & test)}"


@pytest.mark.parametrize("directory", [GOLD_DIR, TEST_DIR], ids=["storylines", "test_storylines"])
def test_file_names_are_the_slugs(directory: Path) -> None:
    slugs = [p.stem for p in sorted(directory.glob("*.json"))]
    assert slugs == [g["slug"] for g in load_gold(directory)]


def test_the_conflict_audit_points_into_its_articles() -> None:
    """Every judged conflict of ``conflict_audit.json`` names corpus articles outside the labelled sets, with
    sentence spans inside them, a known kind and a verdict; every wrong or arguable one says why."""
    from bench.eval_conflict_audit import AUDIT

    audit = json.loads(AUDIT.read_text())["conflicts"]
    ids = {s["article_id"] for c in audit for s in c["sides"]}
    rows = corpus_rows(ids)
    labelled = {a["id"] for _, g in _storylines() for a in g["articles"]}
    problems = []
    for i, c in enumerate(audit):
        where = f"conflict_audit[{i}]"
        if c["kind"] not in KINDS or c["verdict"] not in ("right", "arguable", "wrong") or len(c["sides"]) < 2:
            problems.append(f"{where}: kind {c['kind']!r}, verdict {c['verdict']!r}, {len(c['sides'])} sides")
        if c["verdict"] != "right" and not c.get("why"):
            problems.append(f"{where}: a {c['verdict']} conflict without why")
        for s in c["sides"]:
            row = rows.get(s["article_id"])
            problems += _span_problems(where, s, row["text"] if row else None)
            if s["article_id"] in labelled:
                problems.append(f"{where}: {s['article_id']} is in a labelled storyline")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("directory", [GOLD_DIR, TEST_DIR], ids=["news_days", "news_days_test"])
def test_news_days_label_every_article_of_their_set(directory: Path, texts: dict[str, str]) -> None:
    """``news_days*.json`` (``NEWS_DAYS_RULES.md``): one entry per article of its set, a real day or none with
    its basis, and the time expression's span inside the article."""
    from datetime import date

    from bench.eval_real_analysis import NEWS_DAYS

    path = NEWS_DAYS[directory]
    if not path.exists():
        pytest.skip(f"{path.name} is not labelled yet")
    entries = json.loads(path.read_text())["articles"]
    wanted = {a["id"]: g["slug"] for g in load_gold(directory) for a in g["articles"]}
    problems = []
    seen = [e["article_id"] for e in entries]
    if sorted(seen) != sorted(wanted):
        problems.append(f"articles missing {sorted(set(wanted) - set(seen))}, extra {sorted(set(seen) - set(wanted))}, "
                        f"{len(seen) - len(set(seen))} twice")
    for e in entries:
        where = f"{path.name}:{e['article_id']}"
        if e["basis"] not in ("explicit", "relative", "published", "none"):
            problems.append(f"{where}: basis {e['basis']!r}")
        if (e["news_day"] is None) != (e["basis"] == "none"):
            problems.append(f"{where}: day {e['news_day']!r} with basis {e['basis']!r}")
        if e["news_day"] is not None:
            date.fromisoformat(e["news_day"])
        if wanted.get(e["article_id"], e["storyline"]) != e["storyline"]:
            problems.append(f"{where}: storyline {e['storyline']!r}, not {wanted[e['article_id']]!r}")
        if e["start"] is not None:
            problems += _span_problems(where, e, texts.get(e["article_id"]))
        elif e["basis"] in ("explicit", "relative"):
            problems.append(f"{where}: an {e['basis']} day without the expression's span")
    assert not problems, "\n".join(problems)


def test_genre_labels_name_unlabelled_articles_once() -> None:
    """``genre_labels.json`` (``GENRE_RULES.md``): 160 corpus articles outside the labelled storylines, each once,
    with a verdict and a kind of its side, and no text."""
    path = GOLD_DIR.parent / "genre_labels.json"
    labels = json.loads(path.read_text())["labels"]
    ids = [x["id"] for x in labels]
    rows = corpus_rows(set(ids))
    in_storylines = {a["id"] for _, g in _storylines() for a in g["articles"]}
    opinion_kinds = {"column", "editorial", "blog commentary", "analysis", "review/satire/other opinion"}
    news_kinds = {"news report", "explainer", "interview/transcript", "other news"}
    problems = [f"{aid}: not in the corpus" for aid in ids if aid not in rows]
    problems += [f"{aid}: in a labelled storyline" for aid in ids if aid in in_storylines]
    problems += [f"{x['id']}: kind {x['kind']!r} with opinion {x['opinion']}" for x in labels
                 if x["kind"] not in (opinion_kinds if x["opinion"] else news_kinds)]
    problems += [f"{x['id']}: fields {sorted(x)}" for x in labels
                 if set(x) != {"id", "outlet", "opinion", "kind", "doubt"}]
    assert len(ids) == len(set(ids)) == 160 and not problems, "\n".join(problems)
