"""BABE (Spinde et al. 2021) as the framing evaluation and training read it: the sentences, a fixed split.

``final_labels_SG2.csv`` (``;``-separated; ``text, news_link, outlet, topic, type, label_bias,
label_opinion, biased_words``); "No agreement" rows are left out (SG1 is a subset of SG2's sentences with
other annotators' labels, so it is not used). AGPL data: read here for evaluation and training only, never
copied into the package.

The split: each sentence's key is the BLAKE2b-64 hash of its text (whitespace collapsed); within each label
the sentences are ordered by key and the first ``HELD_OUT`` share is held out of any training (stratified
by label, fixed, independent of file order).
"""

from __future__ import annotations

import ast
import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from bench.common import shared

HELD_OUT = 0.2
FILE = "final_labels_SG2.csv"
PUNCT = "\"'“”‘’.,;:!?()[]"  # stripped from the ends of an annotated word


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    outlet: str
    topic: str
    biased: bool
    words: frozenset[str]  # the annotators' biased words, lower-cased


def key_of(text: str) -> str:
    return hashlib.blake2b(" ".join(text.split()).encode(), digest_size=8).hexdigest()


def read(path: Path | None = None) -> list[Item]:
    from storyline.analysis.loaded import form_of

    path = path or shared("framing", "babe", FILE)
    items = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["label_bias"] not in ("Biased", "Non-biased"):
                continue
            words = ast.literal_eval(row["biased_words"] or "[]")
            items.append(Item(key_of(row["text"]), row["text"], row["outlet"], row["topic"],
                              row["label_bias"] == "Biased",
                              frozenset(f for w in words if (f := form_of(w).strip(PUNCT)))))
    return items


def split(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """``(train, held_out)``: per label, the ``HELD_OUT`` share with the lowest keys is held out."""
    train, test = [], []
    for label in (True, False):
        group = sorted((i for i in items if i.biased is label), key=lambda i: i.key)
        cut = round(len(group) * HELD_OUT)
        test += group[:cut]
        train += group[cut:]
    return train, test
