"""The articles themselves: each ``data/sources/NAME.txt`` and its ``NAME.meta.yml`` sidecar.

A sidecar records where the copy came from (OWID-style): a title in Arabic or
English is required, everything else is optional. Keys are declared once in
``SIDECAR_FIELDS``; an unknown key is an error (a misspelt ``titel_en`` would
otherwise vanish), and every error names ``file:key``.

What "paragraph" counts: the 1-based **line** of the source text file, the
headline being line 1. Reports cite a figure as ``<short title>, ¶<line>``
(``citation``), so a reader can open the text file at that line.

Pandas-free, so the explorer and the reports can call it cheaply.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import config
from .errors import Problem, TableValidationError
from .provenance import paragraphs
from .vocab import comma

#: Sidecar key -> (type, description). ``title_ar`` or ``title_en`` is required.
SIDECAR_FIELDS: dict[str, tuple[type, str]] = {
    "title_ar": (str, "The article's title in Arabic, as published."),
    "title_en": (str, "The title in English (a translation)."),
    "short_title_ar": (str, "Optional short title for citations; default: the first words."),
    "short_title_en": (str, "Optional short title for citations in English."),
    "file": (str, "The text file this sidecar describes (must match its name)."),
    "language": (str, "Language of the text, e.g. ar."),
    "published": (str, "Publication date or year (YYYY, YYYY-MM or YYYY-MM-DD)."),
    "publisher": (str, "Outlet that published the article."),
    "author": (str, "Author, if the article names one."),
    "url": (str, "Where the article was published."),
    "url_main": (str, "Same as url (OWID's name for it)."),
    "copied_from": (str, "Where this copy was taken from."),
    "date_accessed": (str, "When the copy was taken."),
    "licence": (str, "Terms the article is published under."),
    "sha256": (str, "sha256 of the text file; checked when given."),
    "lines": (int, "Number of lines (paragraphs) in the text file; checked when given."),
    "note": (str, "Anything else a reader should know about the copy."),
}
TITLE_KEYS = ("title_ar", "title_en")
#: Words kept from a title when no short title is given.
SHORT_TITLE_WORDS = 3
PARAGRAPH_MEANS = {
    "en": "¶ = paragraph of the article, its headline counted as ¶1",
    "ar": "¶ = رقم الفقرة في المقال، والعنوان هو الفقرة 1",
}


class SourceMetaError(TableValidationError):
    """A source's sidecar is missing, unreadable, or has a bad or missing key."""


@dataclass(frozen=True)
class SourceMeta:
    """One article's sidecar, checked."""

    file: str
    title_ar: str = ""
    title_en: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def title(self, lang: str = "en") -> str:
        """The title in ``lang``, else in the other language."""
        first, other = (self.title_ar, self.title_en) if lang == "ar" else (
            self.title_en, self.title_ar)
        return first or other

    def short_title(self, lang: str = "en") -> str:
        """``short_title_<lang>``, else the title's first words with an ellipsis.

        Examples:
            >>> SourceMeta("a.txt", title_en="Iraq confronts ISIS with US support").short_title()
            'Iraq confronts ISIS…'
            >>> SourceMeta("a.txt", title_ar="عنوان قصير").short_title("en")
            'عنوان قصير'
        """
        explicit = self.extra.get(f"short_title_{lang}")
        if explicit:
            return str(explicit)
        title = self.title(lang)
        if lang == "ar" and not self.title_ar:
            explicit = self.extra.get("short_title_en")
        elif lang == "en" and not self.title_en:
            explicit = self.extra.get("short_title_ar")
        if explicit:
            return str(explicit)
        words = title.split()
        return title if len(words) <= SHORT_TITLE_WORDS else " ".join(
            words[:SHORT_TITLE_WORDS]) + "…"


def sidecar_path(text_path: Path) -> Path:
    """``NAME.txt`` -> ``NAME.meta.yml`` beside it."""
    return text_path.with_name(text_path.stem + ".meta.yml")


def _problem(path: Path, key: str | None, reason: str) -> SourceMetaError:
    return SourceMetaError(problems=[Problem(str(path), None, key, reason)])


def _check(text_path: Path, meta_path: Path, raw: Any) -> tuple[SourceMeta, list[Problem]]:
    name = str(meta_path)
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return SourceMeta(text_path.name), [Problem(
            name, None, None, "expected a YAML mapping of key: value lines")]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        key = str(key)
        if key not in SIDECAR_FIELDS:
            problems.append(Problem(name, None, key, "unknown key; expected only: "
                                    + ", ".join(SIDECAR_FIELDS)))
            continue
        kind = SIDECAR_FIELDS[key][0]
        if isinstance(value, (dt.date, dt.datetime)) and kind is str:
            value = value.isoformat()
        if value is None:
            continue
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(Problem(name, None, key, f'"{value}" is not a whole number'))
            continue
        if kind is str:
            if isinstance(value, (dict, list)):
                problems.append(Problem(name, None, key, "expected text, not a list or mapping"))
                continue
            value = str(value).strip()
        values[key] = value
    if not any(values.get(k) for k in TITLE_KEYS):
        problems.append(Problem(name, None, "title_ar", "a title is required: give title_ar "
                                "or title_en"))
    if "file" in values and values["file"] != text_path.name:
        problems.append(Problem(name, None, "file", f'"{values["file"]}" is not the text it '
                                f"sits beside ({text_path.name})"))
    if text_path.is_file() and ("sha256" in values or "lines" in values):
        raw_text = text_path.read_bytes()
        if "sha256" in values and values["sha256"] != hashlib.sha256(raw_text).hexdigest():
            problems.append(Problem(name, None, "sha256", f"does not match {text_path.name}; "
                                    "the article text must stay byte-identical to its copy"))
        if "lines" in values:
            n = len(paragraphs(raw_text.decode("utf-8-sig", "replace")))
            if values["lines"] != n:
                problems.append(Problem(name, None, "lines",
                                        f"says {values['lines']}, {text_path.name} has {n}"))
    meta = SourceMeta(text_path.name, values.pop("title_ar", ""), values.pop("title_en", ""),
                      values)
    return meta, problems


@lru_cache(maxsize=64)
def _load(text_path: Path, mtime_ns: int, text_mtime_ns: int) -> SourceMeta:
    meta_path = sidecar_path(text_path)
    try:
        raw = yaml.safe_load(meta_path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise _problem(meta_path, None, f"file not found; every source needs a sidecar with "
                       f"title_ar or title_en beside {text_path.name}") from None
    except UnicodeDecodeError:
        raise _problem(meta_path, None, "not UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise _problem(meta_path, None, f"not valid YAML{where}") from None
    meta, problems = _check(text_path, meta_path, raw)
    if problems:
        raise SourceMetaError(problems=problems)
    return meta


def load_meta(source_file: str | Path, sources_dir: Path | None = None) -> SourceMeta:
    """Read and check the sidecar of one source.

    Args:
        source_file: The text's file name (``figures.source``) or a path to it.
        sources_dir: Folder holding it (default ``data/sources``) when a bare name is given.

    Returns:
        The checked sidecar (cached per file version).

    Raises:
        SourceMetaError: Naming ``file:key`` for each problem.
    """
    path = Path(source_file)
    if not path.is_absolute() and len(path.parts) == 1:
        path = (sources_dir or config.SOURCES_DIR) / path
    meta_path = sidecar_path(path)

    def mtime(p: Path) -> int:
        try:
            return p.stat().st_mtime_ns
        except OSError:
            return -1

    return _load(path, mtime(meta_path), mtime(path))


def check_sources(names: list[str] | set[str], sources_dir: Path | None = None) -> list[Problem]:
    """Every problem in the sidecars of ``names`` (sources the figures cite)."""
    problems: list[Problem] = []
    for name in sorted(names):
        if not ((sources_dir or config.SOURCES_DIR) / name).is_file():
            continue  # provenance reports a missing text once per row
        try:
            load_meta(name, sources_dir)
        except SourceMetaError as exc:
            problems.extend(exc.problems)
    return problems


def short_title(source_file: str, lang: str = "en", sources_dir: Path | None = None) -> str:
    """The source's short title in ``lang``; its file name if it has no valid sidecar.

    Validation (``workbook validate``) refuses a missing or bad sidecar; this
    fallback only keeps a report from failing on a table that was not validated.
    """
    try:
        return load_meta(source_file, sources_dir).short_title(lang)
    except SourceMetaError:
        return Path(source_file).name


def citation(source_file: str, paragraph: int, lang: str = "en",
             sources_dir: Path | None = None) -> str:
    """How reports cite a figure: short title and paragraph (line of the text file).

    Examples:
        >>> citation("000_6b99b92fd73bce01.txt", 11)
        'Iraq confronts ISIS…, ¶11'
        >>> citation("000_6b99b92fd73bce01.txt", 11, "ar")
        'العراق يواجه تنظيم…، ¶11'
    """
    return f"{short_title(source_file, lang, sources_dir)}{comma(lang)}¶{int(paragraph)}"
