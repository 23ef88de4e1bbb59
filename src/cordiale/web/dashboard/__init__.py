"""The offline dashboard of ``cordiale serve``: server-rendered pages over the shared queries.

Pages (``/``, ``/dyad/{a}/{b}``, ``/blocs``, ``/events``, ``/events/{event_id}``) are HTML
built on the server from :mod:`cordiale.queries`, with charts from the report's chart layer
(:mod:`cordiale.report.charts`) as inline SVG; ``/static/`` holds one stylesheet and one small
hand-written script (token box, review buttons, period slider, map clicks). Nothing is
fetched from a CDN and no JavaScript library is vendored, so the dashboard works with the
network unplugged; see ``docs/design.md``.
"""

from .routes import router

__all__ = ["router"]
