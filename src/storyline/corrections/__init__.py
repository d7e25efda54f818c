"""Analyst corrections with an audit trail: fixes that the machine never undoes.

A correction is a record of its own (who, when, what, the machine's answer before, the corrected answer
after, a note), applied to the store when it is made and again after every ingest, ``stories
--update/--rebuild``, ``restructure`` and ``load`` (:func:`reapply`), until it is undone:

- story grouping (:mod:`.stories`): ``move-article``, ``merge-events``, ``merge-stories``, ``split-story``;
- who is who (:mod:`.entities`): ``speaker``, ``merge-entities``, ``split-entity``, ``alias``;
- article metadata (:mod:`.articles`): ``date`` (basis ``corrected``), ``outlet``;
- ``dismiss`` a conflict, position, claim or political event (:mod:`.dismiss`), a filter on what the
  analyses built, by the items' stable ids (:mod:`storyline.analysis.ids`).

:mod:`.engine` makes, re-applies, undoes, exports and imports them; :mod:`.gold` writes a storyline as
reviewed by analysts as a gold file in the format of ``bench/data``.
"""

from .dismiss import Review
from .engine import ACTIONS, ImportReport, ReapplyReport, Result, correct, export_records, import_records, listing
from .engine import marks, reapply, undo

__all__ = ["ACTIONS", "ImportReport", "ReapplyReport", "Result", "Review", "correct", "export_records",
           "import_records", "listing", "marks", "reapply", "undo"]
