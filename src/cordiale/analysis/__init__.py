"""Relations between countries from events: dyads, alignment, blocs and change points.

This package file stays light (the command line reads ``FREQS`` from it to build its options
without loading NumPy or DuckDB).
"""

FREQS = ("day", "week", "month", "quarter", "year")
