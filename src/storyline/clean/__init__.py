"""Cleaning: main text from pages, debris out of pre-extracted text, metadata and publication dates."""
