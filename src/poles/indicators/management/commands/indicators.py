"""`poles indicators --year YYYY --scope nation|region:CODE|cluster:SLUG|ecosystem:X|phase:X`: the figures."""

from __future__ import annotations

import csv
import io
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from poles.indicators import engine
from poles.indicators.definitions import UnknownIndicator
from poles.indicators.engine import Scope, ScopeError
from poles.indicators.formatting import format_value
from poles.indicators.messages import scope_message_everywhere

INPUT_ERROR = 2
HEADERS = {
    "fr": ("code", "indicateur", "valeur", "année précédente", "évolution", "rang", "centile", "cible"),
    "en": ("code", "indicator", "value", "previous year", "growth", "rank", "percentile", "target"),
}


class Command(BaseCommand):
    help = (
        "Print the programme's indicators for a year and a scope (nation, region:CODE, cluster:SLUG, "
        "ecosystem:CODE, phase:CODE), computed from the register."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None,
                            help="the year (default: the reporting year, the latest with members)")
        parser.add_argument("--scope", default="nation",
                            help="nation (default), region:CODE, cluster:SLUG, ecosystem:CODE or phase:CODE")
        parser.add_argument("--codes", default=None, help="comma-separated indicator codes (default: all)")
        parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
        parser.add_argument("--lang", choices=("fr", "en"), default="fr", help="labels' language (default fr)")
        parser.add_argument("--ranks", action="store_true", help="a cluster's rank and percentile among clusters")

    def handle(self, *args, **options) -> None:
        codes = [c.strip() for c in options["codes"].split(",") if c.strip()] if options["codes"] else None
        try:
            scope = Scope.parse(options["scope"])
            year = options["year"] if options["year"] is not None else engine.latest_year()
            if year is None:
                raise CommandError("the register holds no membership: no reporting year", returncode=INPUT_ERROR)
            values = engine.compute(year, scope, codes, ranks=options["ranks"])
        except ScopeError as error:
            raise CommandError(scope_message_everywhere(error), returncode=INPUT_ERROR) from None
        except UnknownIndicator as error:
            raise CommandError(str(error), returncode=INPUT_ERROR) from None
        lang = options["lang"]
        if options["format"] == "json":
            payload = {"year": year, "scope": str(scope), "indicators": [v.as_dict(lang) for v in values]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        elif options["format"] == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["year", "scope", "code", "label", "unit", "value", "previous", "growth",
                             "rank", "peers", "percentile", "target"])
            for v in values:
                row = v.as_dict(lang)
                writer.writerow([year, scope, v.code, row["label"], row["unit"], _cell(row["value"]),
                                 _cell(row["previous"]), _cell(row["growth"]), _cell(row["rank"]),
                                 _cell(row["peers"]), _cell(row["percentile"]), _cell(row["target"])])
            self.stdout.write(buffer.getvalue(), ending="")
        else:
            buffer = io.StringIO()
            Console(file=buffer, width=160, force_terminal=False).print(_table(values, year, scope, lang))
            self.stdout.write(buffer.getvalue(), ending="")


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _table(values: list[engine.IndicatorValue], year: int, scope: Scope, lang: str) -> Table:
    title = f"Indicateurs {year} — {scope}" if lang == "fr" else f"Indicators {year} — {scope}"
    table = Table(title=title)
    for n, header in enumerate(HEADERS[lang]):
        table.add_column(header, justify="left" if n < 2 else "right")
    for v in values:
        unit = v.unit
        growth = format_value(v.growth, type(unit).SHARE, lang) if v.growth is not None else ""
        rank = f"{v.rank}/{v.peers}" if v.rank is not None else ""
        percentile = format_value(v.percentile, type(unit).FTE, lang) if v.percentile is not None else ""
        target = v.indicator.target
        target_text = (target.label_fr if lang == "fr" else target.label_en) if target else ""
        table.add_row(v.code, v.label(lang), format_value(v.value, unit, lang, withheld=v.withheld),
                      format_value(v.previous, unit, lang) if v.previous is not None else "",
                      growth, rank, percentile, target_text)
    return table
