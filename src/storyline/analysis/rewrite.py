"""An optional rewrite of the brief's summary by any OpenAI-compatible chat-completions endpoint.

Off by default and never needed: the extractive summary is complete without it. When ``llm_base_url``
and ``llm_model`` are set (key in ``STORYLINE_LLM_API_KEY``), each paragraph is sent with a marker
``[cN]`` after every sentence for each of its citations; the model is asked to rewrite it keeping every
marker after the words it supports. The answer is accepted only when it carries exactly the markers sent,
each once, and every piece of text ends with markers (so every rewritten sentence is still cited);
otherwise, and on any network or format error, the paragraph stays extractive and the reason is recorded.
"""

from __future__ import annotations

import os
import re
from typing import Any

import httpx

TIMEOUT = 60.0  # seconds for one paragraph's rewrite
API_KEY_ENV = "STORYLINE_LLM_API_KEY"
_MARKER = re.compile(r"\[c(\d+)\]")
_PIECE = re.compile(r"(.+?)((?:\s*\[c\d+\])+)", re.S)
PROMPT = ("Rewrite the paragraph below for a news analyst: plain, concise English, the same facts and no "
          "others. Every marker such as [c3] must stay in your text exactly once, right after the words it "
          "supports, and every sentence must end with at least one marker. Answer with the paragraph only.")


def rewrite(paragraphs: list[dict[str, Any]], base_url: str, model: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Rewritten paragraphs (or the extractive ones where a rewrite was refused) and what was refused."""
    headers = {"Content-Type": "application/json"}
    key = os.environ.get(API_KEY_ENV)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    out, refused = [], []
    with httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=TIMEOUT) as client:
        for para in paragraphs:
            text, citations = marked(para)
            try:
                answer = _ask(client, model, text)
                out.append({**para, "sentences": parse(answer, citations), "rewritten": True})
            except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
                refused.append(f"{para['topic']}: {exc}")
                out.append(para)
    return out, refused


def marked(paragraph: dict[str, Any]) -> tuple[str, dict[int, dict[str, Any]]]:
    """The paragraph as text with a ``[cN]`` marker per citation, and the citations by marker number."""
    parts, citations = [], {}
    for s in paragraph["sentences"]:
        marks = []
        for c in s["citations"]:
            n = len(citations) + 1
            citations[n] = c
            marks.append(f"[c{n}]")
        parts.append(f"{s['text'].strip()} {''.join(marks)}")
    return " ".join(parts), citations


def _ask(client: httpx.Client, model: str, text: str) -> str:
    r = client.post("/chat/completions", json={
        "model": model, "temperature": 0,
        "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}]})
    r.raise_for_status()
    return str(r.json()["choices"][0]["message"]["content"])


def parse(answer: str, citations: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rewritten sentences with their citations; ``ValueError`` when a marker is lost, added or repeated,
    or some text carries no marker."""
    found = [int(n) for n in _MARKER.findall(answer)]
    if sorted(found) != sorted(citations):
        raise ValueError(f"markers changed: sent {sorted(citations)}, got {found}")
    sentences, end = [], 0
    for m in _PIECE.finditer(answer):
        if answer[end:m.start()].strip():
            raise ValueError("text without a citation marker")
        text = m.group(1).strip().lstrip(".;, ")
        if not re.search(r"\w", text):
            raise ValueError("a marker without text")
        numbers = [int(n) for n in _MARKER.findall(m.group(2))]
        sentences.append({"text": text, "citations": [citations[n] for n in numbers], "of": "rewrite", "ref": None})
        end = m.end()
    if answer[end:].strip(" \n.;"):
        raise ValueError("text after the last citation marker")
    return sentences
