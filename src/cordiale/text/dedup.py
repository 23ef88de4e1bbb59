"""Near-duplicate detection for wire copies: MinHash over word 5-shingles with LSH banding.

128 hash functions in 16 bands of 8 rows put two texts in a shared bucket with probability
above 0.9 once their Jaccard similarity passes ~0.8, and rarely below 0.5; candidates are then
confirmed on the estimated Jaccard. Signatures and band buckets are stored, so a story seen in
an earlier run is found again without keeping an index in memory.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(20211124)  # fixed: signatures must be stable across runs
_A = _rng.randint(1, 2**31 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_B = _rng.randint(0, 2**31 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + k]).encode()) for i in range(len(words) - k + 1)}


def signature(text: str) -> list[int]:
    """MinHash signature (NUM_PERM unsigned ints) of the text's word shingles."""
    items = shingles(text)
    if not items:
        return [int(_MAX32)] * NUM_PERM
    x = np.fromiter(items, dtype=np.uint64, count=len(items))
    # (a*x + b) mod p, with a, x < 2^32 so a*x fits in 64 bits
    hashed = ((np.outer(_A, x) + _B[:, None]) % _PRIME) & _MAX32
    return [int(v) for v in hashed.min(axis=1)]


def bands(sig: Sequence[int]) -> list[tuple[int, int]]:
    """(band index, bucket) pairs: the LSH keys of a signature."""
    out = []
    for b in range(BANDS):
        chunk = ",".join(str(v) for v in sig[b * ROWS:(b + 1) * ROWS]).encode()
        bucket = zlib.crc32(chunk) | (zlib.adler32(chunk) << 32)
        out.append((b, bucket))
    return out


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))
