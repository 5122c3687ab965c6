"""Full-text search: one analysis (tokens.py) for a static browser index (browser.py) whose shards
are fetched only for the terms a query needs."""
