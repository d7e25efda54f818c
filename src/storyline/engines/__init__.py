"""Engines run the per-article pipeline over many documents: ``local`` (processes, into the store) and ``spark``
(Spark executors, into a dataset); ``stories`` places stored articles in duplicate groups, events and storylines."""
