"""Rules about report text that more than one feature applies: personal data (importer redacts
it, check refuses it), what Word, WPS and converters leave in a text (residue: every build refuses
the hidden marks, check warns about the rest, the importer removes all of it), the furniture web
pages put around a report (importer drops it, check warns about it), and the hints the importer
writes on a front-matter line (check repeats them). Plain functions of a string; nothing here
knows a feature."""
