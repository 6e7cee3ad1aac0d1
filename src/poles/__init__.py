"""poles: information system and observatory for competitiveness-cluster programmes."""

__version__ = "0.1.0"
