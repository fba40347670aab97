"""Typography shared by every page the workbook writes."""

#: Fonts for Arabic text, most specific first; the last is always present.
ARABIC_FONT_STACK = ('"Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Arial", '
                     '"Tahoma", "Segoe UI", sans-serif')
