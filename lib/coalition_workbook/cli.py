"""The ``workbook`` command: every WorkbookError is one line and an exit code.

Exit codes: 0 ok, 1 a notebook or export failed, 2 bad input (table or
parameter), 3 another run holds the lock, 141 the reader of stdout went away
(e.g. ``workbook metrics | head -1``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .data.errors import WorkbookError
from .data.files import atomic_write


def _atomic_write(path: Path, write: Callable[[str], None]) -> None:
    """Write via a temp file in the same folder, then rename: never a half-written file."""
    if path.is_dir():
        raise WorkbookError("is a folder; give a file name such as metrics.csv", file=str(path))
    if not path.parent.is_dir():
        raise WorkbookError(f"folder {path.parent} does not exist", file=str(path))
    try:
        atomic_write(path, write)
    except OSError as exc:
        raise WorkbookError(f"cannot write: {exc.strerror}", file=str(path)) from exc


def cmd_validate(args: argparse.Namespace) -> int:
    from .data.dataset import load_dataset
    from .pages import display

    ds = load_dataset(args.figures)
    print(f"{ds.figures_path}: {len(ds.figures)} figures, {len(ds.relations)} relations, "
          f"{len(ds.forces)} forces: all checks passed")
    unshown = len(ds.figures) - len(display.shown_figure_ids(ds))
    if unshown:  # a note, not an error: the summary lists them under "Other figures"
        print(f"note: {unshown} figure{'s' if unshown != 1 else ''} in no report's tables; "
              "the summary lists them under its other figures")
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from .data.dataset import load_dataset
    from .figures import metrics

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
    from .data import config
    from .run import browser

    report_dir = Path(args.report_dir) if args.report_dir else config.LATEST_DIR
    failed = 0
    for png, report in browser.screenshot_reports(report_dir):
        failed += not report.ok
        print(f"{png}: {report.summary()}")
    return 1 if failed and args.check else 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from .data import config
    from .run.bundle import TOP, write_bundle

    out = Path(args.out) if args.out else config.REPORTS_DIR / f"{TOP}.zip"
    count = write_bundle(out)
    print(f"wrote {out}: {count} files; unpack it anywhere and open "
          f"{TOP}/latest/index.html")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from .run import editions, runner
    from .run.params import NOTEBOOKS, resolve_parameters

    declared = editions.declared()
    if not (args.param or args.parameters or args.notebook or args.reports
            or args.with_code or args.edition):
        return _run_declared(declared, args, declared)
    params = resolve_parameters(args.param or [], args.parameters)
    notebooks = args.notebook or NOTEBOOKS
    edition = editions.check_ad_hoc(args.reports, params, notebooks, args.with_code, declared)
    if edition is not None and not args.edition:  # a declared edition, named by its folder
        return _run_declared([edition], args, declared)
    links = [runner.Edition(label, href) for label, href in args.edition or []]
    runner.run(params, notebooks=notebooks, reports=args.reports,
               wait=args.wait, with_code=args.with_code, force=args.force,
               screenshots=args.screenshots, editions=links)
    return 0


def _run_declared(chosen: Sequence[Any], args: argparse.Namespace,
                  declared: Sequence[Any] | None = None) -> int:
    """Plain ``workbook run``: every declared edition (or those ``chosen``), each linking
    the others of the ``declared`` set."""
    from .data.errors import BrowserError
    from .run import browser, editions, runner

    declared = declared or chosen
    shots = any(e.screenshots for e in chosen) or args.screenshots
    if shots:
        try:
            browser.chromium_path()
        except BrowserError as exc:  # the reports are still built; said, not silent
            print(f"screenshots skipped: {exc}", file=sys.stderr)
            shots = False
    for edition in chosen:
        links = [runner.Edition(*link) for link in editions.links(edition, declared)]
        runner.run(edition.params(), reports=edition.reports, wait=args.wait,
                   force=args.force, screenshots=shots and (edition.screenshots
                                                            or args.screenshots),
                   editions=links)
    return 0


def cmd_baseline(args: argparse.Namespace) -> int:
    from .run.baseline import refresh_baseline
    from .run.params import NOTEBOOKS

    results = refresh_baseline(args.notebook or NOTEBOOKS)
    for r in results:
        print(f"re-stored notebooks/{r.name}.ipynb ({r.seconds:.1f} s)")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from .data import config, draft

    source = Path(args.source)
    made = draft.draft(source, accounted=draft.read_accounted(
        Path(args.figures) if args.figures else None))
    rows = made.rows
    out = Path(args.out) if args.out else config.DATA_DIR / "drafts" / f"{source.stem}.csv"
    if not args.out:
        out.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(out, lambda tmp: draft.write_rows(Path(tmp), rows))
    guessed = sum(bool(r["unit"]) for r in rows)
    print(f"wrote {out}: {len(rows)} draft rows from {source.name} ({guessed} with a unit "
          "guessed); fill the blank columns, copy the rows into figures.csv, then "
          "`workbook validate`")
    aside = out.with_name(f"{out.stem}.ignored.csv")
    if made.aside:
        _atomic_write(aside, lambda tmp: draft.write_rows(Path(tmp), made.aside,
                                                          draft.IGNORED_COLUMNS))
        print(f"wrote {aside}: {len(made.aside)} numbers that are no count (dates' days, "
              "identifiers, codes), each with its reason; check them and copy the rows into "
              "ignored.csv")
    elif aside.exists():
        aside.unlink()  # an earlier draft's proposals no longer apply
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from .data import config, coverage

    sources_dir = Path(args.sources) if args.sources else config.SOURCES_DIR
    if not sources_dir.is_dir():
        raise WorkbookError("folder not found", file=str(sources_dir))
    results = coverage.coverage(sources_dir, Path(args.figures) if args.figures else None)
    for line in coverage.report_lines(results, sources_dir):
        print(line)
    missing = sum(len(r.unaccounted) for r in results)
    if args.strict and missing:
        print(f"error: {missing} number(s) not accounted for: curate them in figures.csv or "
              "list them in ignored.csv with a reason", file=sys.stderr)
        return 2
    return 0


def _article_parsers(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("draft", help="draft figures rows for every uncurated number of an article",
                       description="List every number of a source text not yet curated (nor in "
                       "ignored.csv) as a figures.csv row: value, qualifier, quote, source and "
                       "paragraph filled, id suggested, unit/category guessed when the counted "
                       "noun is in units.csv. Paragraph = line of the text file.")
    d.add_argument("source", help="the article text, e.g. data/sources/NAME.txt")
    d.add_argument("--out", help="write here (default data/drafts/NAME.csv)")
    d.add_argument("--figures", help="curated figures CSV (default data/figures.csv)")
    d.set_defaults(func=cmd_draft)
    c = sub.add_parser("coverage", help="per source: numbers curated, ignored, not accounted for",
                       description="For each data/sources/*.txt, count its numbers curated in "
                       "figures.csv and ignored in ignored.csv, then list each number not "
                       "accounted for as FILE:LINE: \"TEXT\". Exit 0; with --strict, exit 2 "
                       "when any is not accounted for.")
    c.add_argument("--strict", action="store_true", help="exit 2 if any number is unaccounted")
    c.add_argument("--figures", help="curated figures CSV (default data/figures.csv); its "
                   "ignored.csv is read from beside it")
    c.add_argument("--sources", help="folder of source texts (default data/sources)")
    c.set_defaults(func=cmd_coverage)


def cmd_add_source(args: argparse.Namespace) -> int:
    from .data import intake

    added = intake.add_source(Path(args.article), title_ar=args.title_ar,
                              title_en=args.title_en, published=args.published,
                              publisher=args.publisher, url=args.url, actor=args.actor)
    print("\n".join(added.summary()))
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    from .data import intake

    print("\n".join(intake.accept(Path(args.draft)).summary()))
    return 0


def _intake_parsers(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("add-source", help="copy an article into data/sources/, write its "
                       "sidecar and draft it",
                       description="Copy the article byte-identical to data/sources/NAME.txt, "
                       "write its sidecar NAME.meta.yml (titles, publisher, date, url, sha256, "
                       "lines) and draft it as `workbook draft` does (data/drafts/NAME.csv and "
                       "NAME.ignored.csv). Refuses a different file of that name; the same "
                       "article and options again change nothing.")
    a.add_argument("article", metavar="FILE.txt", help="the article, UTF-8, one paragraph per "
                   "line, headline first; its name is the copy's name")
    a.add_argument("--title-ar", required=True, help="the title in Arabic, as published")
    a.add_argument("--title-en", required=True, help="the title in English (a translation)")
    a.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (or YYYY-MM, "
                   "YYYY)")
    a.add_argument("--publisher", help="the outlet that published the article")
    a.add_argument("--url", help="where the article was published (http:// or https://)")
    a.add_argument("--actor", metavar="KEY", help="put this actor (a key of data/actors.csv) "
                   "in every drafted row's actor column")
    a.set_defaults(func=cmd_add_source)
    c = sub.add_parser("accept", help="merge a reviewed draft into figures.csv and ignored.csv",
                       description="Append the rows of a reviewed draft to data/figures.csv and "
                       "those of its NAME.ignored.csv to data/ignored.csv, after validating the "
                       "merged tables as `workbook validate` does. Each problem is reported as "
                       "DRAFT:ROW:COLUMN; nothing changes unless every row passes (a duplicate "
                       "id, an empty required field or a note still starting with DRAFT: is "
                       "refused).")
    c.add_argument("draft", help="the reviewed draft, e.g. data/drafts/NAME.csv")
    c.set_defaults(func=cmd_accept)


def _run_parser(sub: argparse._SubParsersAction) -> None:
    from .run.params import NOTEBOOKS, SPEC

    spec = "; ".join(f"{p.name} ({p.describe()}, default {p.default!r})" for p in SPEC.values())
    r = sub.add_parser(
        "run", help="execute the notebooks and publish reports/latest/ atomically",
        description="Check parameters and data, execute the report notebooks with papermill, "
        "render HTML, and publish reports/latest/ by an atomic swap. Exit codes: 0 published or "
        "up to date, 1 a notebook or export failed, 2 bad data or parameter, 3 another run "
        f"holds the lock. Parameters: {spec}.")
    r.add_argument("--notebook", action="append", choices=NOTEBOOKS, metavar="NAME",
                   help=f"run only this notebook (repeatable; one of {', '.join(NOTEBOOKS)})")
    r.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a parameter; VALUE is typed like papermill's -p (int, float, "
                   "True/False, else string)")
    r.add_argument("--parameters", metavar="FILE.yaml", help="parameters from a YAML mapping "
                   "(-p wins over it)")
    r.add_argument("--reports", metavar="DIR", help="publish under DIR (its own latest/, runs/, "
                   "history/, failed/ and lock; default reports/), e.g. reports/ar for -p lang ar")
    r.add_argument("--edition", nargs=2, action="append", metavar=("LABEL", "HREF"),
                   help="link index.html to another edition, e.g. العربية ../ar/latest/index.html "
                   "(repeatable)")
    r.add_argument("--screenshots", action="store_true", help="screenshot each page in the "
                   "system Chromium before publishing and list the PNGs in manifest.json")
    r.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another run's lock (default 0: refuse at once)")
    r.add_argument("--with-code", action="store_true", help="keep code cells in the HTML")
    r.add_argument("--force", action="store_true",
                   help="run even if the published report is up to date")
    r.set_defaults(func=cmd_run)
    b = sub.add_parser("baseline", help="re-execute the notebooks in place with their defaults "
                       "(the nbval baseline)",
                       description="Re-execute the notebooks with their default parameters "
                                   "and store their outputs in place, scrubbed of run noise: "
                                   "the baseline `make test` compares with (nbval).")
    b.add_argument("--notebook", action="append", choices=NOTEBOOKS, metavar="NAME",
                   help=f"only this notebook (repeatable); one of {', '.join(NOTEBOOKS)}")
    b.set_defaults(func=cmd_baseline)


DESCRIPTION = """Curated figures from Arabic news articles on the anti-ISIS coalition in Iraq:
check them against their quotes, add articles, and publish offline reports."""
EPILOG = """exit codes: 0 done (or up to date), 1 a notebook or export failed, 2 bad input
(a table, a parameter or an option), 3 another run holds the lock, 141 the reader of
the output went away. Read more: README.md ("Two commands", "Adding an article") and
docs/scheduling.md."""


def _version() -> str:
    """The package's version and the commit of the checkout it runs from."""
    from importlib import metadata

    from .data import config
    from .run.fingerprint import git_commit

    try:
        version = metadata.version("coalition-workbook")
    except metadata.PackageNotFoundError:
        version = "unknown"
    commit = git_commit(config.ROOT).get("commit")
    return f"workbook {version} (commit {commit[:7] if commit else 'unknown'})"


class _Version(argparse.Action):
    """``--version``: looked up only when asked (it calls git)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object
                 ) -> None:
        print(_version())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbook", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action=_Version, nargs=0,
                   help="print the package version and commit, then exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    v = sub.add_parser("validate", help="check the curated tables and every quote",
                       description="Check every curated table against its schema and every "
                                   "quote against its article; print every problem as "
                                   "file:row:column and exit 2, or a summary and exit 0.")
    v.add_argument("--figures", help="figures CSV (default data/figures.csv)")
    v.set_defaults(func=cmd_validate)
    m = sub.add_parser("metrics", help="compute derived metrics as CSV",
                       description="Validate, then write every derived metric (metrics.csv "
                                   "columns) to stdout or --out.")
    m.add_argument("--figures", help="figures CSV (default data/figures.csv)")
    m.add_argument("--bounds", default="as_lower_bound", choices=["as_lower_bound", "exclude"],
                   help="how figures given as a bound enter totals: at their bound "
                        "(as_lower_bound, the default) or left out (exclude)")
    m.add_argument("--out", help="write here (atomically) instead of stdout")
    m.set_defaults(func=cmd_metrics)
    s = sub.add_parser("screenshots", help="open each report offline in Chromium, save PNGs",
                       description="Open each published page offline in Debian's Chromium "
                                   "and save a PNG of it (make report takes them inside "
                                   "each run).")
    s.add_argument("--report-dir", help="published reports (default reports/latest); PNGs go "
                   "to its screenshots/ folder")
    s.add_argument("--check", action="store_true",
                   help="exit 1 if a report makes a request, logs an error or a chart stays blank")
    s.set_defaults(func=cmd_screenshots)
    _run_parser(sub)
    z = sub.add_parser("bundle", help="write one zip of the published editions to share",
                       description="Write one zip holding every declared edition's pages, "
                                   "source pages, data package and run records, so that all "
                                   "links between them work wherever it is unpacked.")
    z.add_argument("--out", metavar="FILE.zip",
                   help="where to write the zip (default reports/coalition-workbook.zip)")
    z.set_defaults(func=cmd_bundle)
    _article_parsers(sub)
    _intake_parsers(sub)
    return p


#: 128 + SIGPIPE: what a shell shows for a Unix tool whose reader went away.
EXIT_READER_GONE = 141


class _ReaderGuard:
    """A stdout/stderr whose reader may go away: output is then dropped, not raised.

    Python ignores SIGPIPE, so a write to a closed pipe raises BrokenPipeError
    wherever it happens (deep in pandas' ``to_csv``, in a progress line, or at
    exit when the buffer is flushed). The first such error points the file
    descriptor at ``/dev/null`` (as the Python docs advise, so the final flush
    cannot fail either) and sets ``gone``; the command carries on to its end,
    so a run still publishes or fails cleanly instead of stopping halfway.
    Restoring SIGPIPE's default instead would kill the process mid-publish,
    and through any socket write (kernels talk over ZeroMQ).
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.gone = False

    def _went_away(self) -> None:
        self.gone = True
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self.stream.fileno())
            finally:
                os.close(devnull)

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self.stream.write(text)
            except BrokenPipeError:
                self._went_away()
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._went_away()

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, buffer...
        return getattr(self.stream, name)


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error (argparse printed it)
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        return int(args.func(args))
    except WorkbookError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; returns its exit code.

    When the reader of stdout goes away (``workbook metrics | head -1``), the
    rest of the output is dropped without a traceback and, if the command
    itself succeeded, the exit code is 141 (128 + SIGPIPE) rather than 0: a
    script with ``set -o pipefail`` sees the output was cut short, exactly as
    for ``seq 1000000 | head -1``; without pipefail the pipeline's status is
    the reader's, so nothing changes interactively. A failing command keeps
    its own code (2 bad input, ...), which says more.
    """
    out, err = _ReaderGuard(sys.stdout), _ReaderGuard(sys.stderr)
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    try:
        code = _run(argv)
        out.flush()
        err.flush()
    finally:
        sys.stdout, sys.stderr = out.stream, err.stream
    return EXIT_READER_GONE if out.gone and code == 0 else code


def entry() -> int:
    """The ``workbook`` command's entry point (``pyproject.toml``): ``main`` with ``sys.argv``."""
    return main()


if __name__ == "__main__":
    sys.exit(entry())
