"""site_builder: static public-disclosure sites from annual rule-of-law reports."""

__version__ = "0.2.0"
