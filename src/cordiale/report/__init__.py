"""The dyad report: one self-contained HTML file with inline SVG charts.

``render_report(ReportData(...))`` returns the page; :mod:`.charts` holds the chart functions,
shared with the dashboard and usable on their own (each returns one standalone ``<svg>``).
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
