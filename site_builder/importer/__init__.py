"""`site-builder import`: raw reports (TXT, HTML, DOCX) to Markdown with front-matter.

Stages, one module each: sources (bytes → lines + page metadata), repair (PDF line breaks,
punctuation, artifacts), structure (headings by GB/T 9704 numbering, closing block), personal
(redaction of personal data, by the rules in site_builder/text/ that `check` shares), metadata (title, unit, place, year, dates — each with where it came
from), gazetteer (administrative divisions), output (Markdown file)."""
