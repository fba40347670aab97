"""``make bench``: regeneration overhead, no-op rerun, scale and report size, side by side.

Everything is measured in one run on this machine, and reported as ratios
where a ratio is the point; nothing here asserts a wall-clock time.

1. Regeneration: a full ``workbook run --force`` of one edition in a folder of its own
   (validate, execute every notebook with papermill, HTML, exports, publish; no
   screenshots) against the same notebooks' code
   cells executed in one plain Python process. Both are timed as whole
   commands (interpreter start-up included), alternated, median of N.
2. No-op rerun: ``workbook run`` with nothing changed (must skip), then after
   a one-byte change to an input (must run for real).
3. Scale: validation and metrics of synthetic 10 k / 100 k / 1 M row tables
   (``bench/scale.py``).
   Each size also times ``pandas.read_csv`` of the same file, so the largest
   prints ``scale_1m/read_csv ratio: X.XX`` (validate + metrics over merely
   parsing the file). The largest is also checked by ``frictionless validate``
   (schema inferred), the tool a user would reach for, and our validation and
   metrics run once more in a process of their own for their peak memory.
4. Naive peer: the ``papermill`` CLI plus ``jupyter nbconvert --to html`` per
   notebook, one after another, timed once on the same copy.
5. Size: bytes of each published HTML report.

Results go to ``reports/bench.json``; the last line printed is
``regeneration/plain ratio: X.XX``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coalition_workbook.data import config
from coalition_workbook.run.params import NOTEBOOKS

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # bench/ is not a package: imported from its folder

PARTS = ("data", "notebooks", "pyproject.toml")
PLAIN = r"""
import json, sys
from pathlib import Path
import IPython.display  # what the notebooks' display() calls resolve to
for path in sys.argv[1:]:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    scope = {"__name__": "__main__", "display": IPython.display.display}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"])
            src = "\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("%", "!")))
            exec(compile(src, path, "exec"), scope)
"""


def copy_project(dest: Path) -> Path:
    """A private copy of what a run needs, so the bench never touches reports/latest."""
    for part in PARTS:
        src = config.ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def timed(cmd: list[str], root: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "WORKBOOK_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    env.pop("TERM", None)
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done


def workbook(*args: str) -> list[str]:
    return [sys.executable, "-m", "coalition_workbook.cli", *args]


#: One edition (English, the default parameters, no screenshots) in a folder of its own:
#: what the plain-Python and naive commands produce too.
ONE_EDITION = ("--reports", "reports/bench")


def regeneration(root: Path, repeats: int) -> dict[str, object]:
    notebooks = [str(root / "notebooks" / f"{n}.ipynb") for n in NOTEBOOKS]
    plain_cmd = [sys.executable, "-c", PLAIN, *notebooks]
    full, plain = [], []
    timed(workbook("run", "--force", *ONE_EDITION), root)  # warm the file cache, untimed
    for _ in range(repeats):  # alternate so both see the same machine load
        full.append(timed(workbook("run", "--force", *ONE_EDITION), root)[0])
        plain.append(timed(plain_cmd, root)[0])
    f, p = statistics.median(full), statistics.median(plain)
    return {"full_run_s": round(f, 3), "plain_python_s": round(p, 3),
            "ratio": round(f / p, 3), "repeats": repeats,
            "full_runs_s": [round(x, 3) for x in full],
            "plain_runs_s": [round(x, 3) for x in plain]}


NAIVE = r"""
set -e
for nb in "$@"; do
  papermill --log-level WARNING --cwd "$PWD" "notebooks/$nb.ipynb" "naive/$nb.ipynb"
  jupyter nbconvert --log-level WARN --to html "naive/$nb.ipynb"
done
"""


def naive(root: Path) -> float:
    """The way without the workbook: papermill's CLI, then ``jupyter nbconvert --to html``,
    one notebook after another (no validation, no publish; HTML not offline)."""
    (root / "naive").mkdir(exist_ok=True)
    env_bin = str(Path(sys.executable).parent)
    cmd = ["bash", "-c", f'PATH="{env_bin}:$PATH"; {NAIVE}', "naive", *NOTEBOOKS]
    seconds, _ = timed(cmd, root)
    shutil.rmtree(root / "naive")
    return round(seconds, 3)


def noop(root: Path) -> dict[str, object]:
    skipped_s, done = timed(workbook("run", *ONE_EDITION), root)
    skipped = "up to date" in done.stdout + done.stderr
    figures = root / "data" / "figures.csv"
    figures.write_bytes(figures.read_bytes() + b"\n")  # a blank line: same data, new bytes
    changed_s, done2 = timed(workbook("run", *ONE_EDITION), root)
    reran = "published" in done2.stdout + done2.stderr
    return {"noop_s": round(skipped_s, 3), "noop_skipped": skipped,
            "after_change_s": round(changed_s, 3), "after_change_ran": reran}


def sizes(root: Path) -> dict[str, int]:
    latest = root / "reports" / "bench" / "latest"
    return {p.name: p.stat().st_size for p in sorted(latest.glob("*.html"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sizes", type=int, nargs="*", default=list(scale.SIZES))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as tmp:
        root = copy_project(Path(tmp) / "project")
        regen = regeneration(root, args.repeats)
        regen["naive_s"] = naive(root)
        no_op = noop(root)
        html = sizes(root)
    scaled = scale.run_scale(args.sizes)
    result = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "regeneration": regen, "noop": no_op, "scale": scaled, "html_bytes": html}
    out = config.REPORTS_DIR / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"{'measure':<44}{'value':>14}")
    print("-" * 58)
    print(f"{'full workbook run (median s)':<44}{regen['full_run_s']:>14.2f}")
    print(f"{'plain python, same code cells (median s)':<44}{regen['plain_python_s']:>14.2f}")
    print(f"{'naive: papermill CLI + nbconvert html (s)':<44}{regen['naive_s']:>14.2f}")
    print(f"{'naive/full run (times faster)':<44}{regen['naive_s'] / regen['full_run_s']:>14.2f}")
    print(f"{'no-op rerun (s)':<44}{no_op['noop_s']:>14.2f}")
    print(f"{'no-op rerun skipped execution':<44}{no_op['noop_skipped']!s:>14}")
    print(f"{'rerun after an input change ran (s)':<44}{no_op['after_change_s']:>14.2f}")
    for name, size in html.items():
        print(f"{'HTML ' + name + ' (MB)':<44}{size / 1e6:>14.2f}")
    print()
    print(scale.format_table(scaled))
    print(f"results: {out}")
    big = max(scaled, key=lambda r: int(r["rows"]))  # type: ignore[arg-type]
    rows = int(big["rows"])  # type: ignore[call-overload]
    label = "scale_1m" if rows == 1_000_000 else f"scale_{rows}"
    print(f"{label}: frictionless validate {big['frictionless_s']:.2f} s, validation and "
          f"metrics in their own process {big['workbook_process_s']:.2f} s, "
          f"peak memory {big['peak_mb']:.0f} MB")
    print(f"{label}/read_csv ratio: {big['read_csv_ratio']:.2f}")
    print(f"{label} frictionless/workbook ratio: {big['frictionless_ratio']:.2f}")
    print(f"naive/full run ratio: {regen['naive_s'] / regen['full_run_s']:.2f}")
    print(f"regeneration/plain ratio: {regen['ratio']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
