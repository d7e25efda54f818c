"""Stances stated by speech itself rather than by a stance verb: speech that judges (a quote or reported
clause that the finder's ``judge``, the learned evaluator of ``extract.stance_judge``, reads as for or against)
is the speaker's support or opposition, or that of the body they speak for.

Set phrases of speech ("is not on the table", "it is up to Kyiv"), the cue list the sample corpus was
written beside, were tried here and left out: on the real labelled storylines they added 146 positions
of which 29 were right (precision 0.20 against 0.56 for the rest).

``SpeechStances`` is a part of the stance finder (``extract.stances``): it reads the finder's ``doc``, ``text``,
``lex``, ``judge`` and ``all_quotes`` and its actor resolution (``_speaker``, ``_body``)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Span

from ..records import Quote, Stance
from .stance_actors import holder_name
from .stance_judge import PendingSpeech, Stretch
from .stance_lexicon import DOCUMENTS
from .stance_syntax import polled


class SpeechStances:
    """Stances of speech (a mixin of the stance finder)."""

    def _free_speech(self, sent: Span, found: list[Stance]) -> Iterator[tuple[Quote, int, int]]:
        """The quotes and reported clauses of a sentence with a speaker, clipped to it, that no stance found
        so far covers: ``(quote, start, end)``."""
        start, end = sent.start_char, sent.end_char
        # only the quotes that may overlap the sentence (all of them, for every sentence, was quadratic in a
        # long article of many quotes)
        first, last = bisect_right(self.all_quote_reach, start), bisect_left(self.all_quote_starts, end)
        for q in self.all_quotes[first:last]:
            if q.start >= end or q.end <= start or not q.speaker_text:
                continue
            a, b = max(q.start, start), min(q.end, end)
            if not any(a <= f.cue_start < b or f.start < b and a < f.end for f in found):
                yield q, a, b

    def _speech_spans(self, sent: Span, found: list[Stance]) -> list[tuple[Quote, int, int, Span]]:
        """The stretches of speech of a sentence the judge is asked about: ``(quote, start, end, span)``."""
        out = []
        for q, a, b in self._free_speech(sent, found):
            span = self.doc.char_span(a, b, alignment_mode="expand")
            if span is not None and len(span) >= 2:
                out.append((q, a, b, span))
        return out

    def _evaluations(self, index: int, judged: list[tuple[Quote, int, int, Span, str | None]]) -> list[Stance]:
        """Speech that judges (a quote, or a clause reported after "said"; ``judged``: the sentence's
        ``_speech_spans`` with what the judge said of each): its speaker's support or opposition, when no cue
        of the sentence already states a stance in it."""
        out: list[Stance] = []
        for q, a, b, span, kind in judged:
            if kind is None or any(f.start < b and a < f.end for f in out if f.basis == "judged"):
                continue   # a partial quote inside a reported clause already judged: one stance
            if isinstance(kind, Stretch):   # judged later, in the main process (``stance_judge.resolve_pending``)
                made = [replace(s, basis="pending") for s in self._speech_stance(
                    q, "", index, (span.start_char, span.start_char + len(span[0])), (span.start_char, span.end_char))]
                self.pending += [PendingSpeech(s.sentence, s.cue_start, kind) for s in made]
                out += made
                continue
            out += self._speech_stance(q, kind, index, (span.start_char, span.start_char + len(span[0])),
                                       (span.start_char, span.end_char))
        return out

    def _speech_stance(self, q: Quote, kind: str, index: int, cue: tuple[int, int],
                       span: tuple[int, int]) -> list[Stance]:
        speaker = self._speaker(q)
        if not speaker.name or speaker.name.casefold() in self.lex.vague or self._unnamed(speaker):
            return []
        said = self.doc.char_span(speaker.start, speaker.end, alignment_mode="expand") \
            if speaker.end > speaker.start else None
        if said is not None and len(said) and polled(said.root, said.sent):
            return []   # "51% said the levy was a disgrace": a share of a poll's public, an opinion measured
        if said is not None and len(said) and said.root.lemma_.lower() in DOCUMENTS:
            # "a translated statement said", "the ad says": the body that issued it when it is named with it, else
            # nobody the article names
            issuer = self._actor(said.root, None)
            if issuer is None:
                return []
            speaker = issuer
        holder, reported = speaker, None
        body = self._body(speaker)
        if body is not None:
            holder, reported = body, speaker
        return [Stance(
            sentence=index, start=span[0], end=span[1], cue_start=cue[0], cue_end=cue[1], type=kind,
            holder_text=holder.text, holder_start=holder.start, holder_end=holder.end, holder_name=holder_name(holder.name),
            holder_label=holder.label, holder_mention=holder.mention,
            reported_by_text=reported.text if reported else None,
            reported_by_start=reported.start if reported else None,
            reported_by_name=reported.name if reported else None,
            reported_by_mention=reported.mention if reported else None,
            about_start=span[0], about_end=span[1], in_quote=q.kind != "indirect", basis="judged")]
