"""html_export: offline HTML from an executed notebook; landing and record: the run's
index.html and run.html.

No browser and no kernel: the fixture notebook is stored executed. The browser
checks (charts drawn, tooltips, no requests) are in tests/browser/test_reports.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import nbformat
import pytest
from bs4 import BeautifulSoup

from coalition_workbook.data.errors import ExportError
from coalition_workbook.pages import frame, html_export
from coalition_workbook.pages.html_export import (
    MAX_REPORT_BYTES,
    export_notebook,
    mostly_arabic,
)
from coalition_workbook.pages.landing import write_index
from coalition_workbook.pages.record import write_run_record

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "charts_ar.ipynb"
BUNDLE_END = "window.vegaEmbed="
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("export") / "charts_ar.html"
    export_notebook(FIXTURE, out)
    return out.read_text(encoding="utf-8")


def remote_refs(page: str) -> list[str]:
    """src/href of elements that would load something from another host, plus CSS imports."""
    soup = BeautifulSoup(page, "html.parser")
    refs = []
    for tag in soup.find_all(["script", "link", "img", "iframe", "source", "video", "audio",
                              "embed", "object"]):
        for attr in ("src", "href", "data"):
            value = tag.get(attr)
            if value and REMOTE.match(value):
                refs.append(f"<{tag.name} {attr}={value}>")
    for style in soup.find_all("style"):
        css = style.get_text()
        refs += re.findall(r"@import[^;]*", css)
        refs += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", css)
    return refs


def test_bundle_is_in_the_head_once(exported):
    assert exported.count(BUNDLE_END) == 1
    head = BeautifulSoup(exported, "html.parser").head
    assert [s for s in head.find_all("script") if BUNDLE_END in s.get_text()]


def test_vega_debug_names_the_versions_altair_asks_for(exported):
    m = re.search(r"var VEGA_DEBUG = (\{[^}]*\});", exported)
    assert m, "VEGA_DEBUG missing: Altair's output would load vega from a CDN"
    assert f'"vega_version": "{alt.VEGA_VERSION}"' in m.group(1)
    assert f'"vegalite_version": "{alt.VEGALITE_VERSION}"' in m.group(1)
    assert f'"vegaembed_version": "{alt.VEGAEMBED_VERSION}"' in m.group(1)


def test_nothing_is_loaded_from_another_host(exported):
    assert remote_refs(exported) == []
    for cdn_only in ("require.min.js", "MathJax.js", "mathjax@", "mermaid.esm", "unpkg.com"):
        assert cdn_only not in exported


def test_code_is_hidden_by_default_and_kept_on_request(exported, tmp_path):
    assert "selection_point" not in exported
    with_code = tmp_path / "with_code.html"
    export_notebook(FIXTURE, with_code, include_input=True)
    assert "selection_point" in with_code.read_text(encoding="utf-8")


def test_size_within_target(exported):
    assert len(exported.encode("utf-8")) <= MAX_REPORT_BYTES


def test_arabic_markdown_is_rtl_and_english_is_not(exported):
    soup = BeautifulSoup(exported, "html.parser")
    cells = soup.select("div.jp-RenderedMarkdown")
    arabic = [c for c in cells if "المتدربون" in c.get_text()]
    english = [c for c in cells if "Export fixture" in c.get_text()]
    assert arabic and all(c.get("dir") == "rtl" and c.get("lang") == "ar" for c in arabic)
    assert english and all(c.get("dir") is None for c in english)
    style = "".join(s.get_text() for s in soup.find_all("style"))
    assert "Noto Naskh Arabic" in style and "Tahoma" in style and "Segoe UI" in style
    assert re.search(r"\[dir=rtl\]\s*\{[^}]*direction:\s*rtl", style)


def test_escaped_output_stays_escaped(exported):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in exported
    assert "<script>alert(1)</script>" not in exported


def test_lang_ar_run_makes_the_page_rtl(tmp_path):
    nb = nbformat.read(FIXTURE, as_version=4)
    nb.metadata["papermill"] = {"parameters": {"lang": "ar"}}
    src = tmp_path / "ar.ipynb"
    nbformat.write(nb, src)
    export_notebook(src, tmp_path / "ar.html")
    soup = BeautifulSoup((tmp_path / "ar.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html.get("lang") == "ar"
    assert soup.body.get("dir") == "rtl" and soup.body.get("lang") == "ar"


def test_notebook_without_charts_gets_no_bundle(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# نص فقط")])
    src = tmp_path / "plain.ipynb"
    nbformat.write(nb, src)
    export_notebook(src, tmp_path / "plain.html")
    page = (tmp_path / "plain.html").read_text(encoding="utf-8")
    assert BUNDLE_END not in page and len(page) < 400_000


def test_broken_notebook_raises_export_error_and_keeps_old_html(tmp_path):
    src = tmp_path / "trainees.ipynb"
    src.write_text("{not json", encoding="utf-8")
    out = tmp_path / "trainees.html"
    out.write_text("previous report", encoding="utf-8")
    with pytest.raises(ExportError) as info:
        export_notebook(src, out)
    assert "trainees" in str(info.value)
    assert info.value.file == str(src)
    assert out.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_mostly_arabic_ignores_code_and_links():
    assert mostly_arabic("راجع `data/figures.csv` في [الملف](https://example.org/a/b/c)")
    assert not mostly_arabic("See `data/figures.csv`")
    assert not mostly_arabic("")


EVIL = "<script>alert(1)</script>"


def test_index_lists_reports_and_the_run_record_escapes_manifest_text(tmp_path):
    for name in ("trainees", "aid"):
        (tmp_path / f"{name}.html").write_text("x", encoding="utf-8")
    (tmp_path / "metrics.csv").write_text("x", encoding="utf-8")
    manifest = {
        "run_id": "20261125T041500Z",
        "started": "2026-11-25T04:15:00Z",
        "finished": "2026-11-25T04:16:00Z",
        "commit": "0123abcdef",
        "parameters": {"lang": "ar", "note": EVIL, "title": "التحالف"},
        "inputs": {"data/figures.csv": {"sha256": "ab" * 32}, f"data/{EVIL}.csv": "cd" * 32},
        "notebooks": {"trainees": {"status": "ok", "seconds": 3.25},
                      "aid": {"status": "ok", "seconds": 2.0},
                      EVIL: {"status": EVIL}},
        "versions": {"altair": "6.3.0"},
        "extra": {"comment": EVIL},
    }
    index = write_index(tmp_path, manifest)
    record = write_run_record(tmp_path, manifest)
    assert (index, record) == (tmp_path / "index.html", tmp_path / "run.html")
    for path in (index, record):
        page = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(page, "html.parser")
        assert soup.find("script") is None
        assert "<script>" not in page
        # An Arabic edition (lang=ar) is right-to-left as a whole: every Arabic text
        # inherits dir=rtl and lang=ar from its nearest ancestors that set them.
        arabic = [t for t in soup.find_all(string=re.compile("[\u0600-\u06ff]"))
                  if t.parent.name not in ("title", "style", "code")]  # code: as typed
        assert arabic and all(t.find_parent(dir=True)["dir"] == "rtl"
                              and t.find_parent(lang=True)["lang"] == "ar" for t in arabic)
        assert soup.html["dir"] == "rtl" and soup.title.get_text() == soup.h1.get_text()
        assert remote_refs(page) == []
        links = {a["href"] for a in soup.find_all("a")}
        assert {"index.html", "run.html"} <= links, path.name
    index_soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    assert {"trainees.html", "aid.html", "metrics.csv"} <= {a["href"] for a in
                                                            index_soup.find_all("a")}
    # The index keeps one line about the run: its date and commit, linking run.html.
    assert "0123abc" in index_soup.get_text() and "ab" * 32 not in index_soup.get_text()
    page = record.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "ab" * 32 in page and "0123abcdef" in page and "2026-11-25T04:15:00Z" in page


def test_index_accepts_a_list_of_notebooks(tmp_path):
    (tmp_path / "summary.html").write_text("x", encoding="utf-8")
    write_index(tmp_path, {"notebooks": [{"name": "summary", "status": "ok"}]})
    soup = BeautifulSoup((tmp_path / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in soup.select("ul.wb-reports a")] == ["summary.html"]


def test_vega_bundle_is_kept_on_disk_and_read_back(tmp_path, monkeypatch):
    from coalition_workbook.data import config

    monkeypatch.setattr(config, "ROOT", tmp_path)
    html_export._vega_bundle.cache_clear()
    try:
        js = html_export._vega_bundle("v6.4")
        cached = html_export._bundle_cache_path("v6.4")
        assert cached.parent == tmp_path / "reports" / ".cache"
        assert "vegaEmbed" in cached.read_text(encoding="utf-8")
        assert "</script" not in js.lower()
        cached.write_text("var fromDisk = '</script>';", encoding="utf-8")
        html_export._vega_bundle.cache_clear()
        assert html_export._vega_bundle("v6.4") == "var fromDisk = '<\\/script>';"
    finally:
        html_export._vega_bundle.cache_clear()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_page_keeps_its_own_language_and_no_analyst_notes(tmp_path, lang):
    """Cells tagged for the analyst or for the other language stay in the notebook only."""
    from nbformat import v4

    cells = {"analyst": "ANALYST-NOTE", "lang-en": "ENGLISH-NARRATION",
             "lang-ar": "ARABIC-NARRATION", "": "UNTAGGED-TEXT"}
    nb = v4.new_notebook(cells=[
        v4.new_code_cell(f'lang = "{lang}"', metadata={"tags": ["parameters"]}),
        *(v4.new_markdown_cell(text, metadata={"tags": [tag] if tag else []})
          for tag, text in cells.items())])
    src, out = tmp_path / "nb.ipynb", tmp_path / "nb.html"
    nbformat.write(nb, src)
    export_notebook(src, out, info=frame.page_info({"lang": lang}, commit=None))
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser").get_text()
    shown = {tag for tag, text in cells.items() if text in page}
    assert shown == {"", f"lang-{lang}"}
