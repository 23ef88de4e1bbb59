#!/usr/bin/env python3
"""Build src/cordiale/events/data/cameo.csv (maintenance script; run by hand).

    python tools/build_ontology.py [--ref DIR] [--out PATH]

Reads the reference files in ../shared/reference (relative to the repo root):

  cameo_event_codes_icews.json       CAMEO codes, short names, Goldstein scores (the row set)
  cameo_goldstein_pygdelt.json       Goldstein scores as shipped with pygdelt (cross-check only)
  gdelt_LOOKUP-CAMEO.eventcodes.txt  GDELT's CAMEO code list (coverage cross-check only)
  cameo2plover_2021.json             CAMEO -> PLOVER 2021 crosswalk (plover_event, mode, context)
  CAMEO2PLOVER-2021.txt              the same crosswalk as text (cross-check: duplicates, drift)

and writes one row per ICEWS CAMEO code (roots, 3- and 4-digit codes). Only codes, short
names, numeric scores and mappings are taken over; descriptions and usage notes are not.
Nothing here runs at import time of the package; the CSV it writes is the only artefact the
code reads. Cross-check findings are printed to stderr; exit status 1 if a row check fails.

Decisions (edit the blocks below and re-run):
  QUAD           quad class per CAMEO root (GDELT/ICEWS convention)
  ROOT_PLOVER    PLOVER type of a root row where the crosswalk is silent or ambiguous
  APPEALS        02 appeals -> REQUEST, mode/context taken from the parallel 10 demand code
  MODE_FIXES     crosswalk entries corrected (each with the reason)
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REF = ROOT.parent / "shared" / "reference"
DEFAULT_OUT = ROOT / "src" / "cordiale" / "events" / "data" / "cameo.csv"

HEADER = ["code", "root", "name", "goldstein", "quad_class",
          "plover_type", "plover_mode", "plover_context"]

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}

# Quad class by CAMEO root: 1 verbal cooperation, 2 material cooperation,
# 3 verbal conflict, 4 material conflict (GDELT 1.0/2.0 and ICEWS convention).
QUAD = {f"{r:02d}": (1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4) for r in range(1, 21)}

PREAMBLE = "".join(line + "\n" for line in (
    "# Facts from the CAMEO codebook (Schrodt 2012) event codes and Goldstein (1992) scale as"
    " distributed with ICEWS and GDELT, and the CAMEO→PLOVER 2021 crosswalk (Schrodt, PLOVER"
    " manual draft 0.8); compiled for cordiale by tools/build_ontology.py.",
    "# To add or edit a row: change the decision blocks in tools/build_ontology.py and re-run it"
    " (or edit here in the same form); one row per code, code and root as digit strings with"
    " leading zeros, plover_context |-separated.",
    "# quad_class by CAMEO root (GDELT/ICEWS): 01-05 -> 1 verbal coop., 06-08 -> 2 material coop.,",
    "#   09-13 -> 3 verbal conflict, 14-20 -> 4 material conflict. Borderline roots: 01 statements",
    "#   (mostly neutral) count as verbal cooperation by convention; 08 yield as material coop.;",
    "#   09 investigate as verbal conflict; 14 protest and 16 reduce relations as material",
    "#   conflict, following GDELT 1.0/2.0 (some studies place 14 in verbal conflict).",
    "# plover_*: per code from the crosswalk; 01 statements have no PLOVER type (empty);",
    "#   02 appeals (dropped by PLOVER, whose REQUEST covers all requests) are REQUEST with",
    "#   the mode/context of the parallel 10 demand code.",
))

# Root rows whose PLOVER type the crosswalk leaves out or states ambiguously. The text
# crosswalk heads root 08 twice (CONCEDE for 080-083, RETREAT for 084-087) and the JSON
# keeps the last; the root row follows its "not specified" code 080 (CONCEDE).
ROOT_PLOVER = {"08": "CONCEDE"}

# PLOVER has no statement type: CAMEO 01 rows stay empty. The PLOVER manual (CAMEO to
# PLOVER table) marks 01 and 02 as dropped, but REQUEST covers all requests, demands and
# orders, and CAMEO builds 02x (appeal) and 10x (demand) on the same sub-codes (021/101,
# 0211/1011, ...); set APPEALS = False to leave 02 rows empty instead.
APPEALS = True
NO_PLOVER_ROOTS = {"01"}

# Crosswalk entries corrected here; (mode, context) replaces the crosswalk's value.
MODE_FIXES = {
    # 'ease' is no longer a mode (the crosswalk's own note of 2021-09-17 at 0813)
    "085": ("", ["economic"]),
    # 'pro_autocracy' is a PLOVER context, not an ASSAULT mode: moved to context
    "175": ("", ["pro_autocracy", "military"]),
}


def load_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def load_gdelt(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        next(fh)  # header
        for line in fh:
            if line.strip():
                code, _, name = line.rstrip("\n").partition("\t")
                out[code.strip()] = name.strip()
    return out


def parse_crosswalk_txt(path: Path) -> tuple[dict[str, tuple[str, str, list[str]]], list[str]]:
    """code -> (type, mode, contexts) from the text crosswalk; also returns duplicate codes."""
    out: dict[str, tuple[str, str, list[str]]] = {}
    dups: list[str] = []
    pat = re.compile(r"^(\d{2,4})\s*:\s*(.*)$")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            m = pat.match(line.strip())
            if not m:
                continue
            code, rest = m.group(1), m.group(2).split("#", 1)[0]
            parts = [p.strip() for p in rest.split(",")]
            parts += [""] * (3 - len(parts))
            ctx = [c.strip() for c in parts[2].split(";") if c.strip()]
            if code in out:
                dups.append(code)
            out[code] = (parts[0], parts[1], ctx)
    return out, dups


def norm_mode(mode: str | None) -> str:
    return (mode or "").strip()


def norm_context(ctx: list[str] | None) -> list[str]:
    return [c.strip() for c in (ctx or []) if c and c.strip()]


def sentence_case(name: str) -> str:
    name = " ".join(name.split())
    if name.isupper():  # root names are written in capitals in CAMEO
        name = name.lower()
    return name[:1].upper() + name[1:]


def fmt_float(x: float) -> str:
    return repr(float(x))


def plover_for(code: str, cw: dict) -> tuple[str, str, list[str], str]:
    """(type, mode, contexts, how) for one CAMEO code."""
    root = code[:2]
    if root in NO_PLOVER_ROOTS:
        return "", "", [], "none"
    if root == "02" and APPEALS:
        t, m, c, _ = plover_for("10" + code[2:], cw)
        return t, m, c, "appeal"
    if len(code) == 2 and code in ROOT_PLOVER:
        return ROOT_PLOVER[code], "", [], "root-rule"
    if code in cw:
        e = cw[code]
        mode, ctx = norm_mode(e.get("mode")), norm_context(e.get("context"))
        if code in MODE_FIXES:
            mode, ctx = MODE_FIXES[code][0], list(MODE_FIXES[code][1])
        return e["plover_event"].strip(), mode, ctx, "crosswalk"
    for parent in (code[:3], code[:2]):  # nearest parent: 4-digit -> 3-digit -> root
        if parent != code and parent in cw:
            return cw[parent]["plover_event"].strip(), "", [], "parent"
    return "", "", [], "none"


def build(ref: Path) -> tuple[list[list[str]], list[str]]:
    icews = load_json(ref / "cameo_event_codes_icews.json")
    pyg = load_json(ref / "cameo_goldstein_pygdelt.json")
    cw = load_json(ref / "cameo2plover_2021.json")
    cw_txt, cw_dups = parse_crosswalk_txt(ref / "CAMEO2PLOVER-2021.txt")
    gdelt = load_gdelt(ref / "gdelt_LOOKUP-CAMEO.eventcodes.txt")
    notes: list[str] = []

    rows: list[list[str]] = []
    how_count: dict[str, list[str]] = {}
    for code in sorted(icews, key=lambda c: (c[:2], c)):
        e = icews[code]
        root = e["root_code"]
        if root != code[:2]:
            notes.append(f"{code}: root_code {root} differs from its prefix")
        ptype, mode, ctx, how = plover_for(code, cw)
        how_count.setdefault(how, []).append(code)
        rows.append([code, code[:2], sentence_case(e["name"]), fmt_float(e["goldstein"]),
                     str(QUAD[code[:2]]), ptype, mode, "|".join(ctx)])

    # cross-checks
    dis = [c for c in icews if c in pyg and float(pyg[c]["value"]) != float(icews[c]["goldstein"])]
    notes.append(f"Goldstein: {len(dis)} of {len(set(icews) & set(pyg))} shared codes differ "
                 f"between ICEWS and pygdelt (ICEWS kept)")
    notes.append(f"ICEWS codes missing from pygdelt: {sorted(set(icews) - set(pyg))}")
    notes.append(f"pygdelt codes not in ICEWS (not written): {sorted(set(pyg) - set(icews))}")
    notes.append(f"ICEWS codes missing from GDELT list: {sorted(set(icews) - set(gdelt))}")
    notes.append(f"GDELT codes not in ICEWS: {sorted(set(gdelt) - set(icews))}")
    notes.append(f"crosswalk codes not in ICEWS (not written): {sorted(set(cw) - set(icews))}")
    notes.append(f"text crosswalk codes listed twice: {sorted(set(cw_dups))}")
    for code in sorted(set(cw) | set(cw_txt)):
        j = cw.get(code)
        t = cw_txt.get(code)
        if j is None or t is None:
            notes.append(f"crosswalk {code}: only in {'text' if j is None else 'JSON'}")
            continue
        jt = (j["plover_event"].strip(), norm_mode(j.get("mode")), norm_context(j.get("context")))
        if jt != t:
            notes.append(f"crosswalk {code}: JSON {jt} vs text {t}")
    for code in sorted(cw):
        if code in icews and cw[code]["plover_event"].strip() != cw.get(code[:2], {}).get(
                "plover_event", "").strip():
            notes.append(f"crosswalk {code}: {cw[code]['plover_event']} under root "
                         f"{code[:2]} ({cw.get(code[:2], {}).get('plover_event')})")
    for how, codes in sorted(how_count.items()):
        listed = f" {codes}" if how != "crosswalk" else ""
        notes.append(f"plover from {how}: {len(codes)}{listed}")
    return rows, notes


def check(rows: list[list[str]], ref: Path) -> list[str]:
    icews = load_json(ref / "cameo_event_codes_icews.json")
    errs: list[str] = []
    codes = [r[0] for r in rows]
    if len(codes) != len(set(codes)):
        errs.append("duplicate codes")
    for r in range(1, 21):
        if f"{r:02d}" not in codes:
            errs.append(f"root {r:02d} missing")
    for c in sorted(set(icews) - set(codes)):
        errs.append(f"ICEWS code {c} missing")
    for row in rows:
        code, root, name, gold, quad, ptype = row[:6]
        if not re.fullmatch(r"\d{2,4}", code) or root != code[:2]:
            errs.append(f"{code}: bad code/root")
        if not name:
            errs.append(f"{code}: empty name")
        if not -10.0 <= float(gold) <= 10.0:
            errs.append(f"{code}: goldstein {gold} out of range")
        if quad not in {"1", "2", "3", "4"}:
            errs.append(f"{code}: quad_class {quad}")
        if ptype and ptype not in PLOVER_TYPES:
            errs.append(f"{code}: plover_type {ptype}")
    return errs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, default=DEFAULT_REF)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    rows, notes = build(args.ref)
    errs = check(rows, args.ref)
    for n in notes:
        print(n, file=sys.stderr)
    for e in errs:
        print("ERROR:", e, file=sys.stderr)
    if errs:
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(PREAMBLE)
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
