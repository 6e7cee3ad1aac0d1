"""Dashboards' figures and the annual reports (per cluster, national synthesis) as PDF and XLSX."""
