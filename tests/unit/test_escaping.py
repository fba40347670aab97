"""escaping: the one HTML text escaper and the one script-safe JSON serializer.

Plus every place JSON meets HTML uses them: Altair's notebook output (through
the renderer charts.py registers), the nbconvert template, index.html.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from nbformat import v4

from coalition_workbook.pages import charts, escaping
from coalition_workbook.pages.html_export import export_notebook
from coalition_workbook.pages.landing import render_index
from coalition_workbook.pages.record import render_run_record

#: Breakout shapes: each would leave a <script> element or an attribute value if unescaped.
PAYLOADS = [
    "</script><img src=x onerror=alert(1)>",
    "<!--<script>",
    "</SCRIPT >",
    '" onmouseover="alert(1)',
    "' autofocus onfocus='alert(1)",
    "</style><img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>">',
    "a\u2028b\u2029c",
    "&lt;already&gt; & ampersand",
]
UNSAFE_IN_SCRIPT = re.compile("[<>&\u2028\u2029]")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


class _ScriptText(HTMLParser):
    """The text of each <script> element and any start tag seen, as a browser splits them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


# --- the serializer -----------------------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_json_in_script_keeps_the_value_and_has_no_markup(payload: str) -> None:
    text = escaping.script_safe_json({"note": payload, "ar": "الجيش العراقي"})
    assert not UNSAFE_IN_SCRIPT.search(text)
    assert json.loads(text) == {"note": payload, "ar": "الجيش العراقي"}
    assert "الجيش العراقي" in text, "Arabic should stay readable, not \\u-escaped"
    parser = _ScriptText()
    parser.feed(f"<script>var x = {text};</script><p>after</p>")
    assert parser.scripts == [f"var x = {text};"]
    assert parser.tags == ["script", "p"]


@given(json_values)
def test_script_safe_json_round_trips_and_is_script_safe(value: object) -> None:
    text = escaping.script_safe_json(value)
    assert json.loads(text) == value
    assert not UNSAFE_IN_SCRIPT.search(text)


def test_plain_json_dumps_is_not_script_safe() -> None:
    """The check above can fail: json.dumps leaves </script> as it is."""
    assert UNSAFE_IN_SCRIPT.search(json.dumps({"note": PAYLOADS[0]}))


# --- the text escaper ---------------------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_stays_text_in_content_and_attributes(payload: str) -> None:
    page = (f'<div title="{escaping.escape_html(payload)}" '
            f"data-x='{escaping.escape_html(payload)}'>{escaping.text_html(payload)}"
            f"{escaping.arabic_html(payload)}</div>")
    soup = BeautifulSoup(page, "html.parser")
    div = soup.div
    assert [t.name for t in soup.find_all(True)] == ["div", "span"]
    assert dict(div.attrs) == {"title": payload, "data-x": payload}
    assert div.get_text() == payload * 2


def test_missing_values_are_empty() -> None:
    assert [escaping.escape_html(v) for v in (None, float("nan"), pd.NA)] == ["", "", ""]


def test_display_and_explorer_use_the_one_escaper() -> None:
    from coalition_workbook.pages import display, explorer

    assert display.escape_html is escaping.escape_html
    assert display.text_html is escaping.text_html
    assert display.ar is escaping.arabic_html
    assert explorer.text_html is escaping.text_html


# --- Altair's notebook output ---------------------------------------------------------------

def _chart(label: str) -> alt.Chart:
    data = pd.DataFrame({"label": [label], "value": [1.0]})
    return alt.Chart(data).mark_bar().encode(x="value:Q", y="label:N", tooltip=["label:N"])


def _html_output(chart: alt.TopLevelMixin) -> str:
    bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    return bundle["text/html"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_chart_html_output_is_script_safe(payload: str) -> None:
    out = _html_output(_chart(payload))
    parser = _ScriptText()
    parser.feed(out)
    assert parser.tags == ["style", "div", "script"], "the payload opened an element"
    assert len(parser.scripts) == 1 and not UNSAFE_IN_SCRIPT.search(
        parser.scripts[0].split("})(", 1)[1])
    spec = json.loads(parser.scripts[0].split("})(", 1)[1].rsplit(", {", 1)[0])
    assert spec["datasets"][next(iter(spec["datasets"]))][0]["label"] == payload


def test_renderer_survives_reenabling_altairs_default() -> None:
    alt.renderers.enable("default")
    try:
        assert "\\u003c/script\\u003e" in _html_output(_chart(PAYLOADS[0]))
    finally:
        alt.renderers.enable("workbook")
    assert alt.renderers.active == "workbook"


def test_altairs_own_template_is_unsafe_so_the_renderer_matters() -> None:
    """Proves the test above can fail: the stock template puts </script> in the page."""
    from altair.utils.html import spec_to_html

    out = spec_to_html(_chart(PAYLOADS[0]).to_dict(), mode="vega-lite",
                       vega_version=alt.VEGA_VERSION, vegaembed_version=alt.VEGAEMBED_VERSION,
                       vegalite_version=alt.VEGALITE_VERSION, template="universal",
                       fullhtml=False)
    assert "</script><img" in out
    assert charts.script_safe_renderer is alt.renderers.get()


# --- nbconvert export and index.html ---------------------------------------------------------

def test_exported_widget_json_is_script_safe(tmp_path: Path) -> None:
    evil = {"note": "<!--<script></script><img src=x onerror=alert(1)>"}
    view = {"version_major": 2, "version_minor": 0, "model_id": "m1", **evil}
    nb = v4.new_notebook(cells=[v4.new_code_cell("w", execution_count=1, outputs=[
        v4.new_output("display_data", {"application/vnd.jupyter.widget-view+json": view,
                                       "text/plain": "w"})])])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": {"m1": evil}}}
    nb_path = tmp_path / "w.ipynb"
    nbformat.write(nb, nb_path)
    export_notebook(nb_path, tmp_path / "w.html")
    page = (tmp_path / "w.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("img") is None
    blobs = [json.loads(s.string) for s in soup.find_all("script")
             if s.get("type", "").startswith("application/vnd.jupyter.widget")]
    assert len(blobs) == 2 and blobs[0]["note"] == evil["note"]
    assert page.rstrip().endswith("</html>") and page.count("</html>") == 1


@pytest.mark.parametrize("render", [render_index, render_run_record])
def test_index_and_run_record_escape_every_breakout(tmp_path: Path, render) -> None:
    (tmp_path / "a.html").write_text("x", encoding="utf-8")
    manifest = {"run_id": PAYLOADS[0], "status": PAYLOADS[3],
                "parameters": {p: p for p in PAYLOADS},
                "inputs": {p: {"sha256": p} for p in PAYLOADS},
                "notebooks": {"a": {"status": PAYLOADS[4], "seconds": 1.0}},
                "extra": [PAYLOADS[5], {"k": PAYLOADS[6]}]}
    soup = BeautifulSoup(render(tmp_path, manifest), "html.parser")
    assert not soup.find_all(["script", "img", "iframe"])
    assert not [t for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]
    if render is render_run_record:  # the record shows every field; the index none of these
        text = soup.get_text()
        for p in PAYLOADS:
            assert p in text, p
        assert soup.find("td", class_=PAYLOADS[4].lower()) is not None
