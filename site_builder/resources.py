"""Files shipped inside the package (the theme, the example reports), found in one place.

The repository keeps them at its top level (theme/, content/); site_builder/data/ links to them,
and setuptools copies the files behind the links into the sdist and the wheel."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from site_builder.i18n import t


def bundled(name: str) -> Path:
    """The bundled folder `name` as a real path (jinja2 loads from paths): 'theme', 'examples'
    (the five example reports) or 'site' (what `site-builder init` writes)."""
    folder = Path(str(files("site_builder") / "data" / name)).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(t("The installed site_builder lacks its {name}/ folder ({folder}); reinstall it.", name=name, folder=folder))
    return folder
