"""Stories: duplicate groups, events (one happening) and storylines (the thread of events), kept
up to date incrementally as articles arrive."""
