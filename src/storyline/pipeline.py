"""The per-article function: one ``RawDocument`` in, one ``Article`` (or ``Skip``) out.

It is pure (no store, no network, no global state beyond loaded models) so that
any engine can run it: the local engine in worker processes, Spark in its
executors. Steps:

1. main text: trafilatura for whole pages, block walk for HTML fragments, the
   debris filter for pre-extracted text (headline, standfirst, byline and an outlet signature read
   from its leading and closing lines), then the lines the store learned the outlet repeats
   (``LearnedLines``, passed in: the function stays pure);
2. metadata: title, canonical URL, outlet (the record's own field first) and its domain, author, language;
3. publication date with its source (the container's field, the page's
   metadata, a glued text field or a dateline), ``None`` when unknown;
4. checks: too little or too much text is skipped with its reason;
5. identity: a stable article id and a content hash;
6. analysis (``process_batch``, spaCy ``nlp.pipe`` over the batch, model loaded
   once per process): sentences, entity mentions resolved inside the article,
   quotes with speakers, time expressions resolved against the publication date, stated positions
   (who demands, offers, rejects, conditions, supports or opposes what), clauses coded as political
   events (PLOVER).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .clean.boilerplate import drop_learned
from .clean.dates import parse_date
from .clean.debris import filter_text
from .clean.html import PageText, extract_fragment, extract_page
from .clean.hygiene import tidy_fields
from .clean.metadata import article_id, clean_outlet, content_hash, detect_language, domain_of, normalise_url
from .records import Analysis, Article, LearnedLines, Processed, RawDocument, Sentence, Skip
from .settings import Settings


def process(raw: RawDocument, settings: Settings | None = None, learned: LearnedLines | None = None) -> Article | Skip:
    """Clean one document. Never raises for bad input: a ``Skip`` says what was wrong.

    ``learned``: lines outlets repeat across their articles (from ``Store.learned_lines``), removed here."""
    settings = settings or Settings()
    try:
        return _process(raw, settings, learned)
    except RecursionError:
        return Skip(raw.origin, "too-deep", "markup nested too deeply to parse")
    except Exception as exc:  # one hostile document must not stop the batch
        return Skip(raw.origin, "internal", f"could not process: {type(exc).__name__}: {exc}")


def _process(raw: RawDocument, settings: Settings, learned: LearnedLines | None) -> Article | Skip:
    raw = tidy_fields(raw)  # body text is tidied where it is assembled (clean.blocks)
    published = parse_date(raw.published)
    date_source = raw.date_source if published else None
    removed: tuple = ()
    author = None
    if raw.fmt == "text":
        clean = filter_text(raw.body, title=raw.title, outlet=raw.outlet, domain=domain_of(raw.url))
        page = PageText(clean.text, clean.blocks, title=clean.title, sitename=clean.outlet)
        removed, author = clean.removed, clean.author
        if published is None and clean.published:
            published, date_source = clean.published, clean.date_source
    elif raw.fmt == "fragment":
        page = extract_fragment(raw.body)
    else:
        page = extract_page(raw.body, raw.url)
        if published is None and page.published:
            published, date_source = parse_date(page.published), page.published_source
    text = page.text
    if len(text) < settings.min_text_chars:
        what = "no article text found" if not text else f"only {len(text)} characters of article text"
        return Skip(raw.origin, "no-text" if not text else "too-short",
                    f"{what} (setting min_text_chars={settings.min_text_chars})")
    if len(text) > settings.max_text_chars:
        return Skip(raw.origin, "too-large",
                    f"article text is {len(text):,} characters, over the cap (setting max_text_chars)")
    url = normalise_url(raw.url) or normalise_url(page.url)
    outlet = clean_outlet(raw.outlet) or clean_outlet(page.sitename)
    basis = "record" if clean_outlet(raw.outlet) else ("text" if raw.fmt == "text" else "page") if outlet else None
    ident = article_id(url, outlet, text)   # before learned lines go: the id stays as learning goes on
    blocks = page.blocks
    if learned:
        text, blocks, dropped = drop_learned(text, blocks, learned.lines(outlet, domain_of(url)))
        removed = (*removed, *dropped)
        if len(text) < settings.min_text_chars:
            return Skip(raw.origin, "too-short", f"only {len(text)} characters of article text once the lines "
                        "its outlet repeats in every article are removed (setting min_text_chars)")
    return Article(
        id=ident,
        content_hash=content_hash(text),
        raw_hash=raw.raw_hash,
        origin=raw.origin,
        text=text,
        title=raw.title or page.title,
        url=url,
        outlet=outlet,
        outlet_domain=domain_of(url),
        author=raw.author or page.author or author,
        published=published,
        date_source=date_source if published else None,
        language=(raw.language or page.language or detect_language(text) or None),
        blocks=blocks,
        removed=removed,
        outlet_basis=basis,
    )


def reclean(article: Article, learned: frozenset[int]) -> Article | None:
    """A stored article without the lines its outlet was since learned to repeat (same id, new text);
    ``None`` when it carries none of them or would keep too little text."""
    text, blocks, dropped = drop_learned(article.text, article.blocks, learned)
    if not dropped or not text.strip():
        return None
    return replace(article, text=text, blocks=blocks, content_hash=content_hash(text), removed=dropped)


def process_batch(batch: list[RawDocument], settings: Settings,
                  learned: LearnedLines | None = None) -> list[Processed | Skip]:
    """``process`` then ``analyse`` over a batch (the unit a worker process or Spark partition receives)."""
    cleaned = [process(raw, settings, learned) for raw in batch]
    articles = [c for c in cleaned if isinstance(c, Article)]
    analyses = iter(analyse_batch(articles, settings)) if settings.analyse else None
    return [Processed(c, next(analyses) if analyses else None) if isinstance(c, Article) else c for c in cleaned]


def analyse_batch(articles: list[Article], settings: Settings) -> list[Analysis]:
    """The NLP stage over many articles: one ``nlp.pipe`` call; a failing document is analysed alone."""
    if not articles:
        return []
    from .nlp.model import load_nlp, tokenizable, within_tokens

    nlp = load_nlp()
    cap = settings.nlp_max_chars
    texts = [within_tokens(nlp, tokenizable(a.text[:cap]), settings.nlp_max_tokens) for a in articles]  # a prefix
    try:
        docs = list(nlp.pipe(texts, batch_size=settings.nlp_batch_size))
    except Exception:  # one pathological text must not cost the batch its analysis
        docs = []
        for text in texts:
            try:
                docs.append(nlp(text))
            except Exception:
                docs.append(None)
    return [_analyse_guarded(a, doc, cap) for a, doc in zip(articles, docs)]


def _analyse_guarded(article: Article, doc, cap: int) -> Analysis:
    try:
        return analyse_doc(article, doc, cap)
    except Exception as exc:  # one article's analysis failing costs that analysis (noted), not the batch
        return Analysis(article.id, notes=(f"analysis failed: {type(exc).__name__}: {str(exc)[:300]}",))


def analyse_doc(article: Article, doc, cap: int) -> Analysis:  # doc: spacy.tokens.Doc | None
    """Sentences, mentions, quotes and time expressions of one parsed article."""
    from .extract.pubdate import infer_published
    from .extract.quotes import find_quotes, speaker_mentions
    from .extract.said_on import date_quotes
    from .extract.stance_judge import deferring
    from .extract.stances import find_stances_and_pending
    from .extract.timex import find_times
    from .nlp.entities import find_mentions
    from .polevents import code_events

    notes: list[str] = []
    if doc is None:
        return Analysis(article.id, notes=("analysis failed: the parser could not read this text",))
    analysed = doc.text  # joins every token: read once
    if len(article.text) > len(analysed):
        notes.append(f"analysed the first {len(analysed):,} of {len(article.text):,} characters (settings "
                     "nlp_max_chars, nlp_max_tokens)")
    # a sentence ends at its last character: the line break after a block is not part of it
    sentences = tuple(Sentence(i, s.start_char, s.start_char + len(s.text.rstrip())) for i, s in enumerate(doc.sents))
    reference = date.fromisoformat(article.published) if article.published else None
    mentions = _guarded(notes, "entity resolution", lambda: find_mentions(doc, sentences))
    times = _guarded(notes, "time expressions", lambda: find_times(analysed, reference, sentences=sentences))
    quotes = _guarded(notes, "quotes", lambda: find_quotes(doc))
    quotes = speaker_mentions(date_quotes(quotes, times, article.published, sentences), mentions)
    found = _guarded_one(notes, "positions", lambda: find_stances_and_pending(
        doc, mentions, quotes, published=article.published, defer=deferring()))
    stances, pending = found if found is not None else ([], [])
    # the cues are read in the whole text (time expressions only in the analysed part, a prefix of it)
    inferred = None if article.published else _guarded_one(
        notes, "publication date inference", lambda: infer_published(article.text, times, sentences, url=article.url))
    polevents = _guarded(notes, "political events",
                         lambda: code_events(doc, mentions, times, article.published))
    return Analysis(article.id, sentences, tuple(mentions), tuple(quotes), tuple(times),
                    analysed_chars=len(analysed), notes=tuple(notes),
                    published_range=(inferred.start, inferred.end) if inferred else None,
                    published_basis=inferred.basis if inferred else None,
                    published_evidence=inferred.evidence if inferred else (),
                    polevents=tuple(polevents), stances=tuple(stances), speech_pending=tuple(pending))


def _guarded_one(notes: list[str], what: str, step):
    try:
        return step()
    except Exception as exc:
        notes.append(f"{what} failed: {type(exc).__name__}: {exc}")
        return None


def _guarded(notes: list[str], what: str, step):  # a failing extractor costs its own output, noted, not the article
    try:
        return list(step())
    except Exception as exc:
        notes.append(f"{what} failed: {type(exc).__name__}: {exc}")
        return []
