"""Is every number of every article accounted for: curated as a figure, or ignored with a reason?

A number (as ``draft.scan`` finds it, line by line) is *curated* when a
figure of ``figures.csv`` quotes it at that paragraph, *ignored* when
``ignored.csv`` lists it with a reason, else *not accounted for*. Ignored rows
that match no number any more are reported too (the text changed or the row
is misspelt).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .draft import Accounted, _overlaps, read_accounted, read_source, scan


@dataclass(frozen=True)
class SourceCoverage:
    """Counts for one source, and where the unaccounted numbers are."""

    file: str
    numbers: int = 0
    curated: int = 0
    ignored: int = 0
    unaccounted: list[tuple[int, str]] = field(default_factory=list)
    stale_ignored: list[tuple[int, str]] = field(default_factory=list)

    def summary(self, shown: str | None = None) -> str:
        """``FILE: N numbers, C curated, I ignored, U not accounted for``."""
        return (f"{shown or self.file}: {self.numbers} numbers, {self.curated} curated, "
                f"{self.ignored} ignored, {len(self.unaccounted)} not accounted for")


def source_coverage(path: Path, accounted: Accounted) -> SourceCoverage:
    """Classify every number of one source text."""
    lines = read_source(path)
    counts = {"curated": 0, "ignored": 0}
    unaccounted: list[tuple[int, str]] = []
    matched_ignored: set[tuple[int, str]] = set()
    total = 0
    for paragraph, line in enumerate(lines, start=1):
        for f in scan(line):
            total += 1
            status = accounted.status(path.name, paragraph, line, f)
            if status == "unaccounted":
                unaccounted.append((paragraph, f.text))
            else:
                counts[status] += 1
            if status == "ignored":
                matched_ignored |= {(paragraph, t)
                                    for t in accounted.ignored[(path.name, paragraph)]
                                    if t == f.text
                                    or _overlaps(line, t, f.start, f.end, covers=True)}
    stale = sorted((p, t) for (src, p), texts in accounted.ignored.items() if src == path.name
                   for t in texts if (p, t) not in matched_ignored)
    return SourceCoverage(path.name, total, counts["curated"], counts["ignored"],
                          unaccounted, stale)


def coverage(sources_dir: Path | None = None, figures_csv: Path | None = None,
             ignored_csv: Path | None = None) -> list[SourceCoverage]:
    """Coverage of every ``*.txt`` under ``sources_dir`` (default data/sources), by name."""
    sources_dir = sources_dir or config.SOURCES_DIR
    accounted = read_accounted(figures_csv, ignored_csv)
    return [source_coverage(p, accounted) for p in sorted(sources_dir.glob("*.txt"))]


def report_lines(results: list[SourceCoverage], sources_dir: Path) -> list[str]:
    """What ``workbook coverage`` prints: a summary per source, then each unaccounted number."""
    out = [r.summary(_shown(sources_dir / r.file)) for r in results]
    for r in results:
        shown = _shown(sources_dir / r.file)
        out += [f'{shown}:{p}: "{t}"' for p, t in r.unaccounted]
        out += [f'{shown}:{p}: ignored.csv lists "{t}", which is not a number found there'
                for p, t in r.stale_ignored]
    return out


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)
