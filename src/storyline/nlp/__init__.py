"""NLP: the spaCy model (loaded once per process), sentences, entity mentions and canonical name keys."""
