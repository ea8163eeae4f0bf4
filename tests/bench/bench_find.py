"""Find in a large body, per kind of query: how fast each of FindQuery's scans goes
through the bytes, in the windows the find bar's engine reads (1 MiB literal, 256 KiB
regex, overlapping by the longest match).

The text: 256 MiB of pretty JSON records in English, French and Russian (so the
non-ASCII letters are common, as in a real body in those languages); the query's word
is on the last line only, so the scan goes through everything. Baselines in the same
run: an ASCII query (one `bytes.find`), and the case-folding regex alone for the same
non-ASCII queries (what every such query cost before the anchored scan). Goal of issue
18: the last occurrence in 1 GiB found in ≤ 2 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import median, table

from explorer.core.text.find_query import FindQuery

MIB = 256
RUNS = 3
LITERAL_WINDOW = 1 << 20
REGEX_WINDOW = 256 << 10
QUERIES = [
    ("ASCII word (baseline)", "NeedleWord"),
    ("French word with é", "CAFÉTÉRIA"),
    ("Russian word", "ЗАПРОС"),
    ("Korean word (no case)", "요청"),
]


def body(size: int) -> bytes:
    records = []
    for i in range(4000):
        records.append(
            f'  {{\n    "id": {i},\n    "name": "Élodie Dupont {i}",\n'
            f'    "note": "le café est prêt, à bientôt {i}",\n'
            f'    "ru": "Привет, мир: пример ответа сервера {i}",\n'
            f'    "ko": "안녕하세요 서버 응답 {i}"\n  }},\n'
        )
    block = "".join(records).encode()
    text = block * (size // len(block))
    tail = '  {"last": "NeedleWord cafétéria ЗАПРОС 요청"}\n'.encode()
    return text + tail


def scan(data: bytes, query: FindQuery, literal: bool) -> tuple[float, int]:
    """Seconds to find every match, window by window as the engine does."""
    window = LITERAL_WINDOW if literal else REGEX_WINDOW
    overlap = max(0, query.longest - 1)
    view = memoryview(data)
    started = time.perf_counter()
    found, pos, size = 0, 0, len(data)
    while pos < size:
        limit = min(size, pos + window)
        chunk = bytes(view[pos : min(size, limit + overlap)])
        end = limit
        for _start, stop in query.matches(chunk, limit - pos):
            found += 1
            end = max(end, pos + stop)
        pos = end
    return time.perf_counter() - started, found


def main() -> None:
    data = body(MIB << 20)
    size_gib = len(data) / 2**30
    rows = []
    for label, text in QUERIES:
        query = FindQuery.compile(text, case_sensitive=False)
        regex_only = FindQuery(query.pattern, query.longest, None, False, ())
        times, found = [], 0
        for _ in range(RUNS):
            seconds, found = scan(data, query, query.literal)
            times.append(seconds)
        fast = median(times)
        kind = "literal" if query.needle else "anchored" if query.anchors else "regex"
        cells = [label, f"`{text}`", kind, str(found)]
        cells += [f"{len(data) / 2**20 / fast:,.0f} MiB/s", f"{fast / size_gib:.2f} s"]
        if query.anchors:
            slow = median([scan(data, regex_only, False)[0] for _ in range(RUNS)])
            cells += [f"{slow / size_gib:.2f} s", f"{slow / fast:.1f}×"]
        else:
            cells += ["—", "—"]
        rows.append(cells)
    print(
        table(
            f"Find, case-insensitive, in {len(data) / 2**20:.0f} MiB of JSON in three "
            f"languages (median of {RUNS}; seconds projected to 1 GiB; goal ≤ 2 s)",
            [
                "query",
                "text",
                "scan",
                "matches",
                "speed",
                "per GiB",
                "regex alone per GiB",
                "speed-up",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
