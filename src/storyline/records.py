"""The typed records that flow through storyline, one way: ingest -> clean -> store.

Readers produce :class:`RawDocument` (or :class:`Skip` for input they cannot use);
the per-article function turns a ``RawDocument`` into an :class:`Article`.
Later stages add their own records here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Where a publication date came from. ``None`` on an article means "unknown".
DateSource = Literal["html-meta", "json-field", "feed-field", "text-field", "dateline", "url"]

#: What kind of body a reader hands over; decides how it is cleaned: a whole page
#: (main text found by trafilatura), an HTML fragment that is all content (feed
#: items, JSON bodies), or plain pre-extracted text (debris filter).
BodyFormat = Literal["html", "fragment", "text"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as a reader found it, before cleaning.

    ``body`` is already decoded to ``str``. Metadata fields hold what the
    container said (a JSON field, a feed item, an HTTP header); cleaning may
    fill what is missing from the body itself.
    """

    origin: str
    body: str
    fmt: BodyFormat
    url: str | None = None
    title: str | None = None
    published: str | None = None
    date_source: DateSource | None = None
    outlet: str | None = None
    author: str | None = None
    language: str | None = None
    #: Stable fingerprint of the raw input (origin + body), for fast idempotent re-runs.
    raw_hash: str = ""


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that could not be used: recorded in ``ingest_errors`` and skipped."""

    origin: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Block:
    """A span of the clean text: a heading (section subhead), a standfirst (the summary line under the
    headline, kept apart from the lead) or a paragraph. Sentences never cross a block."""

    kind: Literal["heading", "paragraph", "standfirst"]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the debris filter removed, and why."""

    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class LearnedLines:
    """Lines outlets repeat across their articles (boilerplate learned by the store): fingerprints
    (``clean.boilerplate.fingerprint``) by outlet name and by domain (for outlets known by their host)."""

    by_name: dict[str, frozenset[int]] = field(default_factory=dict)
    by_domain: dict[str, frozenset[int]] = field(default_factory=dict)

    def lines(self, outlet: str | None, domain: str | None = None) -> frozenset[int]:
        found = self.by_name.get(outlet) if outlet else None
        if found is None and domain:
            found = self.by_domain.get(domain)
        return found or frozenset()

    def __bool__(self) -> bool:
        return bool(self.by_name or self.by_domain)


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article, ready to store.

    ``published`` is an ISO ``YYYY-MM-DD`` date or ``None`` (never invented);
    ``date_source`` says where it came from. ``outlet_basis`` says where the outlet name came from:
    ``record`` (the input's own field: a JSON/feed field, front matter, a sidecar, the folder's
    ``source.txt``, ``--outlet``), ``page`` (the page's metadata) or ``text`` (a line or signature in the
    text); the store keeps a ``record`` name as given, whatever the URL's host.
    """

    id: str
    content_hash: str
    raw_hash: str
    origin: str
    text: str
    title: str | None
    url: str | None
    outlet: str | None
    outlet_domain: str | None
    author: str | None
    published: str | None
    date_source: DateSource | None
    language: str | None
    blocks: tuple[Block, ...] = ()
    removed: tuple[RemovedLine, ...] = field(default=(), compare=False)
    outlet_basis: Literal["record", "page", "text"] | None = field(default=None, compare=False)

    @property
    def standfirst(self) -> str | None:
        """The standfirst (the summary under the headline), when the text has one."""
        return next((self.text[b.start:b.end] for b in self.blocks if b.kind == "standfirst"), None)


# -- NLP and extraction (per article; offsets are character offsets into ``Article.text``) -----------------

Granularity = Literal["day", "week", "month", "season", "quarter", "year", "decade", "time", "duration", "set"]


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention, resolved inside its article.

    ``name`` is the fullest form the article gives ("Peskov" -> "Dmitry Peskov"; "Kiev" -> "Kyiv");
    ``key`` is what canonical entities are matched on corpus-wide (see ``nlp.names``); ``role`` a title
    reported with it ("Kremlin spokesperson"); ``country`` the country an institution or a city used as
    a metonym ("Moscow said") speaks for; ``actor`` is true when the mention acts or speaks; ``surname`` is
    false for a one-word name the tagger did not call a person that its place in the sentence makes a thing
    ("the House", "in Ferguson", "House Speaker"), which the store then never takes for a person's surname.
    """

    start: int
    end: int
    text: str
    label: str
    key: str
    name: str
    sentence: int = -1
    role: str | None = None
    country: str | None = None
    actor: bool = False
    surname: bool = True


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression resolved against a reference date (normally the publication date).

    ``value`` follows TIMEX3: ``2024-12-09`` (day), ``2024-W50`` (week), ``2024-06`` (month),
    ``2022-FA`` (season), ``2024-Q3``, ``2023`` (year), ``202`` (decade), ``PRESENT_REF``/``PAST_REF``/
    ``FUTURE_REF``, ``P3D`` (durations); ``None`` when it cannot be resolved. ``basis`` says how:
    ``explicit`` (the text names the date), ``relative`` (resolved against the reference date).
    """

    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str | None
    granularity: Granularity | None
    basis: Literal["explicit", "relative"]
    sentence: int = -1


@dataclass(frozen=True, slots=True)
class Quote:
    """A reported statement: direct (in quote marks), partial (a quoted fragment inside a sentence),
    indirect ("X said that ..."), or not speech at all (``scare`` quotes, a quoted ``term``).

    ``start``/``end`` delimit the content (without quote marks). ``speaker_start``/``speaker_end`` is
    the mention that stands as the speaker where the quote is reported ("he", "the spokesman",
    "Peskov", or, for a quote run with no cue, the previous quote's speaker mention);
    ``speaker_text`` is who that is, resolved inside the article through pronouns, titles and
    surnames to the fullest name the article gives ("Dmitry Peskov"); ``None`` when unknown.
    """

    start: int
    end: int
    text: str
    kind: Literal["direct", "partial", "indirect", "scare", "term"]
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    sentence: int = -1
    #: When it was said (``YYYY-MM-DD``) and why: ``explicit``/``relative`` (a date in the text, e.g.
    #: "said Monday") or ``publication`` (the article's date). Filled by the analysis stage.
    said_on: str | None = None
    said_on_basis: str | None = None
    #: The start of the named-entity mention that is the speaker (``extract.quotes.speaker_mentions``): the
    #: store credits the quote to that mention's entity.
    speaker_mention: int | None = None


@dataclass(frozen=True, slots=True)
class PolEvent:
    """One clause coded as a political event (PLOVER): who did what to whom, found in one sentence.

    ``start``/``end`` are the sentence's offsets, ``trigger_start``/``trigger_end`` the word that
    carries the action. Each actor (``source_*``, ``target_*``) is the phrase the text names
    (``*_text`` at ``*_start``), the name it resolves to inside the article, its country (ISO alpha-3,
    or ``EU``/``UN``/``NATO``/``IGO``) and sector (government, military, rebel, civilian, international,
    media), and ``*_mention``: the start of the named-entity mention it is, for the store to find the
    canonical entity. ``date`` is the day the text gives for the clause (``date_basis`` ``text``) or the
    publication date (``publication``).
    """

    sentence: int
    start: int
    end: int
    trigger_start: int
    trigger_end: int
    action: str
    event_type: str
    mode: str | None
    negated: bool
    hedged: bool
    source_text: str
    source_start: int
    source_name: str
    source_country: str | None
    source_sector: str | None
    source_mention: int | None = None
    target_text: str | None = None
    target_start: int | None = None
    target_name: str | None = None
    target_country: str | None = None
    target_sector: str | None = None
    target_mention: int | None = None
    date: str | None = None
    date_basis: str | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Stance:
    """A stated position in one sentence: whose it is (``holder_*``), who states it when that is someone
    else (``reported_by_*``: "the Kremlin spokesman said Ukraine refused talks" is Ukraine's refusal,
    reported by the spokesman), its type (``demand, offer, reject, condition, support, oppose``; see
    ``data/stances.toml``), and what it is about.

    ``start``/``end`` span the cue and what the stance is about; ``cue_*`` the word that states it;
    ``about_*`` its object; ``basis`` how it was read: ``cue`` (a word that states a stance: "opposes",
    "called for", "is willing to") or ``judged`` (speech no cue covers, that the learned evaluator of
    ``extract.stance_judge`` reads as support or opposition; surer on average, and shown first, is ``cue``).
    Each actor is the phrase the text names (``*_text`` at ``*_start``), the name
    it resolves to inside the article (pronouns, titles and "we" in a quote resolved) and, when it is a
    named-entity mention, that mention's start (``*_mention``) for the store to find the canonical entity.
    """

    sentence: int
    start: int
    end: int
    cue_start: int
    cue_end: int
    type: str
    holder_text: str
    holder_start: int
    holder_end: int
    holder_name: str
    holder_label: str | None = None
    holder_mention: int | None = None
    reported_by_text: str | None = None
    reported_by_start: int | None = None
    reported_by_name: str | None = None
    reported_by_mention: int | None = None
    about_start: int | None = None
    about_end: int | None = None
    in_quote: bool = False
    basis: str | None = "cue"


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """One cue to when an undated article was written, and the days it allows.

    ``kind``: ``named-date``, ``future-date``, ``yearless``, ``election``, ``relative-year``, ``elapsed``,
    ``anniversary``, ``copyright``, ``url`` (what the text or URL says of time); ``took-office``,
    ``in-office``, ``former``, ``elect``, ``incoming``, ``late``, ``event`` (world knowledge: office terms,
    deaths, dated events); ``copy``, ``rewrite``, ``event-member`` (a dated article of the same story,
    ``article_id``). ``text``/``start``/``end``: the words that say it (offsets into the article; ``-1`` when
    it is not in the text). ``spans``: the days it allows (ISO ``(from, to)`` pairs); ``kept``: whether it
    agrees with the inferred range (a cue contradicting the others is dropped, never allowed to empty it).
    """

    kind: str
    text: str
    start: int
    end: int
    spans: tuple[tuple[str, str], ...]
    weight: float
    note: str = ""
    kept: bool = True
    article_id: str | None = None


def evidence_to_json(evidence: tuple[DateEvidence, ...]) -> str:
    """Date evidence as the store and datasets keep it (a JSON list of objects)."""
    import json

    return json.dumps([{"kind": e.kind, "text": e.text, "start": e.start, "end": e.end,
                        "spans": [list(s) for s in e.spans], "weight": e.weight, "note": e.note, "kept": e.kept,
                        "article_id": e.article_id} for e in evidence], ensure_ascii=False)


def evidence_from_json(text: str | None) -> tuple[DateEvidence, ...]:
    import json

    return tuple(DateEvidence(kind=d["kind"], text=d.get("text", ""), start=d.get("start", -1), end=d.get("end", -1),
                              spans=tuple(tuple(s) for s in d.get("spans", [])), weight=d.get("weight", 1.0),
                              note=d.get("note", ""), kept=d.get("kept", True), article_id=d.get("article_id"))
                 for d in json.loads(text or "[]"))


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the NLP and extraction stage found in one article (all offsets into ``Article.text``).

    ``analysed_chars`` is how much of the text was analysed: very long articles are analysed up
    to a cap (setting ``nlp_max_chars``) so that one article cannot stall a batch; ``notes`` says so.
    """

    article_id: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    analysed_chars: int = 0
    notes: tuple[str, ...] = ()
    #: For an article with no publication date: the range it was most likely published in, inferred
    #: from the dates its text names (``(from, to)``, ISO days); never presented as an explicit date.
    published_range: tuple[str, str] | None = None
    #: Why that range: ``text`` (the article's own words, URL and world knowledge), or later, once a dated
    #: article of the same story is found, ``copy``, ``rewrite`` or ``event``; ``published_evidence`` holds
    #: each cue with its offsets.
    published_basis: str | None = None
    published_evidence: tuple[DateEvidence, ...] = ()
    #: Clauses coded as political events (``storyline.polevents``).
    polevents: tuple[PolEvent, ...] = ()
    #: Stated positions (``storyline.extract.stances``).
    stances: tuple[Stance, ...] = ()
    #: Speech a worker process left for the main process to judge (``extract.stance_judge.PendingSpeech``,
    #: each the provisional stance of basis ``pending``); empty once judged, and never stored.
    speech_pending: tuple = ()


@dataclass(frozen=True, slots=True)
class Processed:
    """The per-article function's result: the clean article and its analysis."""

    article: Article
    analysis: Analysis | None = None


# -- stories ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryArticle:
    """What story assignment knows of one article: its date for grouping, outlet, entities, statements.

    ``day_basis`` is ``published`` (the article's date), ``inferred`` (the middle of a narrow range
    inferred from its text), ``range`` (undated, its text bounding its publication to the wider range
    ``day_from``..``day_to``: grouped within it, flagged) or ``none`` (undated: grouped by content alone,
    flagged)."""

    article_id: str
    content_hash: str
    title: str | None
    day: str | None
    day_basis: str
    month: str
    outlet_id: int | None
    shingles: int
    entities: dict[int, int] = field(default_factory=dict)
    statements: frozenset[int] = frozenset()
    day_from: str | None = None
    day_to: str | None = None
    terms: dict[int, int] = field(default_factory=dict)   # topic term id -> count (headline and lead)


@dataclass(frozen=True)
class StoryNeighbour:
    """An already-assigned article found near a new one (by its embedding)."""

    key: int
    article_id: str
    day: str | None
    entities: dict[int, int]
    statements: frozenset[int]
    outlet_id: int | None
    event_id: int
    storyline_id: int
    source_id: str
    shingles: int = 0
    signature: bytes | None = None


@dataclass(frozen=True)
class Assignment:
    """Where one article went: its event and storyline, and the copy or rewrite it is, if any."""

    article_id: str
    event_id: int
    storyline_id: int
    basis: str                      # exact | near | event | storyline | new | short
    score: float
    new_event: bool
    new_storyline: bool
    duplicate_of: str | None = None
    duplicate_kind: str | None = None   # exact | near
    rewrite_of: str | None = None


@dataclass(frozen=True)
class MaterialArticle:
    """One stored article as the storyline analyses read it (issue 5)."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    date_source: str | None
    text: str
    inferred_from: str | None = None   # for an undated article: the range inferred from its text
    inferred_to: str | None = None
    url: str | None = None
    origin: str | None = None   # the file or address it was read from (names a source with no outlet)


@dataclass(frozen=True)
class MaterialQuote:
    """One stored quote with its statement and speaker, offsets into its article's text."""

    id: str
    article_id: str
    start: int
    end: int
    text: str
    kind: str
    speaker_id: int | None
    speaker: str | None
    said_on: str | None
    said_on_basis: str | None
    statement_id: int | None
    cue: str | None = None  # the reporting verb as written ("said", "denied"), when the finder kept one


@dataclass(frozen=True)
class StoryMaterial:
    """A storyline's articles, sentences, time expressions (dicts), quotes and mentions (dicts), read once."""

    articles: dict[str, MaterialArticle]
    sentences: dict[str, list[tuple[int, int]]]
    times: dict[str, list[dict]]
    quotes: list[MaterialQuote]
    mentions: dict[str, list[dict]]
