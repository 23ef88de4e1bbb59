"""Shared fixtures: small and generic on purpose (other test modules add their own)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A DuckDB file path in a fresh temporary directory (the file does not exist yet)."""
    return tmp_path / "test.duckdb"


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """Write records (dicts, or raw strings written verbatim) as a .jsonl file in tmp_path."""

    def write(records: Iterable[dict[str, Any] | str], name: str = "corpus.jsonl") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared, or skip: the project's suite must still run without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (seed, gold sets and corpus live there)")
    return SHARED
