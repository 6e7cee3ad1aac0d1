"""Static files of the State's design system: the few files of `@gouvfr/dsfr/dist` the pages use.

The package's dist folder weighs 88 MB (every component also built alone, legacy builds, source
maps, analytics); the pages load the whole-system CSS and JS, the fonts, icons and favicons they
reference. Only those are served under `static/dsfr/` and copied by `collectstatic` (about 6 MB).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

from poles.env import node_modules

PREFIX = "dsfr"
FILES = frozenset({"dsfr.min.css", "dsfr.module.min.js", "dsfr.nomodule.min.js"})
FOLDERS = ("fonts/", "icons/", "favicon/")


def dist() -> Path:
    """Where npm installed DSFR's built files."""
    return node_modules() / "@gouvfr" / "dsfr" / "dist"


def wanted(relative: str) -> bool:
    """True for a file of the dist folder that the pages use."""
    relative = relative.replace("\\", "/")
    return relative in FILES or relative.startswith(FOLDERS)


class DsfrFinder(BaseFinder):
    """Finds DSFR's used files under `dsfr/`, for `collectstatic` and WhiteNoise alike."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=dist())
        self.storage.prefix = PREFIX

    def find(self, path: str, find_all: bool = False, **kwargs):
        """The absolute path of `dsfr/<file>` when it is one of the files used."""
        found: list[str] = []
        relative = path.replace("\\", "/").removeprefix(f"{PREFIX}/")
        if path.replace("\\", "/").startswith(f"{PREFIX}/") and wanted(relative):
            candidate = dist() / relative
            if candidate.is_file():
                found.append(str(candidate))
        if find_all or kwargs.get("all"):
            return found
        return found[0] if found else []

    def list(self, ignore_patterns) -> Iterator[tuple[str, FileSystemStorage]]:
        """Every used file, relative to the dist folder, with its storage (prefix `dsfr`)."""
        if not dist().is_dir():
            return
        for path in utils.get_files(self.storage, ignore_patterns):
            if wanted(path):
                yield path, self.storage
