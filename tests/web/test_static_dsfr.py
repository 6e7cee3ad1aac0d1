"""DSFR's files are served from its npm package: all that the style sheets reference, nothing more."""

from __future__ import annotations

import re
from pathlib import Path


def test_every_file_dsfr_css_and_poles_css_reference_is_served():
    from django.contrib.staticfiles import finders

    from poles.web.staticfinders import dist

    css = (dist() / "dsfr.min.css").read_text(encoding="utf-8")
    referenced = {u.strip("'\"") for u in re.findall(r"url\(([^)]+)\)", css)}
    local = sorted(u for u in referenced if not u.startswith(("data:", "http", "#")))
    assert len(local) > 50
    missing = [u for u in local if not finders.find(f"dsfr/{u}")]
    assert not missing, f"dsfr.min.css references files not served: {missing[:5]}"
    poles_css = finders.find("web/poles.css")
    icons = re.findall(r"url\(\.\./(dsfr/[^)]+)\)", Path(poles_css).read_text(encoding="utf-8"))
    assert icons and all(finders.find(i) for i in icons), icons


def test_only_the_used_part_of_the_dsfr_package_is_served():
    from django.contrib.staticfiles import finders

    assert finders.find("dsfr/dsfr.module.min.js") and finders.find("dsfr/dsfr.nomodule.min.js")
    assert not finders.find("dsfr/dsfr.css") and not finders.find("dsfr/component/header/header.min.css")
    assert not finders.find("dsfr/dsfr.min.css.map")
