"""Importers of existing data into the store: event datasets (ICEWS, GDELT, cordiale's own JSONL,
see :mod:`.load`) and UN General Assembly votes (:mod:`.unga`).

Each module reads its files, reports every row it cannot use with file, line and reason, and
hands the store column lists to insert in batches. This package file stays light: the CLI
imports the module it needs, so reading votes never loads the event tables.
"""

from __future__ import annotations
