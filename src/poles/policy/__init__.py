"""The state of play of cluster policy (ECCP country factsheet, seed 002): the framework as data, assessments by country or region."""
