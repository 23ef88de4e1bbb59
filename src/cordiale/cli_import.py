"""placeholder"""

from __future__ import annotations

from .cli import main  # noqa: F401  (commands below register on the main group)
