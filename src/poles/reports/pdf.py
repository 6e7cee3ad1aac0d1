"""HTML to PDF with WeasyPrint, which needs the Pango library of the system (not a Python package).

When Pango cannot be loaded, `html_to_pdf` raises `PdfUnavailable` with one line saying what to
install; the CLI prints it and exits with code 2, the tests that need it skip with that reason.
Fonts: DejaVu Sans from the Debian package `fonts-dejavu-core` (free licence), found through
fontconfig; no font is downloaded.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, NoReturn

FONT_PACKAGE = "fonts-dejavu-core"


class PdfUnavailable(RuntimeError):
    """The PDF engine cannot run on this machine (Pango missing)."""


@cache
def _engine() -> Any:
    try:
        import weasyprint
    except OSError as error:  # WeasyPrint loads Pango with cffi when imported
        raise PdfUnavailable(
            "PDF reports need the Pango library: install it (Debian: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0 {FONT_PACKAGE}); WeasyPrint said: {str(error).splitlines()[0]}"
        ) from None
    except ImportError:
        raise PdfUnavailable("PDF reports need WeasyPrint: pip install -e . (it is a dependency)") from None
    return weasyprint


def unavailable_reason() -> str:
    """Why PDFs cannot be made here, or '' when they can."""
    try:
        _engine()
    except PdfUnavailable as error:
        return str(error)
    return ""


STYLESHEET = Path(__file__).with_name("report.css")


def html_to_pdf(html: str) -> bytes:
    """A PDF of a standalone HTML page laid out with the reports' stylesheet (nothing external is fetched)."""
    engine = _engine()
    css = engine.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_no_fetch)
    pdf: bytes = engine.HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[css])
    return pdf


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """Refuse every external resource: a report is self-contained (no network at run time)."""
    raise ValueError(f"reports load no external resource: {url}")


def write_pdf(html: str, path: str) -> str:
    """Lay out one report and write it to `path` (run in worker processes: imports no Django)."""
    Path(path).write_bytes(html_to_pdf(html))
    return path
