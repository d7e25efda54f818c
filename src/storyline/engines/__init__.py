"""Engines run the per-article pipeline over many documents: ``local`` (processes); Spark comes later."""
