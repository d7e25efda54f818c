"""Across sources: what no single article says (issue 5)."""
