"""Full-text search: one match rule (match.py) answered by a static browser index (browser.py,
whose shards are fetched only for the terms a query needs) and by whoosh (service.py); output.py
plugs the search page and index into the build."""
