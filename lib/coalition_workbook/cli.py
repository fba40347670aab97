"""The ``workbook`` command. Maps every WorkbookError to one line and an exit code.

Exit codes: 0 ok, 1 a notebook or export failed, 2 bad input (table or
parameter), 3 another run holds the lock.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import WorkbookError


def _atomic_write(path: Path, write: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)  # type: ignore[operator]
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def cmd_validate(args: argparse.Namespace) -> int:
    from .dataset import load_dataset

    ds = load_dataset(args.figures)
    print(f"{ds.figures_path}: {len(ds.figures)} figures, {len(ds.relations)} relations, "
          f"{len(ds.forces)} forces: all checks passed")
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from . import metrics
    from .dataset import load_dataset

    ds = load_dataset(args.figures)
    table = metrics.compute_metrics(ds, bounds=args.bounds)
    if args.out:
        out = Path(args.out)
        _atomic_write(out, lambda tmp: metrics.write_metrics(table, tmp))
        print(f"wrote {out} ({len(table)} metrics)")
    else:
        metrics.write_metrics(table, sys.stdout)  # type: ignore[arg-type]
    return 0


def cmd_screenshots(args: argparse.Namespace) -> int:
    from . import browser, config

    report_dir = Path(args.report_dir) if args.report_dir else config.LATEST_DIR
    failed = 0
    for png, report in browser.screenshot_reports(report_dir):
        failed += not report.ok
        print(f"{png}: {report.summary()}")
    return 1 if failed and args.check else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbook", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check the curated tables and every quote")
    v.add_argument("--figures", help="figures CSV (default data/figures.csv)")
    v.set_defaults(func=cmd_validate)
    m = sub.add_parser("metrics", help="compute derived metrics as CSV")
    m.add_argument("--figures", help="figures CSV (default data/figures.csv)")
    m.add_argument("--bounds", default="as_lower_bound", choices=["as_lower_bound", "exclude"])
    m.add_argument("--out", help="write here (atomically) instead of stdout")
    m.set_defaults(func=cmd_metrics)
    s = sub.add_parser("screenshots", help="open each report offline in Chromium, save PNGs")
    s.add_argument("--report-dir", help="published reports (default reports/latest); PNGs go "
                   "to its screenshots/ folder")
    s.add_argument("--check", action="store_true",
                   help="exit 1 if a report makes a request, logs an error or a chart stays blank")
    s.set_defaults(func=cmd_screenshots)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except WorkbookError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
