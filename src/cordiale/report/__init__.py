"""The dyad report: one self-contained HTML file with inline SVG charts.

``render_report(ReportData(...))`` returns the page; :mod:`.svg` holds the chart functions,
which are also usable on their own (each returns one standalone ``<svg>`` element).
"""

from __future__ import annotations

from .html import (
    AlignmentPeriod,
    Balance,
    BlocCountry,
    ChangePoint,
    DriverEvent,
    DyadPeriod,
    Estimate,
    Provenance,
    QuadPeriod,
    ReportData,
    render_report,
)

__all__ = [
    "AlignmentPeriod",
    "Balance",
    "BlocCountry",
    "ChangePoint",
    "DriverEvent",
    "DyadPeriod",
    "Estimate",
    "Provenance",
    "QuadPeriod",
    "ReportData",
    "render_report",
]
