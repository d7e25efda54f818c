"""The pattern families of time expressions: each family's pattern, its parser (``timex_rules``), its priority
among overlapping matches and the words that can open it; the opening-word index ``timex`` looks them up in."""

from __future__ import annotations

import re
from collections.abc import Callable

from .timex_relative import (_p_duration, _p_holiday, _p_partday, _p_plural, _p_ref, _p_relunit, _p_set,
                             _p_thistime, _p_time, _p_today, _p_weekday, _p_yearword)
from .timex_rules import (_DECADE_WORDS, _ONES, _ORDINALS, _SET_ADVERBS, _TENS, _UNITS, _p_century, _p_decade,
                          _p_half, _p_md, _p_month, _p_month_year, _p_numdate, _p_quarter, _p_relquarter,
                          _p_season, _p_spelled_year, _p_week_of, _p_year)

_MF = "January|February|March|April|May|June|July|August|September|October|November|December"
_MON = rf"(?-i:(?P<mon>{_MF}|{_MF.upper()}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?))"
_MONTH_FULL = rf"(?-i:(?P<mon>{_MF}))"
_WD_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WD = rf"(?-i:(?P<wd>{_WD_NAMES}))"
_WD_ANY = rf"(?-i:(?P<wd>{_WD_NAMES}|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?))"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|[.,]\d|\s*(?:%|percent|per\s*cent|points?\b|pct\b))"
_YEAR = r"(?P<y>1[5-9]\d\d|20\d\d)(?![\d%]|[.,]\d)"
_YEAR2 = r"(?P<y2>1[5-9]\d\d|20\d\d)(?![\d%]|[.,]\d)"
_NUMW = rf"(?:(?:{'|'.join(_TENS)})(?:[\s-](?:{'|'.join(_ONES[:9])}))?|{'|'.join(reversed(_ONES))})"
_NUMTOK = (rf"\d{{1,4}}(?:\.\d{{1,2}})?(?:\s+[1-3]/[2-4])?(?![\d,])|[1-3]/[2-4]|a\s+couple\s+of|couple\s+of|a\s+couple"
           rf"|a\s+few|a\s+dozen|dozens\s+of|hundreds\s+of|thousands\s+of|a\s+number\s+of|several|few|many|some"
           rf"|(?:a|one)\s+hundred|half\s+an?|an?\s+half|a\s+quarter(?:\s+of\s+an?)?|another"
           rf"|{_NUMW}(?:\s+and\s+a\s+half)?|an?")
_UNIT = (r"(?P<u>years?|months?|weeks?|days?|nights?|hours?|hrs|minutes?|mins|seconds?|secs|decades?|centuries"
         r"|century|millennium|millennia|quarters?|fortnights?|weekends?)")
_REL = r"last|next|this|this\s+past|this\s+coming|coming|past|previous|following|the\s+following|the\s+previous"
_MOD_EDGE = r"(?:the\s+)?(?:beginning|start|end|middle|rest|remainder|first\s+half|second\s+half|latter\s+half|" \
            r"last\s+half|bulk|balance|turn)\s+of"
_TZ = r"GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|MSK|EET|EEST|JST|IST|AEST|AEDT|ET|PT|local\s+time|" \
      r"Moscow\s+time|Kyiv\s+time|\(\d{4}\s+GMT\)"
_I = re.I


class _Family:
    """A pattern family: its compiled pattern, its parser, its priority and the words that can open it."""

    __slots__ = ("name", "rx", "parse", "prio", "opens")

    def __init__(self, name: str, pattern: str, parse: Callable, prio: int, opens: str) -> None:
        self.name, self.rx, self.parse, self.prio, self.opens = name, re.compile(pattern, _I), parse, prio, opens


# -- quantities and ISO durations --------------------------------------------------------------------------

# -- the families, with the words that can open them -------------------------------------------------------

_DETS = "the this that these those"
_ADJS = "past last next first final coming previous following remaining latest initial preceding ensuing " \
        "succeeding entire whole full same other"
_MONTH_WORDS = f"{_MF.lower().replace('|', ' ')} jan feb mar apr jun jul aug sep sept oct nov dec"
_WEEKDAY_WORDS = f"{_WD_NAMES.lower().replace('|', ' ')} mon tue tues wed thu thur thurs fri sat sun"
_EDGE_WORDS = "early mid late earlier later the beginning start end middle rest remainder first second latter " \
              "bulk balance turn"
_REL_WORDS = "last next this coming past previous following current preceding prior that the"

# Each family: a pattern tried at the words that can open it (``#``: any number), and its parser.
_P_NUMDATE = (r"(?:(?P<iy>1[6-9]\d\d|20\d\d)-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])"
              r"|(?P<a>[01]?\d|2\d|3[01])/(?P<b>[0-3]?\d)/(?P<sy>(?:1[6-9]|20)\d\d|\d\d))(?![\w/-])"
              r"(?:[T\s](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?(?![\d:]))?")
_P_MONTH_DAY = (rf"(?P<wk>the\s+week\s+of\s+)?(?:{_WD_ANY},?\s+(?:the\s+)?)?(?:(?P<mod>around|early|late)\s+)?"
                rf"{_MON}\s*{_DAY}(?:,?\s+{_YEAR}|\s+['’](?P<yy>\d\d)(?!\w)|\s+(?P<yrel>this|last|next)\s+year"
                r"(?!['’\w]))?(?!\w)")
_P_WEEK_OF = (r"(?:the\s+)?(?P<o>first|second|third|fourth|last|final)\s+week\s+of\s+"
              rf"{_MONTH_FULL}(?:,?\s+{_YEAR})?(?!\w)")
_P_DAY_MONTH = rf"(?:{_WD_ANY},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}(?!\w)(?:,?\s+{_YEAR})?"
_P_MONTH_YEAR = rf"(?:(?P<mod>early|mid|late)[\s-]+|(?P<mod2>{_MOD_EDGE})\s+)?{_MON},?\s+(?:of\s+)?{_YEAR}"
_P_MONTH = (rf"(?:(?P<rel>{_REL}|the\s+same)\s+)?(?:(?P<mod>early|mid|late)[\s-]+|(?P<mod2>{_MOD_EDGE})\s+)?"
            rf"{_MONTH_FULL}(?:\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year(?!['’\w]))?(?![\w-])")
_P_YEAR = (r"(?:(?P<pre>(?:the\s+)?(?:fiscal|calendar|model|financial|tax)(?:\s+year)?|the\s+year)\s+"
           rf"|(?P<mod>early|mid|late|post|pre)(?:\s+|-)|(?P<mod2>{_MOD_EDGE})\s+)?"
           rf"(?<![\w$£€#/.]){_YEAR}(?![\w%-]|[.,]\d)")
_P_SPELLED_YEAR = (rf"(?:the\s+year\s+)?(?:nineteen\s+(?:hundred\s+(?:and\s+)?)?(?P<yy>{_NUMW})"
                   rf"|(?P<k>two\s+thousand)(?:\s+(?:and\s+)?(?P<yy2>{_NUMW}))?)(?!\w)")
_P_DECADE = (r"(?:(?P<mod2>the\s+(?:first|second|last|latter)\s+half\s+of)\s+)?(?P<the>the\s+)?"
             r"(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<c>1\d|20)(?P<d>\d)0['’]?s|['’](?P<d2>\d)0s"
             r"|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))(?!\w)")
_P_CENTURY = (r"(?P<the>the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)"
              rf"|(?P<w>twenty[\s-]first|{'|'.join(reversed(_ORDINALS))}))[\s-]+century(?!\w)")
_P_QUARTER = (r"(?:(?P<det>the|its|their|this|that)\s+)?(?:(?P<y>1[5-9]\d\d|20\d\d)(?:['’]s)?\s+"
              r"|(?P<yrel>this|last|next)\s+year['’]s\s+|(?P<ago>year[\s-](?:earlier|ago))\s+)?"
              r"(?:(?:fiscal|calendar)[\s-]+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+"
              r"(?:fiscal[\s-]+)?quarter(?![\w-])"
              r"(?:\s+of\s+(?:(?:fiscal|calendar)\s+)?(?:(?P<y2>1[5-9]\d\d|20\d\d)(?!\d)"
              r"|(?P<yrel2>this|last|next|the)\s+(?:fiscal\s+)?year(?!\w)))?")
_P_QTOKEN = r"(?-i:Q(?P<qn>[1-4]))(?:[\s-]?(?P<y>(?:19|20)\d\d)|\s+['’](?P<yy>\d\d))?(?!\w)"
_P_RELQUARTER = (r"(?:(?P<det>the|this|that|its|their)\s+)?"
                 r"(?:(?P<rel>latest|current|last|next|previous|prior|past|same|comparable|coming|most\s+recent"
                 r"|recent|just[\s-]ended|corresponding|year[\s-](?:earlier|ago))\s+)?"
                 r"(?:(?P<y>1[5-9]\d\d|20\d\d)\s+)?(?:(?:fiscal|calendar)\s+)?(?P<u>quarter|period)(?![\w-])"
                 r"(?:\s+(?P<tail>a\s+year\s+(?:earlier|ago|before)|(?:of\s+)?(?:last|this|next)\s+year))?"
                 r"(?=(?P<ended>\s+(?:that\s+)?(?:ended|ending|ends|through)"
                 rf"\s+{_MON}\s*(?P<d>3[01]|[12]\d|0?[1-9])\b(?:,?\s+{_YEAR2})?)?)")
_P_HALF = (r"(?:the\s+)?(?P<h>first|second|last|latter|back|front)[\s-]+half"
           r"(?:\s+of\s+(?:(?:the\s+)?(?:fiscal|calendar)\s+)?"
           r"(?:(?P<y>1[5-9]\d\d|20\d\d)(?!\d)|(?P<yrel>this|last|next|the)\s+(?:fiscal\s+)?year(?!\w)))?")
_P_SEASON = (rf"(?:(?P<rel>{_REL}|the\s+same|the)\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?"
             rf"(?P<s>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?{_YEAR}|,\s+{_YEAR2}"
             r"|\s+of\s+(?P<yrel>this|last|next)\s+year(?!['’\w]))?(?![\w-])")
_P_WEEKDAY = (rf"(?:(?P<rel>{_REL}|the\s+next|the\s+same|the\s+preceding|the\s+prior)\s+)?{_WD}(?P<pl>s)?"
              r"(?:\s+(?P<pod>morning|afternoon|evening|night|noon|midnight)(?P<podpl>s)?)?(?!\w)")
_P_TODAY = (r"(?:(?P<mod>early|late|earlier|later)\s+)?(?:the\s+day\s+(?P<ba>before|after)\s+)?"
            r"(?P<w>today|tonight|tomorrow|yesterday|overnight|(?<=earlier\s)in\s+the\s+day"
            r"|(?<=later\s)in\s+the\s+day)(?:\s+(?P<pod>morning|afternoon|evening|night))?(?!\w)")
_P_PARTDAY = (r"(?:(?P<mod>early|late|earlier|later)\s+)?"
              r"(?P<rel>this|last|that|the\s+next|the\s+following|the\s+same|the\s+previous)\s+"
              r"(?P<pod>morning|afternoon|evening|night)(?!\w)")
_P_RELUNIT = (rf"(?:(?P<mod>early|late|earlier|later|{_MOD_EDGE})\s+)?"
              r"(?P<rel>this|last|next|past|coming|current|previous|following|preceding|prior|that|this\s+past"
              r"|this\s+coming|the\s+(?:past|last|next|coming|current|previous|following|preceding|prior|same"
              r"|present|upcoming|latest)|that\s+same|latest|the)\s+"
              r"(?:(?P<kind>fiscal|calendar|school|academic|financial|full)\s+)?"
              r"(?P<u>week|weekend|month|year|decade|century|millennium|day)(?:\s+or\s+so)?(?![\w-])")
_P_THISTIME = r"(?:this\s+time|this\s+date)\s+(?P<rel>last|next)\s+(?P<u>year|month|week)(?!\w)"
_P_YEARWORD = r"(?P<w>year[\s-]?end|yearend|year['’]s\s+end|year-(?:earlier|ago))(?![\w-])"
_P_DURATION = (rf"(?:(?P<det>{_DETS.replace(' ', '|')})\s+)?(?:(?P<adj>{_ADJS.replace(' ', '|')})\s+)?"
               r"(?:(?P<mod>approximately|nearly|almost|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most"
               r"|up\s+to|roughly|some|another|an\s+additional|an\s+extra|a\s+further|a\s+full|upwards\s+of)\s+)?"
               rf"(?P<num>{_NUMTOK})(?:\s*(?:to|or|-|–)\s*(?P<num2>{_NUMTOK}))?[\s-]+"
               r"(?:(?P<fill>more|additional|extra|straight|consecutive|full|long|trading|business|working"
               rf"|calendar|fiscal|school|solid)[\s-]+)?{_UNIT}(?P<frac>\s+and\s+a\s+half)?"
               r"(?P<suf>-long|-old|-plus)?(?:\s+or\s+so)?"
               r"(?:\s+(?P<dir>ago|earlier|later|before|after|from\s+now|hence|back|away)(?!\w))?(?![\w-])")
_P_PLURAL = r"(?P<u>years|months|weeks|days|decades|hours|centuries)(?![\w'’-])"
_P_TIME = (r"(?:(?P<mod>around|approximately|roughly)\s+)?"
           r"(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.\s?m\b\.?|[ap]m(?!\w))"
           r"|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
           r"|(?P<h3>1[0-2]|0?[1-9])\s+(?:o['’]clock(?:\s+in\s+the\s+(?P<pod3>morning|afternoon|evening|night))?"
           r"|in\s+the\s+(?P<pod4>morning|afternoon|evening|night))"
           r"|(?P<word>noon|midnight|midday|mid[\s-]?afternoon|mid[\s-]?morning))"
           rf"(?:\s+(?:{_TZ}))?(?:,?\s+(?:on\s+)?(?:(?P<day>today|tonight|tomorrow|yesterday)|{_WD}"
           rf"|{_MON}\s*(?P<d>3[01]|[12]\d|0?[1-9])(?![\d:])(?:,?\s+{_YEAR})?))?(?!\w)")
_P_SET = (rf"(?P<adv>{'|'.join(sorted(_SET_ADVERBS, key=len, reverse=True))})(?![\w-])"
          rf"|(?P<freq>once|twice|thrice|(?:{_NUMW}|\d+|several|many)\s+times)\s+(?:a|an|per|every|each)\s+"
          r"(?P<u1>year|month|week|day|hour|minute|decade|quarter|fortnight)(?!\w)"
          rf"|(?:every|each)\s+(?P<other>other\s+)?(?:(?P<n>{_NUMW}|\d{{1,3}}|few|couple\s+of)\s+)?"
          r"(?:(?P<u2>years?|months?|weeks?|days?|hours?|minutes?|decades?|quarters?|weekends?|mornings?"
          rf"|afternoons?|evenings?|nights?)|(?-i:(?P<wd>{_WD_NAMES})|(?P<mon>{_MF})))(?!\w)"
          r"|per\s+(?P<u3>year|month|week|day|hour|minute|annum|quarter)(?!\w)")
_P_HOLIDAY = (r"(?:(?P<rel>last|next|this|this\s+past|this\s+coming)\s+)?"
              r"(?-i:(?P<h>Christmas\s+Eve|Christmas\s+Day|Orthodox\s+Christmas|New\s+Year['’]s\s+Eve"
              r"|New\s+Year['’]s\s+Day|New\s+Year(?:['’]s)?|Thanksgiving\s+Day|Thanksgiving|Easter\s+Sunday"
              r"|Easter\s+Monday|Easter|Good\s+Friday|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Veterans\s+Day"
              r"|Halloween|Election\s+Day|Valentine['’]s\s+Day|Boxing\s+Day|Victory\s+Day|Christmas))"
              r"(?:\s+(?P<wk>week|weekend))?(?:,?\s+(?P<y>1[5-9]\d\d|20\d\d)(?!\d))?(?!\w)")
_P_REF = (r"(?:(?P<present>now|currently|nowadays|these\s+days|presently|the\s+present(?:\s+day)?"
          r"|at\s+the\s+moment)"
          r"|(?P<past>recently|lately|formerly|the\s+past|past\s+(?:years|decades)"
          r"|recent\s+(?:days|weeks|months|quarters|years|decades|times|history))"
          r"|(?P<future>the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future"
          r"|future(?=\s+(?:years|months|quarters|weeks|decades|generations))"
          r"|the\s+(?:near|short|long|medium)\s+term|a\s+later\s+date|as\s+soon\s+as\s+possible"
          r"|(?:the\s+)?(?:coming|next\s+few)\s+(?:days|weeks|months|quarters|years|decades)"
          r"|the\s+(?:days|weeks|months|years)\s+ahead))(?![\w-])")

_FAMILIES = [  # name, pattern, parser, priority among overlaps of equal length (lower wins), opening words
    _Family("numdate", _P_NUMDATE, _p_numdate, 0, "#"),
    _Family("month_day", _P_MONTH_DAY, _p_md, 1, f"{_MONTH_WORDS} {_WEEKDAY_WORDS} around early late the"),
    _Family("day_month", _P_DAY_MONTH, _p_md, 1, f"# the {_WEEKDAY_WORDS}"),
    _Family("week_of", _P_WEEK_OF, _p_week_of, 1, "the first second third fourth last final"),
    _Family("month_year", _P_MONTH_YEAR, _p_month_year, 2, f"{_MONTH_WORDS} {_EDGE_WORDS}"),
    _Family("month", _P_MONTH, _p_month, 3, f"{_MF.lower().replace('|', ' ')} {_REL_WORDS} {_EDGE_WORDS}"),
    _Family("year", _P_YEAR, _p_year, 4, f"# fiscal calendar model financial tax {_EDGE_WORDS} post pre"),
    _Family("spelled_year", _P_SPELLED_YEAR, _p_spelled_year, 4, "the nineteen two"),
    _Family("decade", _P_DECADE, _p_decade, 4, "# ' ’ the early mid late"),
    _Family("century", _P_CENTURY, _p_century, 4, f"# the early mid late twenty {' '.join(_ORDINALS)}"),
    _Family("quarter", _P_QUARTER, _p_quarter, 2, "the its their this that # last next year fiscal calendar first "
                                                  "second third fourth final"),
    _Family("qtoken", _P_QTOKEN, _p_quarter, 2, "q1 q2 q3 q4"),
    _Family("relquarter", _P_RELQUARTER, _p_relquarter, 5, "the this that its their latest current last next "
                                                           "previous prior past same comparable coming most recent "
                                                           "just corresponding year"),
    _Family("half", _P_HALF, _p_half, 3, "the first second last latter back front"),
    _Family("season", _P_SEASON, _p_season, 3, f"spring summer fall autumn winter {_REL_WORDS} early mid late"),
    _Family("weekday", _P_WEEKDAY, _p_weekday, 3, f"{_WD_NAMES.lower().replace('|', ' ')} "
                                                  f"{_WD_NAMES.lower().replace('|', 's ')}s {_REL_WORDS}"),
    _Family("today", _P_TODAY, _p_today, 3, "today tonight tomorrow yesterday overnight early late earlier later "
                                            "the"),
    _Family("partday", _P_PARTDAY, _p_partday, 3, "this last that the early late earlier later"),
    _Family("relunit", _P_RELUNIT, _p_relunit, 4, f"{_REL_WORDS} {_EDGE_WORDS}"),
    _Family("thistime", _P_THISTIME, _p_thistime, 3, "this"),
    _Family("yearword", _P_YEARWORD, _p_yearword, 5, "year yearend"),
    _Family("duration", _P_DURATION, _p_duration, 6, f"{_DETS} {_ADJS} approximately nearly almost more less "
                                                     f"fewer at up roughly some another upwards {' '.join(_ONES)} "
                                                     f"{' '.join(_TENS)} a an couple few several many dozen dozens "
                                                     f"hundreds thousands half #"),
    _Family("plural", _P_PLURAL, _p_plural, 8, "years months weeks days decades hours centuries"),
    _Family("time", _P_TIME, _p_time, 2, "# noon midnight midday mid midafternoon midmorning around approximately "
                                         "roughly"),
    _Family("set", _P_SET, _p_set, 3, f"{' '.join(_SET_ADVERBS)} once twice thrice every each per several many # "
                                      f"{' '.join(_ONES + _TENS)}"),
    _Family("holiday", _P_HOLIDAY, _p_holiday, 2, "last next this christmas orthodox new thanksgiving easter good "
                                                  "independence labor memorial veterans halloween election "
                                                  "valentine boxing victory"),
    _Family("ref", _P_REF, _p_ref, 7, "now currently nowadays these presently the at recently lately formerly "
                                      "recent future a as coming next past"),
]

_TRIGGERS: dict[str, tuple[_Family, ...]] = {}
for _fam in _FAMILIES:
    for _w in _fam.opens.split():
        _TRIGGERS[_w] = _TRIGGERS.get(_w, ()) + (_fam,)
_TOKEN = re.compile(r"\w+|['’](?=\d0s)")
#: Frequent function words open a family only when the next word could continue a time expression.
_GATED = frozenset("the a an this that these those its their some at more less up as".split())
_FOLLOW = frozenset(_TRIGGERS) | frozenset(f"""
    {' '.join(_UNITS)} years months weeks days nights hours minutes seconds decades centuries quarters weekends
    period term moment near distant foreseeable immediate short long medium most comparable corresponding recent
    same latest upcoming present school academic financial full least than to soon possible later additional extra
    further another whole entire
    morning afternoon evening night {' '.join(_DECADE_WORDS)} {' '.join(_ORDINALS)}""".split())
