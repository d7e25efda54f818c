"""Parsers of relative and recurring time expressions (weekdays, today and parts of days, "last week",
durations, clock times, sets, holidays, references to the present), in the manner of ``timex_rules``."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .timex_calendar import (_HOLIDAYS, _choose, _quarter, _shift_date, _value_at, _week, _weekday_date)
from .timex_rules import (_I, _MONTHS, _POD, _SET_ADVERBS, _UNITS, _WEEKDAYS, _duration, _explicit,
                          _month_day_resolver, _next_word, _number, _prev_word, _rel)

if TYPE_CHECKING:  # annotations only; timex imports this module
    from .timex import _Ctx


def _p_weekday(m: re.Match, text: str):
    g = m.groupdict()
    wd = _WEEKDAYS[g["wd"].lower()]
    if g["pod"] and g["pod"][0].isupper():
        return None  # "Saturday Night Live": a name
    if g["pl"] or g["podpl"]:
        if g["rel"]:
            return None
        pod = _POD.get((g["pod"] or "").lower())
        return "SET", _explicit(f"XXXX-WXX-{wd + 1}" + (f"T{pod}" if pod else ""), "set")
    rel = " ".join((g["rel"] or "").lower().split())
    pod = (g["pod"] or "").lower()

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        if rel in ("last", "this past", "past"):
            d = _weekday_date(ref, wd, "before")
        elif rel == "next":  # the one in the following week: "next Thursday", said on a Wednesday, is in 8 days
            d = ref + timedelta(days=7 - ref.weekday() + wd)
        elif rel in ("this coming", "coming"):
            d = _weekday_date(ref, wd, "after")
        elif rel == "this":
            d = _weekday_date(ref, wd, "onafter" if ctx.tense(s, e) != "past" else "onbefore")
        elif rel in ("the previous", "the preceding", "the prior", "previous"):
            anchor = ctx.anchor()
            d = _weekday_date(anchor[2] if anchor else ref, wd, "before")
        elif rel in ("the following", "the next"):
            anchor = ctx.anchor()
            d = _weekday_date(anchor[2] if anchor else ref, wd, "after")
        elif rel == "the same":
            anchor = ctx.anchor()
            d = _weekday_date(anchor[2] if anchor else ref, wd, "onbefore")
        else:
            d = _weekday_date(ref, wd, "onafter" if ctx.tense(s, e) == "future" else "onbefore")
        return _with_pod(d, pod)
    return ("TIME" if pod else "DATE"), _rel(resolve)


def _with_pod(d: date, pod: str) -> tuple[str, str]:
    if pod in ("noon", "midday"):
        return f"{d.isoformat()}T12:00", "time"
    if pod == "midnight":
        return f"{d.isoformat()}T24:00", "time"
    if pod:
        return f"{d.isoformat()}T{_POD[pod]}", "time"
    return d.isoformat(), "day"


def _p_today(m: re.Match, text: str):
    g = m.groupdict()
    word = g["w"].lower()
    if word.startswith("in"):
        if not g["mod"]:
            return None
        word = "today"  # "later in the day"
    offset = {"today": 0, "tonight": 0, "overnight": 0, "tomorrow": 1, "yesterday": -1}[word]
    offset += {"before": -1, "after": 1}.get((g["ba"] or "").lower(), 0)
    pod = (g["pod"] or ("tonight" if word == "tonight" else "")).lower()
    return ("TIME" if pod else "DATE"), _rel(lambda ctx, s, e: _with_pod(ctx.ref + timedelta(days=offset), pod))


def _p_partday(m: re.Match, text: str):
    g = m.groupdict()
    rel = " ".join(g["rel"].lower().split())
    pod = g["pod"].lower()

    def resolve(ctx: _Ctx, s: int, e: int):
        if rel in ("this", "last"):
            d = ctx.ref - timedelta(days=1 if rel == "last" else 0)
        else:
            anchor = ctx.anchor()
            d = anchor[2] if anchor and anchor[1] in ("day", "time") else ctx.ref
            d += timedelta(days=1 if rel in ("the next", "the following") else -1 if rel == "the previous" else 0)
        return _with_pod(d, pod)
    return "TIME", _rel(resolve)


_BACK = frozenset(("last", "past", "this past", "latest", "the latest", "previous", "preceding", "prior", "the past",
                   "the last", "the previous", "the preceding", "the prior"))
_AHEAD = frozenset(("next", "coming", "this coming", "following", "the next", "the coming", "the following",
                    "the upcoming"))
#: Counted from the last date the text mentioned, not from the reference date.
_ANAPHORIC = frozenset(("that", "the same", "that same", "the following", "the previous", "the preceding",
                        "the prior", "following", "previous", "preceding", "prior"))


def _p_relunit(m: re.Match, text: str):
    g = m.groupdict()
    rel = " ".join(g["rel"].lower().split())
    unit = g["u"].lower()
    mod = " ".join((g["mod"] or "").lower().split())
    edge = mod.endswith(" of")
    if g["u"][0].isupper() and not g["u"].isupper():  # "This Week", a programme
        return None
    if rel == "the" and unit not in ("weekend", "year", "week") and not (edge and unit in ("month", "decade",
                                                                                            "century")):
        return None
    if rel == "the" and unit in ("year", "week") and not edge:
        if _next_word(text, m.end()) in ("ended", "ending", "ends", "through", "to", "before", "after", "that",
                                         "when", "in", "of", "since", "following", "earlier", "later", "ahead"):
            if _next_word(text, m.end()) in ("ended", "ending", "ends", "through", "to"):
                return "DURATION", _explicit(_duration(1, unit), "duration")
            return None
    if unit == "day":
        if rel not in _ANAPHORIC and rel not in ("the next", "next") or (edge and rel == "the"):
            return None
    if unit == "weekend" and rel in ("the past", "the last", "past"):
        rel = "last"

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        anaphoric = rel in _ANAPHORIC or unit == "day"
        base = ref
        last = ctx.last
        if rel == "the" and not edge and last and last[1] == unit and ctx.same_sentence(last[3], s):
            return last[0], last[1]  # "in 1996, the year Congress ..."
        if anaphoric:
            anchor = ctx.anchor()
            base = anchor[2] if anchor else ref
        step = -1 if rel in _BACK else 1 if rel in _AHEAD or (unit == "day" and rel == "next") else 0
        if unit == "weekend":
            if step:
                sat = _weekday_date(base, 5, "before" if step < 0 else "after")
            elif base.weekday() >= 5:
                sat = base - timedelta(days=base.weekday() - 5)
            else:
                sat = _weekday_date(base, 5, "after" if ctx.tense(s, e) == "future" or rel == "this" else "before")
            return f"{_week(sat)}-WE", "week"
        if unit in ("decade", "century", "millennium"):
            span = {"decade": 10, "century": 100, "millennium": 1000}[unit]
            n = base.year // span + step
            return (f"{n}" if unit != "century" else f"{n:02d}"), ("decade" if unit == "decade" else None)
        d = _shift_date(base, unit, step)
        return _value_at(d, unit)
    return "DATE", _rel(resolve)


def _p_thistime(m: re.Match, text: str):
    g = m.groupdict()
    step = -1 if g["rel"].lower() == "last" else 1
    unit = g["u"].lower()
    return "DATE", _rel(lambda ctx, s, e: (_shift_date(ctx.ref, unit, step).isoformat(), "day"))


def _p_yearword(m: re.Match, text: str):
    w = m.group("w").lower().replace("’", "'")
    if "earlier" in w or "ago" in w:
        def resolve(ctx: _Ctx, s: int, e: int):
            q = ctx.last_quarter
            ctx.derived = True
            if q and ctx.same_sentence(q[2], s):
                return _quarter(q[0] - 1, q[1]), "quarter"
            return f"{ctx.ref.year - 1:04d}", "year"
        return "DATE", _rel(resolve)
    return "DATE", _rel(lambda ctx, s, e: (f"{ctx.ref.year:04d}", "year"))


_MONEYISH = re.compile(r"(?:\d|%|percent|cents?|dollars?|million|billion|trillion|times|euros?|pounds?|yen|"
                       r"rubles?|roubles?|hryvnias?|tons?|barrels?)\W{0,3}$", _I)


def _p_duration(m: re.Match, text: str):
    g = m.groupdict()
    if g["suf"] and g["suf"].lower() == "-old" or _next_word(text, m.end()) == "old":
        return None
    if g["u"][0].isupper() and not g["u"].isupper():  # "60 Minutes": a title
        return None
    if g["det"] and not g["adj"] and not g["mod"] and "-" in text[m.end("num"):m.start("u")]:
        return None  # "the 14-day period": the modifier alone ("14-day")
    unit = g["u"].lower().rstrip("s") if g["u"].lower() not in ("centuries",) else "centurie"
    unit = {"hr": "hour", "min": "minute", "sec": "second", "centurie": "century", "millenni": "millennium",
            "millennia": "millennium"}.get(unit, unit)
    num_text = g["num"].lower()
    n = _number(num_text)
    plural = g["u"].lower().endswith("s")
    if num_text in ("a", "an", "another") and unit in ("second", "quarter", "night", "minute") and not g["dir"]:
        return None
    if unit == "quarter" and _next_word(text, m.end()) == "of" and n is not None:
        return None
    direction = " ".join((g["dir"] or "").lower().split())
    end = None
    if direction and (_UNITS[unit][2] and direction != "ago" or direction in ("before", "after")
                      and not re.match(r"\s*(?:[,.;:)]|$)", text[m.end():m.end() + 3])):
        end = m.start("dir") - 1  # "two days after the vote", "an hour later": the length only
        while text[end - 1].isspace():
            end -= 1
        direction = ""
    if direction in ("", "or so"):
        if (num_text in ("a", "an") and not plural and not g["det"] and not g["adj"] and not g["mod"]
                and unit in ("year", "month", "week", "day", "hour")
                and _MONEYISH.search(text, max(0, m.start() - 30), m.start())):
            return "SET", _explicit(_duration(1, unit), "set")  # "$5 million a year"
        if g["frac"] and n is not None:
            n += 0.5
        value = _duration(n, unit)
        return "DURATION", _explicit(value, "duration"), end

    def resolve(ctx: _Ctx, s: int, e: int):
        if n is None:
            return ("FUTURE_REF" if direction in ("later", "after", "from now", "hence", "away") else "PAST_REF"), None
        k = int(n) if n == int(n) else n
        step = -1 if direction in ("ago", "earlier", "before", "back") else 1
        base, gran_anchor = ctx.ref, None
        anchor = ctx.last
        if direction in ("earlier", "later", "before", "after") and anchor and (
                anchor[1] in ("day", "time") or anchor[1] in ("month", "quarter", "season")
                and unit not in ("day", "night", "week", "weekend", "fortnight")):
            base, gran_anchor = anchor[2], anchor[1]
        elif direction == "ago" and anchor and anchor[1] == "quarter" and s - anchor[4] < 300:
            base, gran_anchor = anchor[2], anchor[1]  # "profit rose ... from $3 million a year ago"
        if base is not ctx.ref:
            ctx.derived = True  # a date counted from another is not itself an anchor
        if gran_anchor in ("day", "time") and unit not in ("day", "night", "week", "weekend", "fortnight"):
            gran_anchor = None
        if unit in ("hour", "minute", "second"):
            return ctx.ref.isoformat(), "day"
        if isinstance(k, float):  # "two and a half years ago": in months
            d = _shift_date(base, "month", step * round(k * {"year": 12, "decade": 120}.get(unit, 1)))
        else:
            d = _shift_date(base, "week" if unit == "weekend" else unit, step * k)
        order = ["day", "week", "month", "quarter", "season", "year"]
        shown = "year" if unit in ("decade", "century", "millennium") else unit
        if gran_anchor in order and shown in order and order.index(gran_anchor) < order.index(shown):
            shown = gran_anchor if gran_anchor != "season" else "month"
        return _value_at(d, shown)
    return "DATE", _rel(resolve)


_PLURAL_AFTER = frozenset("for within in over after took take takes lasted last spent than the".split())


def _p_plural(m: re.Match, text: str):
    """A bare plural unit after a preposition: "for years", "within weeks", "in the days before"."""
    if _prev_word(text, m.start()) not in _PLURAL_AFTER or _next_word(text, m.end()) in ("old", "ago"):
        return None
    unit = {"centuries": "century"}.get(m.group("u").lower(), m.group("u").lower()[:-1])
    return "DURATION", _explicit(_duration(None, unit), "duration")


def _p_time(m: re.Match, text: str):
    g = m.groupdict()
    if g["h"]:
        h = int(g["h"]) % 12 + (12 if g["ap"].lower().startswith("p") else 0)
        clock = f"T{h:02d}:{g['mi'] or '00'}"
    elif g["h2"]:
        clock = f"T{int(g['h2']):02d}:{g['mi2']}"
    elif g["h3"]:
        pm = (g["pod3"] or g["pod4"] or "").lower() in ("afternoon", "evening") or (
            (g["pod3"] or g["pod4"] or "").lower() == "night" and int(g["h3"]) >= 6)
        clock = f"T{int(g['h3']) % 12 + (12 if pm else 0):02d}:00"
    else:
        word = g["word"].lower().replace("-", "").replace(" ", "")
        clock = {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00", "midafternoon": "TAF",
                 "midmorning": "TMO"}[word]
    year = int(g["y"]) if g["y"] else None
    if g["mon"] and year is not None:
        try:
            day = date(year, _MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]))
        except ValueError:
            return None
        return "TIME", _explicit(f"{day}{clock}", "time")
    day_res = None
    if g["mon"]:
        day_res = _month_day_resolver(_MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]), None, None)

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        if day_res is not None:
            v = day_res(ctx, s, e)[0]
            return (f"{v}{clock}" if v else None), "time"
        if g["day"]:
            d = ref + timedelta(days={"tomorrow": 1, "yesterday": -1}.get(g["day"].lower(), 0))
        elif g["wd"]:
            wd = _WEEKDAYS[g["wd"].lower()]
            d = _weekday_date(ref, wd, "onafter" if ctx.tense(s, e) == "future" else "onbefore")
        else:
            d = ref
            last = ctx.last
            if last and last[1] in ("day", "time") and ctx.same_sentence(last[3], s):
                d = last[2]  # "on Oct. 23 ... at 10 p.m."
        return f"{d.isoformat()}{clock}", "time"
    return "TIME", _rel(resolve)


def _p_set(m: re.Match, text: str):
    g = m.groupdict()
    if g["adv"]:
        if g["adv"][0].isupper() and (_next_word(text, m.end(), raw=True)[:1].isupper() or re.search(
                r"[A-Z]\w*\s+$", text[max(0, m.start() - 20):m.start()])):
            return None  # "the Daily Telegraph", "In Touch Weekly": a name
        return "SET", _explicit(_SET_ADVERBS[g["adv"].lower()], "set")
    if g["freq"]:
        return "SET", _explicit(_duration(1, g["u1"].lower()), "set")
    if g["u3"]:
        unit = g["u3"].lower()
        return "SET", _explicit("P1Y" if unit == "annum" else _duration(1, unit), "set")
    if g["wd"]:
        return "SET", _explicit(f"XXXX-WXX-{_WEEKDAYS[g['wd'].lower()] + 1}", "set")
    if g["mon"]:
        return "SET", _explicit(f"XXXX-{_MONTHS[g['mon'].lower()]:02d}", "set")
    unit = g["u2"].lower().rstrip("s")
    if unit in _POD:
        return "SET", _explicit(f"XXXX-XX-XXT{_POD[unit]}", "set")
    n = _number(g["n"]) if g["n"] else 1
    n = (n or 1) * (2 if g["other"] else 1)
    return "SET", _explicit(_duration(n, unit), "set")


def _p_holiday(m: re.Match, text: str):
    g = m.groupdict()
    name = " ".join(g["h"].lower().replace("’", "'").split())
    name = "new year's" if name == "new year" else name
    fn = _HOLIDAYS[name]
    week = (g["wk"] or "").lower()
    rel = " ".join((g["rel"] or "").lower().split())

    def shown(d: date) -> tuple[str, str]:
        return (_week(d), "week") if week in ("week", "weekend") else (d.isoformat(), "day")
    if g["y"]:
        return "DATE", _explicit(*shown(fn(int(g["y"]))))

    def resolve(ctx: _Ctx, s: int, e: int):
        ref = ctx.ref
        options = [fn(y) for y in (ref.year - 1, ref.year, ref.year + 1)]
        if rel in ("last", "this past"):
            d = max(o for o in options if o < ref)
        elif rel in ("next", "this coming"):
            d = min(o for o in options if o > ref)
        elif rel == "this":
            d = fn(ref.year)
        else:
            d = _choose(options, ref, ctx.tense(s, e), (timedelta(days=300), timedelta(days=183)))
        return shown(d)
    return "DATE", _rel(resolve)


def _p_ref(m: re.Match, text: str):
    g = m.groupdict()
    value = "PRESENT_REF" if g["present"] else "PAST_REF" if g["past"] else "FUTURE_REF"
    return "DATE", lambda ctx, s, e: (value, None, "relative")
