"""Scale benchmark: validation and metrics on synthetic figures tables.

``make_project(folder, rows)`` writes a self-contained data folder (its own
``sources/``, ``figures.csv``, ``forces.csv``, ``relations.csv``) whose figures
quote a synthetic Arabic source, so every row passes every check the real data
passes: schema, quote-in-source at its line, value and qualifier read from the
quote, foreign keys and declared overlaps. ``run_scale(sizes)`` times
``load_dataset`` and ``compute_metrics`` per size and returns one dict per size.

Run ``python bench/scale.py [ROWS ...]`` for a table; nothing here asserts a
wall-clock time.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from coalition_workbook.data import config
from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.figures import metrics

SOURCE = "synthetic_source.txt"
SIZES = (10_000, 100_000, 1_000_000)
DISTINCT_QUOTES = 2_000  # lines in the synthetic source, one quoted figure each
REPEAT = 3  # rounds of the largest size: its ratio is the median round's

# (category, unit, template, multiplier, qualifier, force/kind): {n} is the digits.
_TEMPLATES = (
    ("training", "persons", "{n} ألف منتسب", 1_000, "exact", "force_id"),
    ("training", "persons", "أكثر من {n} آلاف منتسب", 1_000, "at_least", "force_id"),
    ("training", "persons", "و{n} من حرس الحدود", 1, "exact", "force_id"),
    ("aid_vehicles", "vehicles", "{n} مركبة مدرعة", 1, "exact", "kind"),
    ("aid_cash", "usd", "{n} ملايين دولار", 1_000_000, "exact", ""),
    ("aid_weapons", "usd", "تتجاوز {n} ملايين دولار", 1_000_000, "at_least", "force_id"),
    ("airstrikes", "airstrikes", "أكثر من {n} ألف ضربة جوية", 1_000, "at_least", ""),
    ("troops", "soldiers", "{n} آلاف عسكري", 1_000, "exact", ""),
    ("timeline", "years", "لا يتجاوز الـ{n} سنوات", 1, "at_most", ""),
)
_KINDS = ("armored", "non_tactical", "transport")
_AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _quote_pool(seed: int = 7) -> pd.DataFrame:
    """One synthetic quote per source line, with the value and qualifier it states."""
    rng = np.random.default_rng(seed)
    forces = pd.read_csv(config.FORCES_CSV, dtype=str)["force_id"].tolist()
    pool = []
    for i in range(DISTINCT_QUOTES):
        category, unit, template, mult, qualifier, dim = _TEMPLATES[i % len(_TEMPLATES)]
        n = int(rng.integers(2, 999))
        digits = str(n).translate(_AR_DIGITS) if i % 5 == 0 else str(n)  # some Arabic-Indic
        pool.append({
            "quote": template.format(n=digits), "value": n * mult, "unit": unit,
            "qualifier": qualifier, "category": category, "paragraph": i + 1,
            "force_id": forces[i % len(forces)] if dim == "force_id" else "",
            "kind": _KINDS[i % len(_KINDS)] if dim == "kind" else "",
        })
    return pd.DataFrame(pool)


def make_project(folder: Path, rows: int, seed: int = 7) -> Path:
    """Write a synthetic data folder with ``rows`` figures; return its figures.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    pool = _quote_pool(seed)
    lines = [f"قال المتحدث في الفقرة {i + 1} إن التحالف قدم {q} خلال الفترة الماضية."
             for i, q in enumerate(pool["quote"])]
    (folder / "sources" / SOURCE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "sources" / SOURCE.replace(".txt", ".meta.yml")).write_text(
        f"file: {SOURCE}\ntitle_en: Synthetic source for the scale benchmark\n",
        encoding="utf-8")
    shutil.copy(config.FORCES_CSV, folder / "forces.csv")

    pick = np.random.default_rng(seed + 1).integers(0, len(pool), rows)
    fig = pool.iloc[pick].reset_index(drop=True)
    ids = pd.Series(np.arange(rows)).map("fig_{:07d}".format)
    figures = pd.DataFrame({
        "id": ids, "value": fig["value"], "unit": fig["unit"], "qualifier": fig["qualifier"],
        "quote": fig["quote"], "source": SOURCE, "paragraph": fig["paragraph"],
        "category": fig["category"], "actor": "coalition",
        "subject_en": "Synthetic figure " + ids,
        "attributed_to": "Synthetic spokesman", "as_of": "2021", "note": "",
        "force_id": fig["force_id"],
        # One slot per row (metrics' slot rule): two figures in one slot need a relation.
        "kind": (fig["kind"].where(fig["kind"] != "", "batch") + "_" + ids.str[4:]),
    })
    path = folder / "figures.csv"
    figures.to_csv(path, index=False, lineterminator="\n")
    # Kinds are a vocabulary: every kind a row names is a row of the folder's kinds.csv.
    kinds = pd.Series(figures["kind"].unique())
    pd.DataFrame({"kind": kinds, "label_en": kinds, "label_ar": kinds}).to_csv(
        folder / "kinds.csv", index=False, lineterminator="\n")

    # Declared overlaps among the first rows, as the curated data has them.
    rel = []
    for a in range(0, min(rows, 200) - 1, 2):
        if (figures.at[a, "category"] == figures.at[a + 1, "category"]
                and figures.at[a, "unit"] == figures.at[a + 1, "unit"]):
            rel.append({"figure_id": ids[a + 1], "relation": "adds_to",
                        "other_id": ids[a], "note": "synthetic: separate amounts"})
    pd.DataFrame(rel, columns=["figure_id", "relation", "other_id", "note"]).to_csv(
        folder / "relations.csv", index=False, lineterminator="\n")
    return path


def _read_csv_s(figures_path: Path) -> float:
    t = time.perf_counter()
    pd.read_csv(figures_path)
    return time.perf_counter() - t


def measure(figures_path: Path, repeat: int = 1) -> dict[str, object]:
    """Time validation (``load_dataset``) and ``compute_metrics`` on one table against
    ``pandas.read_csv`` of the same file, alternated ``repeat`` times.

    Each round reads the file, then validates and computes; one more read closes the
    last round. The yardstick is the median read and the cost the median round (this
    machine's timings wander by a fifth from one second to the next).
    """
    reads, validates, computes = [_read_csv_s(figures_path)], [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ds = load_dataset(figures_path)
        t1 = time.perf_counter()
        table = metrics.compute_metrics(ds)
        t2 = time.perf_counter()
        validates.append(t1 - t0)
        computes.append(t2 - t1)
        rows = len(ds.figures)
        del ds
        reads.append(_read_csv_s(figures_path))
    median = statistics.median
    total = median([v + c for v, c in zip(validates, computes, strict=True)])
    return {"rows": rows, "validate_s": median(validates), "metrics_s": median(computes),
            "total_s": total, "rows_per_s": rows / total,
            "validate_rows_per_s": rows / median(validates), "metrics": len(table),
            "read_csv_s": median(reads), "read_csv_ratio": total / median(reads),
            "repeat": repeat}


#: Validation and metrics of one table in a fresh process, which prints its peak memory.
_PEAK = ("import resource, sys; from coalition_workbook.data import load_dataset; "
         "from coalition_workbook.figures import metrics; "
         "metrics.compute_metrics(load_dataset(sys.argv[1])); "
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")


def peer(figures_path: Path) -> dict[str, object]:
    """What a user would reach for, beside ours: ``frictionless validate`` of the same
    file (schema inferred, types only), timed; and our validation and metrics in a
    process of their own, timed with their peak memory."""
    tool = Path(sys.executable).with_name("frictionless")
    t = time.perf_counter()
    # (frictionless reads only paths inside its working folder: "path ... is not safe")
    checked = subprocess.run([str(tool), "validate", figures_path.name], capture_output=True,
                             text=True, check=False, cwd=figures_path.parent)
    frictionless_s = time.perf_counter() - t
    t = time.perf_counter()
    ours = subprocess.run([sys.executable, "-c", _PEAK, str(figures_path)], capture_output=True,
                          text=True, check=True)
    ours_s = time.perf_counter() - t
    return {"frictionless_s": frictionless_s, "frictionless_valid": checked.returncode == 0,
            "workbook_process_s": ours_s,
            "peak_mb": int(ours.stdout.split()[-1]) / 1024,  # ru_maxrss is in KiB on Linux
            "frictionless_ratio": frictionless_s / ours_s}


def run_scale(sizes: tuple[int, ...] | list[int] = SIZES, repeat: int = REPEAT
              ) -> list[dict[str, object]]:
    """Generate and measure one synthetic table per size (generation is not timed); the
    largest, whose ratio ``make bench`` reports, ``repeat`` times (``measure``).

    Returns:
        One dict per size: rows, validate_s, metrics_s, total_s, rows_per_s,
        validate_rows_per_s, metrics (count), plus ``linearity``: this size's
        rows/second over the smallest size's (1.0 = perfectly linear).
    """
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="workbook-scale-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"rows_{n}"
            path = make_project(folder, n)
            results.append(measure(path, repeat if n == max(sizes) else 1))
            if n == max(sizes):
                results[-1].update(peer(path))
            shutil.rmtree(folder)
    base = float(results[0]["rows_per_s"]) if results else 1.0
    for r in results:
        r["linearity"] = float(r["rows_per_s"]) / base
    return results


def format_table(results: list[dict[str, object]]) -> str:
    """The results as a fixed-width text table."""
    head = f"{'rows':>10} {'validate s':>11} {'metrics s':>10} {'total s':>8} " \
           f"{'rows/s':>11} {'vs smallest':>12} {'read_csv s':>11} {'/read_csv':>10} {'rounds':>7}"
    out = [head]
    for r in results:
        out.append(f"{r['rows']:>10,} {r['validate_s']:>11.2f} {r['metrics_s']:>10.2f} "
                   f"{r['total_s']:>8.2f} {r['rows_per_s']:>11,.0f} {r['linearity']:>11.2f}x "
                   f"{r['read_csv_s']:>11.2f} {r['read_csv_ratio']:>9.2f}x {r['repeat']:>7}")
    return "\n".join(out) + "\n(times are medians over the rounds, each read_csv beside its round)"


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    print(format_table(run_scale(sizes)))
