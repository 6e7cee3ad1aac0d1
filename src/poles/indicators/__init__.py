"""Indicators of the programme: declared once (`definitions`), computed in the database (`engine`)."""
