"""The personal-data rules, kept where the importer has always found them; they live in
site_builder/text/personal.py, which `check` shares."""

from site_builder.text.personal import MARKER as MARKER
from site_builder.text.personal import Finding as Finding
from site_builder.text.personal import find_personal_data as find_personal_data
from site_builder.text.personal import id_checksum_ok as id_checksum_ok
from site_builder.text.personal import is_contact_only as is_contact_only
from site_builder.text.personal import luhn_ok as luhn_ok
from site_builder.text.personal import mask as mask
from site_builder.text.personal import redact as redact
