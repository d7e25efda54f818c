"""The rules that find time expressions: vocabulary and the parsers that turn a match into a TIMEX3 type and a
resolver of its value (the pattern families tried at each opening word are in ``timex_families``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .timex_calendar import (_choose, _month, _quarter, _quarter_of, _season_ordinal, _shift_date, _week)

if TYPE_CHECKING:  # annotations only; timex imports this module
    from .timex import _Ctx


# -- vocabulary -------------------------------------------------------------------------------------------

_I = re.I

_MONTHS = {m: i for i, names in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
    "september sep sept", "october oct", "november nov", "december dec"), 1) for m in names.split()}
_WEEKDAYS = {d: i for i, names in enumerate((
    "monday mon", "tuesday tue tues", "wednesday wed", "thursday thu thur thurs", "friday fri",
    "saturday sat", "sunday sun")) for d in names.split()}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_INDEX = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
_POD = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_ONES = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
        "seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUE = {w: i for i, w in enumerate(_ONES, 1)} | {w: 10 * i for i, w in enumerate(_TENS, 2)}
_WORD_VALUE |= {"a": 1, "an": 1, "another": 1, "zero": 0, "couple": 2, "dozen": 12, "hundred": 100,
                "thousand": 1000}
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth " \
            "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
_ORD_VALUE = {w: i for i, w in enumerate(_ORDINALS, 1)} | {"twenty-first": 21, "twenty first": 21,
                                                           "final": 4, "last": 4}
_DECADE_WORDS = {w: i for i, w in enumerate(
    "twenties thirties forties fifties sixties seventies eighties nineties".split(), 2)}
#: unit -> (ISO letter, multiplier, is a clock unit)
_UNITS = {"year": ("Y", 1, False), "month": ("M", 1, False), "week": ("W", 1, False), "day": ("D", 1, False),
          "night": ("D", 1, False), "weekend": ("D", 2, False), "fortnight": ("W", 2, False),
          "quarter": ("Q", 1, False), "decade": ("Y", 10, False), "century": ("Y", 100, False),
          "centurie": ("Y", 100, False), "millennium": ("Y", 1000, False), "millennia": ("Y", 1000, False),
          "hour": ("H", 1, True), "hr": ("H", 1, True), "minute": ("M", 1, True), "min": ("M", 1, True),
          "second": ("S", 1, True), "sec": ("S", 1, True)}
_SET_ADVERBS = {"daily": "P1D", "weekly": "P1W", "biweekly": "P2W", "bi-weekly": "P2W", "monthly": "P1M",
                "bimonthly": "P2M", "bi-monthly": "P2M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H",
                "nightly": "P1D", "semiannually": "P6M", "semi-annually": "P6M", "twice-yearly": "P6M"}

# -- pattern pieces ----------------------------------------------------------------------------------------



def _number(text: str) -> float | None:
    """The number a quantity phrase names; ``None`` for vague ones ("several", "a few")."""
    s = " ".join(text.lower().replace("-", " ").split())
    if s in ("a couple of", "couple of", "a couple"):
        return 2
    if s in ("half a", "half an", "a half", "an half"):
        return 0.5
    if s.startswith("a quarter"):
        return 0.25
    if s.startswith(("a few", "few", "several", "some", "many", "dozens", "hundreds", "thousands", "a number")):
        return None
    half = 0.5 if s.endswith("and a half") else 0.0
    s = s.removesuffix(" and a half")
    if s[:1].isdigit():
        value = 0.0
        for part in s.split():
            num, _, den = part.partition("/")
            value += int(num) / int(den) if den else float(num)
        return value + half
    total = 0
    for word in s.split():
        if word in ("hundred", "thousand"):
            total = max(total, 1) * _WORD_VALUE[word]
        else:
            total += _WORD_VALUE.get(word, 0)
    return total + half


def _duration(n: float | None, unit: str) -> str:
    letter, mult, clock = _UNITS[unit]
    t = "T" if clock else ""
    if n is None:
        return f"P{t}X{letter}"
    n *= mult
    if n == int(n):
        return f"P{t}{int(n)}{letter}"
    whole, part = int(n), n - int(n)
    sub = {"Y": ("M", 12, ""), "W": ("D", 7, ""), "D": ("H", 24, "T"), "H": ("M", 60, ""), "M": ("S", 60, "")}
    if letter in sub and not (letter == "M" and not clock):
        sub_letter, k, sub_t = sub[letter]
        head = f"{whole}{letter}" if whole else ""
        return f"P{t}{head}{sub_t if not t else ''}{round(part * k)}{sub_letter}"
    return f"P{t}{n:g}{letter}"


# -- family parsers: (match, text) -> (type, resolver) | None ---------------------------------------------

def _explicit(value: str | None, gran: str | None = None) -> Callable:
    return lambda ctx, s, e: (value, gran, "explicit")


def _rel(fn: Callable) -> Callable:
    """A resolver that needs the reference date: ``None`` value without one."""
    def resolve(ctx: _Ctx, s: int, e: int):
        if ctx.ref is None:
            return None, None, "relative"
        value = fn(ctx, s, e)
        return (value[0], value[1], "relative") if isinstance(value, tuple) else (value, None, "relative")
    return resolve


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"(\w+)\W*$", text[max(0, pos - 25):pos])
    return m.group(1).lower() if m else ""


def _next_word(text: str, pos: int, raw: bool = False) -> str:
    m = re.match(r"\W*?(\w+)", text[pos:pos + 25])
    return "" if m is None else m.group(1) if raw else m.group(1).lower()


def _p_numdate(m: re.Match, text: str):
    g = m.groupdict()
    try:
        if g["iy"]:
            d = date(int(g["iy"]), int(g["im"]), int(g["id"]))
        else:
            a, b, y = int(g["a"]), int(g["b"]), int(g["sy"])
            y += 2000 if y < 50 else 1900 if y < 100 else 0
            d = date(y, a, b) if a <= 12 else date(y, b, a)
    except ValueError:
        return None
    if g.get("H"):
        return "TIME", _explicit(f"{d.isoformat()}T{int(g['H']):02d}:{g['M']}", "time")
    return "DATE", _explicit(d.isoformat(), "day")


def _year_from(g: dict, key: str = "y") -> int | None:
    if g.get(key):
        return int(g[key])
    if g.get("yy"):
        yy = int(g["yy"])
        return yy + (2000 if yy < 50 else 1900)
    return None


def _month_day_resolver(month: int, day: int, year: int | None, wd: int | None, yrel: str = ""):
    if yrel:
        shift = {"last": -1, "next": 1}.get(yrel, 0)
        return _rel(lambda ctx, s, e: (date(ctx.ref.year + shift, month, day).isoformat(), "day"))
    if year is not None:
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        return _explicit(d.isoformat(), "day")

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        options = []
        for y in (ref.year - 1, ref.year, ref.year + 1):
            try:
                options.append(date(y, month, day))
            except ValueError:
                pass
        if not options:
            return None
        if wd is not None:  # "Friday, Nov. 7": the year whose Nov. 7 is a Friday, when one is near
            fitting = [o for o in options if o.weekday() == wd]
            options = fitting or options
        return _choose(options, ref, ctx.tense(s, e), (timedelta(days=300), timedelta(days=183))).isoformat(), "day"
    return _rel(resolve)


def _p_md(m: re.Match, text: str):
    g = m.groupdict()
    month = _MONTHS[g["mon"].lower().rstrip(".")]
    wd = _WEEKDAYS[g["wd"].lower().rstrip(".")] if g.get("wd") else None
    res = _month_day_resolver(month, int(g["d"]), _year_from(g), wd, (g.get("yrel") or "").lower())
    if res is None or (m.start() and text[m.start() - 1] in ".,/$"):
        return None
    if g.get("wk"):
        def week(ctx: _Ctx, s: int, e: int, res=res):
            value, _, basis = res(ctx, s, e)
            return (_week(date.fromisoformat(value)) if value else None), "week", basis
        return "DATE", week
    return "DATE", res


def _p_week_of(m: re.Match, text: str):
    """"the first week of May": the ISO week holding that stretch of the month."""
    g = m.groupdict()
    month, order = _MONTHS[g["mon"].lower()], g["o"].lower()

    def week(y: int) -> str:
        if order in ("last", "final"):
            return _week(date(y + (month == 12), month % 12 + 1, 1) - timedelta(days=4))
        return _week(date(y, month, 1 + 7 * _ORD_VALUE[order] - 7 + 3))
    if g["y"]:
        return "DATE", _explicit(week(int(g["y"])), "week")
    by_month = _month_resolver(month, None)
    return "DATE", _rel(lambda ctx, s, e: (week(int(by_month(ctx, s, e)[0][:4])), "week"))


def _month_resolver(month: int, rel: str | None):
    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        target = ref.year * 12 + ref.month
        options = [y * 12 + month for y in (ref.year - 1, ref.year, ref.year + 1)]
        if rel in ("last", "past", "this past", "previous", "the previous"):
            pick = max(o for o in options if o < target)
        elif rel in ("next", "coming", "this coming", "following", "the following"):
            pick = min(o for o in options if o > target)
        elif rel == "this":
            pick = ref.year * 12 + month
        else:
            pick = _choose(options, target, ctx.tense(s, e), 8)
        return _month((pick - 1) // 12, (pick - 1) % 12 + 1), "month"
    return _rel(resolve)


def _p_month(m: re.Match, text: str):
    g = m.groupdict()
    name = g["mon"]
    if name == "May" and not g["rel"] and not g["mod"] and not g["mod2"]:
        if _prev_word(text, m.start()) not in ("in", "of", "by", "since", "until", "till", "through", "during",
                                               "before", "after", "from", "to", "early", "late", "mid", "and"):
            return None
    if name in ("March", "August") and not g["rel"] and not g["mod"] and not g["mod2"]:
        nxt = _next_word(text, m.end())
        if nxt in ("on", "to", "against", "through", "in", "of") and _prev_word(text, m.start()) in ("the", "a"):
            return None
    rel = " ".join(g["rel"].lower().split()) if g["rel"] else None
    if g["yrel"]:
        shift, month = {"last": -1, "next": 1}.get(g["yrel"].lower(), 0), _MONTHS[name.lower()]
        return "DATE", _rel(lambda ctx, s, e: (_month(ctx.ref.year + shift, month), "month"))
    return "DATE", _month_resolver(_MONTHS[name.lower()], rel)


def _p_month_year(m: re.Match, text: str):
    g = m.groupdict()
    return "DATE", _explicit(_month(int(g["y"]), _MONTHS[g["mon"].lower().rstrip(".")]), "month")


_NOT_AFTER_YEAR = frozenset("""people persons troops soldiers workers employees jobs shares units cars vehicles homes
houses tons tonnes barrels feet foot meters metres miles kilometers km acres hectares pounds dollars euros yuan yen
rupees points votes seats calories megawatts rooms beds students children families cases deaths victims casualties
refugees members copies pages words items flights passengers prisoners rounds rockets missiles times hours minutes
seconds days weeks months years percent pupils doctors officers police plants stores banks companies firms""".split())
_NOT_BEFORE_YEAR = frozenset("""about around approximately nearly almost some roughly over than no number flight route
room page article section resolution rule chapter model type level code version grade exit highway interstate ward
district precinct apartment suite box gate platform channel pin id figure table item bill act paragraph""".split())


def _p_year(m: re.Match, text: str):
    g = m.groupdict()
    if not g["pre"] and not g["mod"] and not g["mod2"]:
        if _next_word(text, m.end()) in _NOT_AFTER_YEAR or _prev_word(text, m.start()) in _NOT_BEFORE_YEAR:
            return None
        if re.match(r"\s*(?:-|–|to)\s*\d{4}\s*(?:people|troops)", text[m.end():m.end() + 20]):
            return None
    return "DATE", _explicit(g["y"], "year")


def _spelled_number(s: str) -> int:
    return int(sum(_WORD_VALUE.get(w, 0) for w in s.lower().replace("-", " ").split()))


def _p_spelled_year(m: re.Match, text: str):
    g = m.groupdict()
    if g["k"]:
        if not m.group(0).lower().startswith("the year"):
            return None
        return "DATE", _explicit(f"{2000 + (_spelled_number(g['yy2']) if g['yy2'] else 0):04d}", "year")
    return "DATE", _explicit(f"{1900 + _spelled_number(g['yy']):04d}", "year")


def _p_decade(m: re.Match, text: str):
    g = m.groupdict()
    if g["c"]:
        return "DATE", _explicit(f"{g['c']}{g['d']}", "decade")
    digit = int(g["d2"]) if g["d2"] else _DECADE_WORDS[g["w"].lower()]
    if g["w"] and not g["the"]:
        return None

    def resolve(ctx: _Ctx, s: int, e: int):  # "the '80s", "the nineties": the latest such decade so far
        century = ctx.ref.year // 100
        if century * 100 + digit * 10 > ctx.ref.year:
            century -= 1
        return f"{century}{digit}", "decade"
    return "DATE", _rel(resolve)


def _p_century(m: re.Match, text: str):
    g = m.groupdict()
    n = int(g["n"]) if g["n"] else _ORD_VALUE.get(g["w"].lower().replace("-", " "), _ORD_VALUE.get(g["w"].lower()))
    if not n:
        return None
    return "DATE", _explicit(f"{n - 1:02d}", None)


def _p_quarter(m: re.Match, text: str):
    g = m.groupdict()
    q = _ORD_VALUE.get(g["q"].lower()) if g.get("q") else None
    if q is None and g.get("qn"):
        q = int(g["qn"])
    if q is None or q > 4:
        return None
    year = _year_from(g, "y") or _year_from(g, "y2")
    if g.get("det") and "-" in text[m.start("q"):m.end()] and not (g.get("y") or g.get("yrel") or g.get("ago")):
        return None  # "its third-quarter loss": the modifier alone ("third-quarter")
    if year is not None and not g.get("ago"):
        return "DATE", _explicit(_quarter(year, q), "quarter")
    yrel = (g.get("yrel") or g.get("yrel2") or "").lower()
    shift = {"last": -1, "next": 1}.get(yrel, 0) - (1 if g.get("ago") else 0)

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        if year is not None:
            return _quarter(year + shift, q), "quarter"
        if yrel in ("this", "last", "next", "the") or g.get("ago"):
            base = ref.year
            if g.get("ago") and ctx.last_quarter and ctx.last_quarter[1] == q:
                base = ctx.last_quarter[0]
            ctx.derived = ctx.derived or bool(g.get("ago"))
            return _quarter(base + shift, q), "quarter"
        current = ref.year * 4 + _quarter_of(ref) - 1
        options = [y * 4 + q - 1 for y in (ref.year - 1, ref.year, ref.year + 1)]
        pick = _choose(options, current, ctx.tense(s, e), (3, 1))
        return _quarter(pick // 4, pick % 4 + 1), "quarter"
    return "DATE", _rel(resolve)


_ANAPHORIC_PERIOD = ("same", "comparable", "corresponding", "year-earlier", "year earlier", "year-ago", "year ago")


def _p_relquarter(m: re.Match, text: str):
    g = m.groupdict()
    rel = " ".join((g["rel"] or "").lower().split())
    det = (g["det"] or "").lower()
    tail = " ".join((g["tail"] or "").lower().split())
    unit = g["u"].lower()
    if not det and not rel:
        return None
    if unit == "period" and not (rel in ("latest", "most recent") or rel in _ANAPHORIC_PERIOD or g["y"]
                                 or "year" in tail):
        return None
    if det in ("its", "their") and not rel:
        return None
    back_a_year = rel in _ANAPHORIC_PERIOD[3:] or "last year" in tail or "a year" in tail
    year = int(g["y"]) if g["y"] else None
    if g["ended"]:  # "the quarter ended Sept. 30": the quarter that date closes
        month, day = _MONTHS[g["mon"].lower().rstrip(".")], int(g["d"])
        if g["y2"]:
            return "DATE", _explicit(_quarter(int(g["y2"]), (month - 1) // 3 + 1), "quarter")

        def ended(ctx: _Ctx, s: int, e: int):
            ref = ctx.ref
            try:
                d = date(ref.year, month, day)
            except ValueError:
                return None
            if d > ref:
                d = _shift_date(d, "year", -1)
            return _quarter(d.year - back_a_year, _quarter_of(d)), "quarter"
        return "DATE", _rel(ended)

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        current = ref.year * 4 + _quarter_of(ref) - 1
        last = ctx.last_quarter
        if rel in ("current",) or (det == "this" and not rel):
            pick = current
        elif rel in ("next", "coming"):
            pick = current + 1
        elif rel in ("last", "previous", "prior", "past", "latest", "most recent", "recent", "just-ended",
                     "just ended"):
            pick = current - 1
        elif last is not None:
            pick = last[0] * 4 + last[1] - 1
        elif year is not None:
            return f"{year:04d}", "year"
        else:
            pick = current - 1
        if year is not None:
            pick = year * 4 + pick % 4
        elif back_a_year:
            pick -= 4
            ctx.derived = True
        elif "next year" in tail:
            pick += 4
        return _quarter(pick // 4, pick % 4 + 1), "quarter"
    return "DATE", _rel(resolve)


def _p_half(m: re.Match, text: str):
    g = m.groupdict()
    half = 1 if g["h"].lower() in ("first", "front") else 2
    if g["y"]:
        return "DATE", _explicit(f"{g['y']}-H{half}", None)
    yrel = (g["yrel"] or "").lower()
    if not yrel and "-" not in m.group(0):
        return None

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        if yrel:
            return f"{ref.year + {'last': -1, 'next': 1}.get(yrel, 0):04d}-H{half}", None
        current = ref.year * 2 + (ref.month > 6)
        pick = _choose([y * 2 + half - 1 for y in (ref.year - 1, ref.year, ref.year + 1)], current,
                       ctx.tense(s, e), 1)
        return f"{pick // 2:04d}-H{pick % 2 + 1}", None
    return "DATE", _rel(resolve)


_SEASON_PREPS = frozenset("in during over through throughout since until till by before after for from into of "
                          "this last next early late mid that".split())


def _p_season(m: re.Match, text: str):
    g = m.groupdict()
    code = _SEASONS[g["s"].lower()]
    rel = " ".join((g["rel"] or "").lower().split())
    year = g["y"] or g["y2"]
    if year:
        return "DATE", _explicit(f"{year}-{code}", "season")
    if g["yrel"]:
        shift = {"last": -1, "next": 1}.get(g["yrel"].lower(), 0)
        return "DATE", _rel(lambda ctx, s, e: (f"{ctx.ref.year + shift:04d}-{code}", "season"))
    if rel in ("", "the"):
        possessive = re.search(r"\w['’]s\s+$", text[max(0, m.start() - 4):m.start()])  # "Ukraine's summer ..."
        if _prev_word(text, m.start()) not in _SEASON_PREPS and not possessive:
            return None
        if _next_word(text, m.end()) in ("of", "in", "to", "from", "at", "on", "and", "season", "semester"):
            return None
    idx = _SEASON_INDEX[code]

    def resolve(ctx: _Ctx, s: int, e: int):
        current = _season_ordinal(ctx.ref)
        options = [y * 4 + idx for y in (ctx.ref.year - 2, ctx.ref.year - 1, ctx.ref.year, ctx.ref.year + 1)]
        if rel in ("last", "past", "this past", "previous", "the previous"):
            pick = max(o for o in options if o < current)
        elif rel in ("next", "coming", "this coming", "following", "the following"):
            pick = min(o for o in options if o > current)
        elif rel == "this":
            pick = ctx.ref.year * 4 + idx if idx != 3 or ctx.ref.month > 2 else (ctx.ref.year - 1) * 4 + 3
        else:
            pick = _choose(options, current, ctx.tense(s, e), 3)
        return f"{pick // 4:04d}-{'SP SU FA WI'.split()[pick % 4]}", "season"
    return "DATE", _rel(resolve)
