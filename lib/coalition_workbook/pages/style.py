"""Typography shared by every page the workbook writes: one stylesheet, one font stack.

``templates/workbook.css`` is the stylesheet of every published page (reports,
index, run record, source pages); ``stylesheet()`` returns it with the font
stacks declared first, for a page to carry inline, so each page stays one
file that works offline. Charts name the same fonts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

#: Fonts for Arabic text, most specific first; the last is always present.
ARABIC_FONT_STACK = ('"Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Arial", '
                     '"Tahoma", "Segoe UI", sans-serif')

#: Fonts for everything else (charts and the stylesheet's ``--wb-sans``).
SANS_FONT_STACK = ('system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", '
                   '"DejaVu Sans", Arial, sans-serif')

STYLESHEET = Path(__file__).with_name("templates") / "workbook.css"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The shared stylesheet, ready to put inside ``<style>`` (it holds no ``</``)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError(f"{STYLESHEET} must not contain '</' (it goes inside <style>)")
    return (f":root {{ --wb-arabic-fonts: {ARABIC_FONT_STACK}; --wb-sans: {SANS_FONT_STACK}; }}"
            f"\n{css}")
