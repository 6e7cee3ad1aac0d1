"""Signals of the demo register, for the apps above it (the annual survey) to add their own demo rows."""

from django.dispatch import Signal

register_written = Signal()
"""Sent by `poles demo` once the register and the calls are written, with `seed` and `today`; receivers
return {table: rows written}."""
