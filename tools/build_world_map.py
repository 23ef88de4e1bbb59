#!/usr/bin/env python3
"""Build src/cordiale/report/charts/data/world_110m.json, the country shapes of the world map.

    python tools/build_world_map.py [--cache DIR] [--out PATH] [--offline]

(``make vendor`` runs it.) Two npm packages are fetched as tarballs from the npm registry over
HTTPS — no npm binary is needed — and each tarball is checked against the SHA-512 integrity
pinned below before anything in it is read:

  world-atlas 2.0.2 (ISC)          countries-110m.json: Natural Earth 1:110m Admin 0 country
                                   boundaries (public domain) as TopoJSON, keyed by ISO 3166-1
                                   numeric codes
  i18n-iso-countries 7.14.0 (MIT)  codes.json: ISO 3166-1 alpha-2, alpha-3 and numeric codes,
                                   used only for the numeric -> alpha-3 mapping (facts)

The TopoJSON arcs are decoded (delta-decoded, quantisation undone, reversed arcs flipped),
projected equirectangularly (x = longitude, y = -latitude, in tenths of a degree, cropped to
84°N..60°S as the bloc map is) and written as one SVG path per alpha-3 code in relative
commands, so the file stays small (~100 kB) and the package needs no geometry code at run time.
Kosovo has no ISO numeric code in the atlas and is keyed by its name as XKX; shapes with
neither (Northern Cyprus, Somaliland) are kept under ``unassigned`` so the land is whole.
Antarctica is left out. The generated file is committed: a fresh clone needs no network.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import itertools
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "cordiale" / "report" / "charts" / "data" / "world_110m.json"
DEFAULT_CACHE = ROOT / "build" / "npm"
REGISTRY = "https://registry.npmjs.org"

PACKAGES = {
    "world-atlas": ("2.0.2", "ISC", "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJ"
                    "qgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="),
    "i18n-iso-countries": ("7.14.0", "MIT", "sha512-nXHJZYtNrfsi1UQbyRqm3Gou431elgLjKl//CYlnBGt5a"
                           "TWdRPH1PiS2T/p/n8Q8LnqYqzQJik3Q7mkwvLokeg=="),
}
# shapes the atlas gives without an ISO numeric id: name -> the project's code
BY_NAME = {"Kosovo": "XKX"}
LEFT_OUT = {"ATA"}  # Antarctica: below the map's southern edge
LAT_TOP, LAT_BOTTOM = 84.0, -60.0
UNIT = 10  # path units per degree


def fetch(name: str, cache: Path, offline: bool) -> bytes:
    """The package tarball, from the cache or the registry, checked against its pinned hash."""
    version, _, integrity = PACKAGES[name]
    path = cache / f"{name}-{version}.tgz"
    if path.exists():
        data = path.read_bytes()
    elif offline:
        sys.exit(f"{path} is not cached and --offline was given")
    else:
        url = f"{REGISTRY}/{name}/-/{name}-{version}.tgz"
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != integrity:
        sys.exit(f"{name} {version}: tarball hash {digest[:24]}… is not the pinned "
                 f"{integrity[:24]}…")
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def member(tarball: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        handle = tar.extractfile(f"package/{name}")
        if handle is None:
            raise SystemExit(f"package/{name} is missing from the tarball")
        return handle.read()


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as (lon, lat) points: quantised deltas summed, then scaled and translated."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


Point = tuple[float, float]


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: list[Point]) -> list[list[Point]]:
    """A ring that crosses the antimeridian made continuous, plus its copy shifted by 360°.

    Drawn as given, a jump from +180° to -180° strokes a line across the whole map; made
    continuous, the ring runs past the edge, and the copy on the other side fills in what the
    map's frame clips away.
    """
    out: list[Point] = []
    shift = 0.0
    for lon, lat in points:
        if out and lon + shift - out[-1][0] > 180:
            shift -= 360
        elif out and out[-1][0] - (lon + shift) > 180:
            shift += 360
        out.append((lon + shift, lat))
    rings = [out]
    if max(p[0] for p in out) > 180.5:
        rings.append([(lon - 360, lat) for lon, lat in out])
    if min(p[0] for p in out) < -180.5:
        rings.append([(lon + 360, lat) for lon, lat in out])
    return rings


def ring_path(points: list[Point]) -> str:
    """One closed ring in relative SVG commands, in tenths of a degree, repeats dropped."""
    grid = []
    for lon, lat in points:
        lat = min(max(lat, LAT_BOTTOM), LAT_TOP)
        p = (round(lon * UNIT), round(-lat * UNIT))
        if not grid or grid[-1] != p:
            grid.append(p)
    if len(grid) > 1 and grid[0] == grid[-1]:
        grid.pop()
    if len(grid) < 3:
        return ""
    out = [f"M{grid[0][0]} {grid[0][1]}"]
    steps = [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in itertools.pairwise(grid)]
    out.append("l" + " ".join(steps) + "z")
    return "".join(out).replace(" -", "-")


def build(world_atlas: bytes, iso_codes: bytes) -> dict:
    topology = json.loads(member(world_atlas, "countries-110m.json"))
    alpha3 = {numeric: a3 for _, a3, numeric, *_ in json.loads(member(iso_codes, "codes.json"))}
    arcs = decode_arcs(topology)
    countries: dict[str, str] = {}
    names: dict[str, str] = {}
    unassigned: list[str] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = alpha3.get(geometry.get("id", ""), BY_NAME.get(name, ""))
        if code in LEFT_OUT:
            continue
        polygons = (geometry["arcs"] if geometry["type"] == "MultiPolygon"
                    else [geometry["arcs"]])
        path = "".join(ring_path(part) for polygon in polygons for ring in polygon
                       for part in unwrap(ring_points(ring, arcs)))
        if not path:
            continue
        if code:
            countries[code] = countries.get(code, "") + path
            names[code] = name
        else:
            unassigned.append(path)
    top, bottom = round(-LAT_TOP * UNIT), round(-LAT_BOTTOM * UNIT)
    return {
        "source": ("world-atlas 2.0.2 (ISC, Michael Bostock) countries-110m.json: Natural Earth "
                   "1:110m Admin 0 country boundaries, version 4.1.0 (public domain); ISO 3166-1 "
                   "numeric to alpha-3 from i18n-iso-countries 7.14.0 (MIT) codes.json; built by "
                   "tools/build_world_map.py"),
        "licence": "ISC (world-atlas), MIT (i18n-iso-countries), public domain (Natural Earth)",
        "projection": "equirectangular; x = longitude, y = -latitude, in tenths of a degree",
        "view_box": [-180 * UNIT, top, 360 * UNIT, bottom - top],
        "names": dict(sorted(names.items())),
        "countries": dict(sorted(countries.items())),
        "unassigned": unassigned,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--offline", action="store_true",
                        help="use only cached tarballs; fail if one is missing")
    args = parser.parse_args()
    data = build(fetch("world-atlas", args.cache, args.offline),
                 fetch("i18n-iso-countries", args.cache, args.offline))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(f"{args.out}: {len(data['countries'])} countries, "
          f"{args.out.stat().st_size // 1024} kB", file=sys.stderr)


if __name__ == "__main__":
    main()
