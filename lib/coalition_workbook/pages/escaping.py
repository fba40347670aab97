"""The one text escaper and the one script-safe JSON serializer for HTML.

Everything the workbook writes into HTML goes through this module:

* **Text** (table cells, notes, names, quotes, manifest values) goes through
  ``escape_html``: ``& < > " '`` become character references, so curated
  text can neither open an element nor leave an attribute value. ``text_html``
  and ``arabic_html`` add the right-to-left marking around the escaped text.
* **JSON inside HTML** (a chart spec in a ``<script>``, widget state, any
  inline data) goes through ``script_safe_json``: ``<``, ``>``, ``&``, U+2028
  and U+2029 are written as ``\\u`` escapes. The JSON means the same to
  ``JSON.parse`` and to JavaScript, but the HTML parser never sees ``</script>``,
  ``<!--`` or ``<script`` in it, and a JavaScript engine older than ES2019
  never sees a raw line separator inside a string literal.

``json.dumps`` alone is not script-safe; neither is Altair's HTML output
(altair 6.3 writes raw ``json.dumps`` inside ``<script>``), nor nbconvert's
``escape_html_script`` (it only escapes ``/``, so ``<!--<script>`` still puts
the parser in the "double escaped" state and swallows the rest of the page).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pandas as pd

#: Characters JSON may hold raw that HTML or old JavaScript read as syntax.
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SCRIPT_ESCAPES = {c: f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}

#: The one set of script patterns: an Arabic letter (with the presentation forms), a
#: Latin letter, and a run of Arabic text with the digits and punctuation inside it.
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_LETTER = re.compile(r"[A-Za-z]")
_ARABIC_RUN = re.compile(
    r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]"
    r"(?:[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF\u064B-\u065F\s\d.,:«»()\-–/]*"
    r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF»)])?")
_RTL_OPEN = '<{tag} dir="rtl" lang="ar" class="{cls}">'


def escape_html(value: object) -> str:
    """Escape any value as HTML text or a quoted attribute value.

    Missing values (None, NaN, ``pd.NA``) become "".

    Args:
        value: Anything; it is turned into ``str`` first.

    Returns:
        The text with ``& < > " '`` as character references.

    Examples:
        >>> escape_html("<script>alert(1)</script>")
        '&lt;script&gt;alert(1)&lt;/script&gt;'
        >>> escape_html('" onmouseover="x')
        '&quot; onmouseover=&quot;x'
        >>> escape_html(None), escape_html(float("nan"))
        ('', '')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def arabic_html(value: object, tag: str = "span", cls: str = "") -> str:
    """Arabic text, escaped, in an element marked right-to-left.

    Examples:
        >>> arabic_html("أكثر من 10 آلاف")
        '<span dir="rtl" lang="ar" class="ar">أكثر من 10 آلاف</span>'
    """
    opening = _RTL_OPEN.format(tag=escape_html(tag), cls=escape_html(f"ar {cls}".strip()))
    return f"{opening}{escape_html(value)}</{escape_html(tag)}>"


def text_html(value: object) -> str:
    """Escaped text with every Arabic run marked right-to-left.

    Text without Latin letters is wrapped whole; mixed text gets each Arabic
    run wrapped, so English stays left-to-right around it.

    Examples:
        >>> text_html("Dual noun عامين = two years <b>")
        'Dual noun <span dir="rtl" lang="ar" class="ar">عامين</span> = two years &lt;b&gt;'
        >>> text_html("الجيش العراقي")
        '<span dir="rtl" lang="ar" class="ar">الجيش العراقي</span>'
    """
    s = escape_html(value)
    if not _ARABIC_RUN.search(s):
        return s
    opening = _RTL_OPEN.format(tag="span", cls="ar")
    if not LATIN_LETTER.search(s):
        return f"{opening}{s}</span>"
    return _ARABIC_RUN.sub(lambda m: f"{opening}{m.group(0)}</span>", s)


def script_safe_json_text(json_text: str) -> str:
    """Make already-serialized JSON safe to place inside HTML (``<script>`` or attribute).

    The five characters only ever occur inside JSON string literals, where
    their ``\\u`` escape means the same character, so the value is unchanged.

    Examples:
        >>> script_safe_json_text('{"a": "</script><!--&"}')
        '{"a": "\\\\u003c/script\\\\u003e\\\\u003c!--\\\\u0026"}'
    """
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group(0)], json_text)


def script_safe_json(value: Any, **json_kwds: Any) -> str:
    """Serialize ``value`` as JSON that can be placed inside a ``<script>`` element.

    Args:
        value: Anything ``json.dumps`` takes.
        **json_kwds: Passed to ``json.dumps`` (``ensure_ascii`` defaults to
            False: Arabic stays readable and small).

    Returns:
        JSON text with ``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\u`` escapes.

    Examples:
        >>> print(script_safe_json({"note": "</script><img src=x>", "ar": "ناتو"}))
        {"note": "\\u003c/script\\u003e\\u003cimg src=x\\u003e", "ar": "ناتو"}
        >>> import json; json.loads(script_safe_json(["a\\u2028b"])) == ["a\\u2028b"]
        True
    """
    json_kwds.setdefault("ensure_ascii", False)
    return script_safe_json_text(json.dumps(value, **json_kwds))
