"""The CAMEO ontology as data: codes, names, Goldstein scores, quad classes and the
CAMEO→PLOVER 2021 crosswalk, read from ``events/data/cameo.csv``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..actors.gazetteer import read_csv_rows
from ..errors import DataFileError

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT")


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None


class Ontology:
    def __init__(self, codes: dict[str, CameoCode]) -> None:
        self.codes = codes

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def get(self, code: str) -> CameoCode:
        """The entry for ``code``, falling back to its parent codes (0571 → 057 → 05)."""
        probe = code
        while probe:
            if probe in self.codes:
                found = self.codes[probe]
                if probe == code:
                    return found
                return CameoCode(code, found.root, found.name, found.goldstein,
                                 found.quad_class, found.plover_type, found.plover_mode)
            probe = probe[:-1] if len(probe) > 2 else ""
        raise KeyError(f"unknown CAMEO code {code!r}")


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    codes: dict[str, CameoCode] = {}
    for row in read_csv_rows("cordiale.events", "cameo.csv"):
        try:
            codes[row["code"]] = CameoCode(
                code=row["code"], root=row["root"], name=row["name"],
                goldstein=float(row["goldstein"]), quad_class=int(row["quad_class"]),
                plover_type=row.get("plover_type") or None,
                plover_mode=row.get("plover_mode") or None,
            )
        except (KeyError, ValueError) as err:
            raise DataFileError(f"events/data/cameo.csv: bad row {row} ({err})") from err
    if not codes:
        raise DataFileError("events/data/cameo.csv is missing or empty")
    return Ontology(codes)
