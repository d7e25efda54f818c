"""Extraction from analysed articles: quotes and speakers, time expressions (later: events, positions)."""
