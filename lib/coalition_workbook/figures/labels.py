"""Words the reports show, in English and Arabic: headings, column labels, qualifiers.

Notebooks take ``lang`` as a parameter; every heading, column label, unit and
qualifier word they show comes from here, so a report in Arabic differs from
one in English only by this table. Quotes are never translated: they stay as
the article printed them.

Numbers are written with Western digits in both languages, as the article
prints them ("49 ألف", "3.322.145 دولارا").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from ..data import schema
from ..data.vocab import LANGS, comma, semicolon

#: Qualifier words put before a figure. ``exact`` has none.
QUALIFIER_WORDS: dict[str, dict[str, str]] = {
    "en": {"exact": "", "at_least": "at least", "at_most": "at most", "approx": "about"},
    "ar": {"exact": "", "at_least": "أكثر من", "at_most": "لا يتجاوز", "approx": "نحو"},
}

#: What a qualifier means, for legends and tooltips.
QUALIFIER_NAMES: dict[str, dict[str, str]] = {
    "en": {"exact": "exact", "at_least": "lower bound (at least)",
           "at_most": "upper bound (at most)", "approx": "approximate"},
    "ar": {"exact": "دقيق", "at_least": "حد أدنى (أكثر من)", "at_most": "حد أعلى (لا يتجاوز)",
           "approx": "تقريبي"},
}

@lru_cache(maxsize=8)
def _rows_by_key(path: Path, mtime_ns: int) -> dict[str, dict[str, str]]:
    table = schema.load_table(path, path.stem)
    key = schema.TABLES[path.stem]["primary_key"][0]
    return {row[key]: row for row in table.to_dict("records")}


def vocabulary_rows(name: str) -> dict[str, dict[str, str]]:
    """Rows of a vocabulary table (``units``, ``categories``, ``kinds``: data/NAME.csv,
    validated by its schema) by key; {} if the project has no such table."""
    path = schema.vocabulary_path(name)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _rows_by_key(path, mtime)


_TEXT: dict[str, dict[str, str]] = {
    "en": {
        # notebook titles and section headings
        "trainees_title": "Iraqi personnel trained by the coalition",
        "trainees_table": "Trainees by force",
        "trainees_chart": "Trainees by force type",
        "trainees_total": "Trainees, all forces",
        "aid_title": "Aid given to Iraq",
        "aid_table": "Aid by category",
        "vehicles_table": "Vehicles by type",
        "vehicles_chart": "Vehicles given, by type",
        "weapons_table": "Weapons and equipment by recipient",
        "weapons_chart": "Weapons and equipment, US$ by recipient",
        "overlaps_table": "Figures counted once",
        "coalition_title": "The coalition: members, troops, airstrikes",
        "coalition_table": "Coalition size, troops and airstrikes",
        "coalition_chart": "Coalition figures as the article states them",
        "conflicts_table": "Figures that disagree",
        "timeline_table": "Timeline",
        "timeline_chart": "Years the article names",
        "summary_title": "Headline figures",
        "notes_title": "Sources of the figures",
        "vehicles_section": "Vehicles",
        "weapons_section": "Weapons and equipment",
        "overlaps_section": "Overlap policy",
        "conflicts_section": "Conflicting figures",
        "timeline_section": "Timeline",
        "bounds_section": "How bounds enter totals",
        # column labels
        "force": "Force",
        "force_ar": "Force (Arabic)",
        "kind": "Type",
        "category": "Category",
        "metric": "Figure",
        "trainees_count": "Trained",
        "vehicles_count": "Vehicles",
        "value_usd": "US$",
        "value": "Value",
        "unit": "Unit",
        "qualifier": "Qualifier",
        "share_pct": "Share of total",
        "quote": "Quote",
        "paragraph": "Paragraph",
        "subject": "What it counts",
        "attributed_to": "Said by",
        "note": "Note",
        "figure": "Figure",
        "relation": "Relation",
        "counted": "Counted",
        "not_counted": "Not counted",
        "year": "Year",
        "as_of": "As of",
        "inputs": "From figures",
        "side_a": "One account",
        "side_b": "Other account",
        "figure_id": "Figure id",
        "why_not_counted": "Why not counted",
        # sentences
        "bounds_as_lower_bound": ("Figures the article gives as a bound (\u201cmore than\u201d) "
                                  "enter totals at their bound; such totals are bounds too."),
        "bounds_exclude": ("Figures the article gives only as a bound (\u201cmore than\u201d) "
                           "are left out of totals; the totals below are exact sums of the rest."),
        "excluded": "Left out of the total: given only as a bound",
        "none_excluded": ("No figure is left out: a figure given only as a bound "
                          "counts at that bound."),
        "none_excluded_here": ("No figure here is given only as a bound, so none is "
                               "left out."),
        "overlap_policy": ("Nothing is counted twice: when two figures describe the same "
                           "thing (one restates, contains or re-measures the other), "
                           "the sum keeps one and drops the other, as listed here."),
        "categories_not_added": ("Vehicles, cash and weapons are never added to each other: "
                                 "the article does not say whether the weapons were bought "
                                 "with the cash."),
        "conflicts_intro": ("The article's figures disagree here; both accounts are shown "
                            "with their quotes and neither is chosen."),
        "paragraph_n": "paragraph {n}",
        "chart_count": "Count",
        "chart_year": "Year",
        "explorer_title": "Figures shown",
        "explorer_empty": "No figure matches the filters.",
        "explorer_pick": "Click a bar or pick a figure to see its quote.",
        "relation_duplicate_of": "restates",
        "relation_part_of": "is part of",
        "relation_measures_same_as": "measures the same in another unit as",
        "relation_conflicts_with": "disagrees with",
        "relation_supersedes": "corrects (supersedes)",
        "relation_adds_to": "adds to",
        "status_counted": "counted",
        "status_disputed": "counted as one account of a disputed figure",
        "status_restates": "restates {other}, counted once",
        "status_other_unit_of": "the same as {other} in another unit",
        "status_superseded_by": "superseded by {other}",
        "status_part_of": "part of {other}",
        "status_excluded": "given only as \u201c{word} \u2026\u201d, so left out of the total",
        "status_excluded_for": "given only as \u201c{word} \u2026\u201d; {other} stands in for it",
        "status_not_summed": "not summed",
        "no_figure": "no figure",
        "disputed": "disputed",
        "other_disputed": "another part is disputed",
        "mixed_dates": "adds figures of different dates: {dates}",
        "range_sep": "–",
        "exact_only": "exact figures only",
        "complete_total": "with every figure, at its bound: {total}",
        "disputed_note": ("Disputed: the accounts below disagree, so this is a range from the "
                          "lowest to the highest, never their sum."),
        "source_of": "source",
        # --- run record: statuses in words (index.html) ---
        "run_status_ok": "ok",
        "run_status_failed": "failed",
        "run_status_skipped": "skipped",
        # --- other figures: categories no report covers (summary) ---
        "other_figures_section": "Figures no other report covers",
        "other_figures_none": "Every curated figure appears in one of the reports above.",
        "other_figures_group": "{article}: figures of {actor} no report shows",
        "mixed_sources": "adds figures from {n} articles",
        "and": " and ",
        "actor_section": "{report} by {actor}",
        "report_trainees_subject": "Iraqi personnel trained",
        "report_aid_subject": "Aid given to Iraq",
        "report_coalition_subject": "Size, troops, airstrikes and timeline",
        "report_summary_subject": "Headline totals",
        "list_sep": ", ",
        # --- pages: findings, page footer, index landing page (branch `pages`) ---
        "finding_trainees": ("{Actor} trained {total} members of Iraqi forces; "
                             "the largest share, {top}, went to the {force}."),
        "finding_trainees_excluded": ("The article gives the Iraqi personnel {actor} "
                                      "trained only as bounds, left out of totals here."),
        "finding_vehicles_excluded": "vehicles given only as a bound (left out here)",
        "finding_cash_excluded": "cash given only as a bound (left out here)",
        "finding_weapons_excluded": "weapons and equipment valued only as a bound (left out here)",
        "finding_troops_excluded": ("the {actor_attr} troops in Iraq are given only as a bound, "
                                    "left out here"),
        "finding_airstrikes_excluded": "its airstrikes are given only as a bound, left out here",
        "finding_trainees_none": ("The article gives no figure for the Iraqi personnel "
                                  "{actor} trained."),
        "finding_aid": "{Actor} gave Iraq {items}.",
        "finding_aid_none": "The article gives no figure for the aid given to Iraq.",
        "finding_vehicles": "{n}",
        "finding_vehicles_none": "an unstated number of vehicles",
        "finding_cash": "{n} in cash",
        "finding_cash_none": "an unstated sum of cash",
        "finding_weapons": "{n} in weapons and equipment",
        "finding_weapons_none": "weapons and equipment of unstated value",
        "finding_size": "{Actor} counts {size}",
        "finding_size_disputed": ("Accounts of {actor_s} size disagree, "
                                  "between {low} and {high}"),
        "finding_size_none": "The article gives no figure for {actor_s} size",
        "finding_troops": "{n} {actor_attr} troops are in Iraq",
        "finding_troops_none": "the number of {actor_attr} troops in Iraq is not stated",
        "finding_airstrikes": "it has carried out {n}",
        "finding_airstrikes_none": "the number of airstrikes is not stated",
        "finding_coalition": "{size}; {troops}; {airstrikes}.",
        "finding_summary": "The headline totals: {items}.",
        "finding_summary_none": "The article gives no figure that adds up to a total.",
        "finding_item": "{label} {amount}",
        "finding_item_sep": "; ",
        "between": "between {low} and {high}",
        "between_bound": "{word} {low} to {high} (the accounts disagree)",
        "footer_source": "Source",
        "footer_params": "Parameters",
        "footer_unknown": "unknown",
        "param_bounds_as_lower_bound": ("bounds: figures given as \u201cmore than\u201d count "
                                        "as their stated value"),
        "param_bounds_exclude": ("bounds: figures given only as \u201cmore than\u201d are left "
                                 "out of totals"),
        "param_lang": "language: English",
        "index_title": "The coalition against ISIS in Iraq: reports from the curated figures",
        "index_headlines": "The numbers at a glance",
        "index_reports": "The reports",
        "index_data": "Data",
        "index_sources": "The article, every figure marked",
        "report_trainees": "People trained per Iraqi force, their shares and the total.",
        "report_aid": "Vehicles, cash and weapons given to Iraq, each figure counted once.",
        "report_coalition": "Coalition size, troops, airstrikes and timeline; conflicting "
                            "figures side by side.",
        "report_summary": "The headline numbers, each with its quote and paragraph.",
        "report_explore": "Filter the figures and read each one's quote.",
        # --- end of the `pages` block ---
    },
    "ar": {
        "trainees_title": "العناصر العراقية التي درّبها التحالف",
        "trainees_table": "المتدربون حسب القوة",
        "trainees_chart": "المتدربون حسب نوع القوة",
        "trainees_total": "المتدربون في جميع القوات",
        "aid_title": "المساعدات المقدمة إلى العراق",
        "aid_table": "المساعدات حسب الفئة",
        "vehicles_table": "المركبات حسب النوع",
        "vehicles_chart": "المركبات المقدمة حسب النوع",
        "weapons_table": "الأسلحة والمعدات حسب الجهة المستفيدة",
        "weapons_chart": "الأسلحة والمعدات بالدولار حسب الجهة المستفيدة",
        "overlaps_table": "أرقام تُحسب مرة واحدة",
        "coalition_title": "التحالف: الأعضاء والقوات والضربات الجوية",
        "coalition_table": "حجم التحالف وقواته وضرباته الجوية",
        "coalition_chart": "أرقام التحالف كما يذكرها المقال",
        "conflicts_table": "الأرقام التي لا تتفق",
        "timeline_table": "التسلسل الزمني",
        "timeline_chart": "الأعوام التي يذكرها المقال",
        "summary_title": "الأرقام الرئيسية",
        "notes_title": "مصادر الأرقام",
        "vehicles_section": "المركبات",
        "weapons_section": "الأسلحة والمعدات",
        "overlaps_section": "سياسة التداخل",
        "conflicts_section": "أرقام متعارضة",
        "timeline_section": "التسلسل الزمني",
        "bounds_section": "كيف تدخل الحدود في المجاميع",
        "force": "القوة",
        "force_ar": "القوة",
        "kind": "النوع",
        "category": "الفئة",
        "metric": "الرقم",
        "trainees_count": "عدد المتدربين",
        "vehicles_count": "عدد المركبات",
        "value_usd": "دولار",
        "value": "القيمة",
        "unit": "الوحدة",
        "qualifier": "الصيغة",
        "share_pct": "النسبة من المجموع",
        "quote": "النص",
        "paragraph": "الفقرة",
        "subject": "ما يعدّه",
        "attributed_to": "المصدر",
        "note": "ملاحظة",
        "figure": "الرقم",
        "relation": "العلاقة",
        "counted": "محسوب",
        "not_counted": "غير محسوب",
        "year": "العام",
        "as_of": "بتاريخ",
        "inputs": "من الأرقام",
        "side_a": "رواية",
        "side_b": "رواية أخرى",
        "figure_id": "معرّف الرقم",
        "why_not_counted": "سبب عدم الحساب",
        "bounds_as_lower_bound": ("الأرقام التي يذكرها المقال كحد أدنى («أكثر من») تدخل "
                                  "المجاميع بقيمة الحد، فتكون المجاميع حدودًا دنيا أيضًا."),
        "bounds_exclude": ("الأرقام التي يذكرها المقال كحد فقط («أكثر من») لا تدخل المجاميع؛ "
                           "المجاميع أدناه مجاميع دقيقة لما تبقى."),
        "excluded": "مستبعد من المجموع لأنه لا يُذكر إلا حدًّا",
        "none_excluded": "لم يُستبعد أي رقم: الرقم الذي لا يُذكر إلا حدًّا يُحسب بقيمة حدّه.",
        "none_excluded_here": "لا يُذكر أي رقم هنا حدًّا فقط، فلم يُستبعد شيء.",
        "overlap_policy": ("لا يُحسب شيء مرتين: إذا وصف رقمان الشيء نفسه (أحدهما يكرر الآخر "
                           "أو يتضمنه أو يقيسه بوحدة أخرى) يُبقي المجموع أحدهما ويُسقط الآخر، "
                           "كما هو مبيّن هنا."),
        "categories_not_added": ("لا تُجمع المركبات والأموال والأسلحة معًا: لا يذكر المقال "
                                 "إن كانت الأسلحة قد اشتُريت من تلك الأموال."),
        "conflicts_intro": ("تتعارض أرقام المقال هنا؛ تُعرض الروايتان بنصيهما دون ترجيح "
                            "إحداهما."),
        "paragraph_n": "الفقرة {n}",
        "chart_count": "العدد",
        "chart_year": "العام",
        "explorer_title": "الأرقام المعروضة",
        "explorer_empty": "لا يوجد رقم يطابق عوامل التصفية.",
        "explorer_pick": "انقر على عمود أو اختر رقمًا لقراءة نصه.",
        "relation_duplicate_of": "يكرر",
        "relation_part_of": "جزء من",
        "relation_measures_same_as": "يقيس الشيء نفسه بوحدة أخرى مثل",
        "relation_conflicts_with": "يتعارض مع",
        "relation_supersedes": "يصحّح (يحلّ محل)",
        "relation_adds_to": "يُضاف إلى",
        "status_counted": "محسوب",
        "status_disputed": "محسوب كإحدى روايتين متعارضتين",
        "status_restates": "يكرر {other}، يُحسب مرة واحدة",
        "status_other_unit_of": "الشيء نفسه مثل {other} بوحدة أخرى",
        "status_superseded_by": "صحّحه {other}",
        "status_part_of": "جزء من {other}",
        "status_excluded": "لا يُذكر إلا بصيغة «{word} …»، فاستُبعد من المجموع",
        "status_excluded_for": "لا يُذكر إلا بصيغة «{word} …»؛ يحل محله {other}",
        "status_not_summed": "لا يُجمع",
        "no_figure": "لا رقم",
        "disputed": "متنازع عليه",
        "other_disputed": "جزء آخر متنازع عليه",
        "mixed_dates": "يجمع أرقامًا من تواريخ مختلفة: {dates}",
        "range_sep": "–",
        "exact_only": "الأرقام الدقيقة فقط",
        "complete_total": "مع كل الأرقام بحدودها: {total}",
        "disputed_note": ("متنازع عليه: الروايات أدناه متعارضة، فهذا نطاق من أدناها إلى "
                          "أعلاها وليس مجموعها."),
        "source_of": "المصدر",
        # --- run record: statuses in words (index.html) ---
        "run_status_ok": "تمّ بنجاح",
        "run_status_failed": "فشل",
        "run_status_skipped": "لم يُشغَّل",
        # --- other figures: categories no report covers (summary) ---
        "other_figures_section": "أرقام لا يتناولها تقرير آخر",
        "other_figures_none": "كل رقم مُدرج في الجداول يظهر في أحد التقارير.",
        "other_figures_group": "{article}: أرقام {actor} التي لا يعرضها أي تقرير",
        "mixed_sources": "يجمع أرقامًا من {n} {articles}",
        "mixed_sources_two": "يجمع أرقامًا من مقالين",
        "and": " و",
        "actor_section": "{report}: {actor}",
        "report_trainees_subject": "العناصر العراقية المدرَّبة",
        "report_aid_subject": "المساعدات المقدمة إلى العراق",
        "report_coalition_subject": "الحجم والقوات والضربات الجوية والتسلسل الزمني",
        "report_summary_subject": "أبرز المجاميع",
        "list_sep": "، ",
        # --- pages: findings, page footer, index landing page (branch `pages`) ---
        "finding_trainees": ("درّب {actor} {total} من عناصر القوات العراقية؛ "
                             "وكانت الحصة الأكبر، {top}، من نصيب {force}."),
        "finding_trainees_f": ("درّبت {actor} {total} من عناصر القوات العراقية؛ "
                               "وكانت الحصة الأكبر، {top}، من نصيب {force}."),
        "finding_trainees_excluded": ("لا يذكر المقال عدد العناصر العراقية التي درّبها {actor} "
                                      "إلا حدًّا أدنى أو أعلى، فاستُبعد من المجاميع هنا."),
        "finding_trainees_excluded_f": ("لا يذكر المقال عدد العناصر العراقية التي درّبتها "
                                        "{actor} إلا حدًّا أدنى أو أعلى، فاستُبعد من المجاميع هنا."),
        "finding_vehicles_excluded": "مركبات لا يُذكر عددها إلا حدًّا (مستبعدة هنا)",
        "finding_cash_excluded": "مبلغًا نقديًا لا يُذكر إلا حدًّا (مستبعدًا هنا)",
        "finding_weapons_excluded": "أسلحة ومعدات لا تُذكر قيمتها إلا حدًّا (مستبعدة هنا)",
        "finding_troops_excluded": "ولم يَرِد عدد جنود {actor} في العراق إلا حدًّا، فاستُبعد هنا",
        "finding_airstrikes_excluded": "ولم يَرِد عدد الضربات الجوية إلا حدًّا، فاستُبعد هنا",
        "finding_trainees_none": "لا يذكر المقال رقمًا لعدد العناصر العراقية التي درّبها {actor}.",
        "finding_trainees_none_f": "لا يذكر المقال رقمًا لعدد العناصر العراقية التي درّبتها {actor}.",
        "finding_aid": "قدّم {actor} إلى العراق {items}.",
        "finding_aid_f": "قدّمت {actor} إلى العراق {items}.",
        "finding_aid_none": "لا يذكر المقال رقمًا للمساعدات المقدمة إلى العراق.",
        "finding_vehicles": "{n}",
        "finding_vehicles_none": "عددًا غير مذكور من المركبات",
        "finding_cash": "{n} نقدًا",
        "finding_cash_none": "مبلغًا نقديًا غير مذكور",
        "finding_weapons": "أسلحة ومعدات بقيمة {n}",
        "finding_weapons_none": "أسلحة ومعدات بقيمة غير مذكورة",
        "finding_size": "يضم {actor} {size}",
        "finding_size_f": "تضم {actor} {size}",
        "finding_size_disputed": "تتعارض الروايات عن حجم {actor}، بين {low} و{high}",
        "finding_size_none": "لا يذكر المقال رقمًا لحجم {actor}",
        "finding_troops": "وينتشر {n} من جنود {actor} في العراق",
        "finding_troops_none": "ولا يُذكر عدد جنود {actor} في العراق",
        "finding_airstrikes": "ونفّذ {n}",
        "finding_airstrikes_f": "ونفّذت {n}",
        "finding_airstrikes_none": "ولا يُذكر عدد الضربات الجوية",
        "finding_coalition": "{size}؛ {troops}؛ {airstrikes}.",
        "finding_summary": "أبرز المجاميع: {items}.",
        "finding_summary_none": "لا يذكر المقال رقمًا يُجمع في مجموع.",
        "finding_item": "{label}: {amount}",
        "finding_item_sep": "؛ ",
        "between": "بين {low} و{high}",
        "between_bound": "{word} {low} إلى {high} (الروايات متعارضة)",
        "footer_source": "المصدر",
        "footer_params": "المعايير",
        "footer_unknown": "غير معروف",
        "param_bounds_as_lower_bound": ("الحدود: الأرقام المذكورة بصيغة «أكثر من» تُحسب "
                                        "بقيمتها المذكورة"),
        "param_bounds_exclude": "الحدود: الأرقام المذكورة بصيغة «أكثر من» فقط تُستبعد من المجاميع",
        "param_lang": "اللغة: العربية",
        "index_title": "التحالف ضد داعش في العراق: تقارير من الأرقام الموثّقة",
        "index_headlines": "الأرقام في لمحة",
        "index_reports": "التقارير",
        "index_data": "البيانات",
        "index_sources": "المقال مع تمييز كل رقم",
        "report_trainees": "العناصر المدرَّبة في كل قوة عراقية، وحصصها، والمجموع.",
        "report_aid": "المركبات والأموال والأسلحة المقدمة إلى العراق، وكل رقم يُحسب مرة واحدة.",
        "report_coalition": "حجم التحالف وقواته وضرباته الجوية وتسلسله الزمني، والأرقام "
                            "المتعارضة جنبًا إلى جنب.",
        "report_summary": "الأرقام الرئيسية، ولكل منها نصه وفقرته.",
        "report_explore": "صفِّ الأرقام واقرأ نص كل منها.",
        # --- end of the `pages` block ---
    },
}

# --- Arabic edition (issue 13): words of the explorer's controls and detail panel and
# --- the nouns the source pages count. Kept in one block so merges stay simple.
_TEXT["en"].update({
    "explorer_forces": "Forces", "explorer_category": "Category", "explorer_bounds": "Bounds",
    "explorer_lang": "Labels", "explorer_filter": "Filter",
    "explorer_filter_hint": "subject or quote contains…", "explorer_figure": "Figure",
    "explorer_all": "all", "explorer_bounds_as_lower_bound": "as_lower_bound",
    "explorer_bounds_exclude": "exclude", "lang_en": "en", "lang_ar": "ar",
    "line_n": "line {n}", "said_by_sentence": "attributed to {who}.", "note_prefix": "Note:",
    "yes": "yes", "no": "no",
})
_TEXT["ar"].update({
    "explorer_forces": "القوات", "explorer_category": "الفئة", "explorer_bounds": "الحدود",
    "explorer_lang": "اللغة", "explorer_filter": "تصفية",
    "explorer_filter_hint": "كلمة في الموضوع أو النص…", "explorer_figure": "الرقم",
    "explorer_all": "الكل", "explorer_bounds_as_lower_bound": "بقيمة الحد",
    "explorer_bounds_exclude": "استبعاد", "lang_en": "الإنجليزية", "lang_ar": "العربية",
    "line_n": "السطر {n}", "said_by_sentence": "المصدر: {who}.", "note_prefix": "ملاحظة:",
    "yes": "نعم", "no": "لا",
})

#: Arabic forms of nouns counted on the source pages: singular, plural (3-10),
#: accusative (11-99) and dual, chosen by ``agree`` as for units.
COUNTED_NOUNS_AR: dict[str, tuple[str, str, str, str]] = {
    "paragraph": ("فقرة", "فقرات", "فقرةً", "فقرتان"),
    "figure": ("رقم موثّق", "أرقام موثّقة", "رقمًا موثّقًا", "رقمان موثّقان"),
    "ignored": ("رقم مستبعد", "أرقام مستبعدة", "رقمًا مستبعدًا", "رقمان مستبعدان"),
    "unaccounted": ("رقم غير موثّق", "أرقام غير موثّقة", "رقمًا غير موثّق", "رقمان غير موثّقين"),
}
# --- end of the Arabic edition block ---

METRICS: dict[str, dict[str, str]] = {
    "en": {"vehicles_total": "Vehicles", "aid_cash_usd": "Cash", "aid_weapons_usd": "Weapons "
           "and equipment", "trainees_total": "Trainees", "airstrikes_total": "Airstrikes",
           "troops_total": "Coalition troops in Iraq",
           "coalition_members": "Coalition members",
           "coalition_countries_joined": "Countries that joined (Joint Operations Command)"},
    "ar": {"vehicles_total": "المركبات", "aid_cash_usd": "الأموال",
           "aid_weapons_usd": "الأسلحة والمعدات", "trainees_total": "المتدربون",
           "airstrikes_total": "الضربات الجوية", "troops_total": "قوات التحالف في العراق",
           "coalition_members": "أعضاء التحالف",
           "coalition_countries_joined": "الدول المنضمة (قيادة العمليات المشتركة)"},
}


#: Curated text columns that have an Arabic twin (optional columns of figures.csv and
#: relations.csv): the English column -> its Arabic column.
ARABIC_COLUMNS: dict[str, str] = {"subject_en": "subject_ar", "attributed_to": "attributed_to_ar",
                                  "note": "note_ar"}

# The article's source pages (``pages.sourceview``; ``page_words("source_", lang)``).
_TEXT["en"].update({
    "source_source_file": 'Source file',
    "source_paragraphs": 'paragraphs',
    "source_legend": 'Legend',
    "source_legend_figure": 'curated figure (hover or focus for details; click to keep them open)',
    "source_legend_ignored": 'number declared ignored',
    "source_legend_unaccounted": 'number not accounted for (in no curated quote, not ignored)',
    "source_ignored_reason": 'ignored: {reason}',
    "source_unaccounted": 'not accounted for: no curated figure quotes this number',
    "source_used_by": 'Used by',
    "source_no_metric": 'no published metric',
    "source_paragraph_link": '¶{n}',
    "source_counts": '{figures} figures, {ignored} ignored, {unaccounted} not accounted for',
})
_TEXT["ar"].update({
    "source_source_file": 'ملف المصدر',
    "source_paragraphs": 'فقرة',
    "source_legend": 'دليل الألوان',
    "source_legend_figure": 'رقم موثّق (مرّر المؤشر أو انتقل إليه لعرض التفاصيل؛ انقر لتثبيتها)',
    "source_legend_ignored": 'رقم مُستبعد عمدًا',
    "source_legend_unaccounted": 'رقم غير موثّق (ليس في أي اقتباس ولا مُستبعد)',
    "source_ignored_reason": 'مُستبعد: {reason}',
    "source_unaccounted": 'غير موثّق: لا يقتبس هذا الرقمَ أيُّ رقم موثّق',
    "source_used_by": 'يستخدمه',
    "source_no_metric": 'لا يدخل في أي مؤشر منشور',
    "source_paragraph_link": '¶{n}',
    "source_counts": '{figures} رقمًا موثّقًا، {ignored} مستبعدًا، {unaccounted} غير موثّق',
})


# The frame of every page (``pages.frame``), the index and the run record (``pages.record``).
_TEXT["en"].update({
    "topbar_home": "The coalition against ISIS in Iraq",
    "as_of_note": "(as of {date})",
    # table captions: what a table holds (its section's heading says what it is about)
    "trainees_caption": "Members of each Iraqi force trained, and their share of the total",
    "aid_caption": "Each kind of aid in its own unit, with the words it comes from",
    "coalition_table_caption": "Each figure with its quote and who said it",
    "timeline_caption": "Years and durations as the article states them",
    "metric_part": "{total}: {part}",
    "share_of_trainees": "Share of trainees",
    "topbar_nav": "Editions and the article",
    "topbar_article": "The article",
    "topbar_articles": "The articles",
    "built_line": "Built {date} from commit {commit}",
    "footer_index": "All reports",
    "footer_run": "How this edition was made",
    "index_intro": ("What the US-led coalition against ISIS did in Iraq, in the figures news "
                    "articles give: every number is checked against the Arabic words it "
                    "comes from, and a number given only as a bound stays one."),
    "index_data_metrics": "The computed figures as a table",
    "index_data_package": "The curated tables with their schema",
    "index_data_claims": "Each figure as a claim with its quote",
    "index_data_format": "({fmt})",
    "run_title": "How this edition was made",
    "run_intro": ("The record of the run that built these pages: when, from which commit "
                  "and data, with which settings. Every value here is read from the "
                  "run's manifest."),
    "run_section_run": "The run",
    "run_section_reports": "Reports",
    "run_section_settings": "Settings",
    "run_section_files": "Published files",
    "run_section_inputs": "Data and templates read",
    "run_section_versions": "Software",
    "run_section_other": "Other entries",
    "run_run_id": "Run identifier",
    "run_status": "Outcome",
    "run_started": "Started (UTC)",
    "run_finished": "Finished (UTC)",
    "run_seconds": "Duration (seconds)",
    "run_commit": "Commit",
    "run_dirty": "Uncommitted changes",
    "run_with_code": "Code shown on the pages",
    "run_fingerprint": "Fingerprint of inputs, code and settings",
    "run_report": "Report",
    "run_report_seconds": "Seconds",
    "run_report_execute": "of which running",
    "run_report_export": "of which rendering",
    "run_param_bounds": "Figures given as a bound",
    "run_param_lang": "Language",
    "run_param_figures_path": "Curated table",
    "run_param_decimals": "Decimals in shares",
    "run_runner_kernel": "Jupyter kernel",
    "run_runner_workers": "Reports run at once",
    "run_runner_cell_timeout_s": "Time limit per cell (seconds)",
    "run_runner_kernel_reused_per_worker": "Kernel reused between reports",
    "run_metrics": "Computed figures",
    "run_metrics_rows": "{rows} rows",
    "run_screenshots": "Screenshots",
    "run_screenshots_n": "{n} pictures of the pages",
    "run_editions": "Other editions",
    "run_file": "File",
    "run_bytes": "Bytes",
    "run_sha256": "Checksum (SHA-256)",
    "run_package": "Package",
    "run_version": "Version",
    "run_yes": "yes",
    "run_no": "no",
    "run_none": "none",
})
_TEXT["ar"].update({
    "topbar_home": "التحالف ضد داعش في العراق",
    "as_of_note": "(حتى {date})",
    "trainees_caption": "عناصر كل قوة عراقية ممن درّبهم التحالف، وحصتها من المجموع",
    "aid_caption": "كل نوع من المساعدات بوحدته، مع الكلمات التي أُخذ منها",
    "coalition_table_caption": "كل رقم مع نصه ومن قاله",
    "timeline_caption": "الأعوام والمدد كما يذكرها المقال",
    "metric_part": "{total}: {part}",
    "share_of_trainees": "حصة المتدربين",
    "topbar_nav": "الطبعات والمقال",
    "topbar_article": "المقال",
    "topbar_articles": "المقالات",
    "built_line": "أُعدّت في {date} من الإيداع {commit}",
    "footer_index": "كل التقارير",
    "footer_run": "كيف أُعدّت هذه الطبعة",
    "index_intro": ("ما فعله التحالف الدولي بقيادة الولايات المتحدة ضد داعش في العراق، "
                    "بالأرقام التي تذكرها المقالات الإخبارية: كل رقم مُطابَق على الكلمات "
                    "العربية التي أُخذ منها، والرقم المذكور حدًّا يبقى حدًّا."),
    "index_data_metrics": "الأرقام المحسوبة في جدول",
    "index_data_package": "الجداول الموثّقة مع وصف بنيتها",
    "index_data_claims": "كل رقم بوصفه ادعاءً مع نصه",
    "index_data_format": "({fmt})",
    "run_title": "كيف أُعدّت هذه الطبعة",
    "run_intro": ("سجل التشغيل الذي أعدّ هذه الصفحات: متى، ومن أي إيداع وأي بيانات، "
                  "وبأي إعدادات. كل قيمة هنا مقروءة من بيان التشغيل نفسه."),
    "run_section_run": "التشغيل",
    "run_section_reports": "التقارير",
    "run_section_settings": "الإعدادات",
    "run_section_files": "الملفات المنشورة",
    "run_section_inputs": "البيانات والقوالب المقروءة",
    "run_section_versions": "البرمجيات",
    "run_section_other": "مدخلات أخرى",
    "run_run_id": "مُعرِّف التشغيل",
    "run_status": "النتيجة",
    "run_started": "البداية (بالتوقيت العالمي)",
    "run_finished": "النهاية (بالتوقيت العالمي)",
    "run_seconds": "المدة (بالثواني)",
    "run_commit": "الإيداع",
    "run_dirty": "تغييرات غير مودَعة",
    "run_with_code": "إظهار الشيفرة في الصفحات",
    "run_fingerprint": "بصمة المدخلات والشيفرة والإعدادات",
    "run_report": "التقرير",
    "run_report_seconds": "الثواني",
    "run_report_execute": "منها للتشغيل",
    "run_report_export": "منها للإخراج",
    "run_param_bounds": "الأرقام المذكورة بحدّ",
    "run_param_lang": "اللغة",
    "run_param_figures_path": "الجدول الموثّق",
    "run_param_decimals": "المنازل العشرية في الحصص",
    "run_runner_kernel": "نواة جوبيتر",
    "run_runner_workers": "التقارير المشغّلة معًا",
    "run_runner_cell_timeout_s": "المهلة لكل خلية (بالثواني)",
    "run_runner_kernel_reused_per_worker": "إعادة استخدام النواة بين التقارير",
    "run_metrics": "الأرقام المحسوبة",
    "run_metrics_rows": "{rows} صفًا",
    "run_screenshots": "لقطات الشاشة",
    "run_screenshots_n": "{n} صورة للصفحات",
    "run_editions": "الطبعات الأخرى",
    "run_file": "الملف",
    "run_bytes": "البايتات",
    "run_sha256": "المجموع الاختباري (SHA-256)",
    "run_package": "الحزمة",
    "run_version": "الإصدار",
    "run_yes": "نعم",
    "run_no": "لا",
    "run_none": "لا شيء",
})

#: Month names for dates a reader reads ("7 December 2026").
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"),
}


def long_date(iso: str, lang: str = "en") -> str:
    """An ISO date (or timestamp) as a reader writes it; the text itself if it is none.

    Examples:
        >>> long_date("2026-12-07T02:19:06Z"), long_date("2026-12-07", "ar")
        ('7 December 2026', '7 ديسمبر 2026')
        >>> long_date("unknown")
        'unknown'
    """
    import datetime as dt

    try:
        day = dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return f"{day.day} {MONTHS[check_lang(lang)][day.month - 1]} {day.year}"


def _cell(row: Mapping[str, object], column: str) -> str:
    value = row.get(column, "")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def localized(row: Mapping[str, object], column: str, lang: str = "en") -> tuple[str, str]:
    """A curated text cell in ``lang`` and the language it is actually in.

    In Arabic the ``_ar`` twin of ``column`` (``ARABIC_COLUMNS``) is shown; a row
    without it falls back to the English cell, reported as ``"en"`` so the view
    can mark it as English instead of passing it off as a translation.

    Examples:
        >>> localized({"note": "A bound.", "note_ar": "حدّ أدنى."}, "note", "ar")
        ('حدّ أدنى.', 'ar')
        >>> localized({"note": "A bound.", "note_ar": ""}, "note", "ar")
        ('A bound.', 'en')
        >>> localized({"note": "A bound.", "note_ar": "حدّ أدنى."}, "note")
        ('A bound.', 'en')
    """
    english = _cell(row, column)
    if check_lang(lang) == "ar":
        arabic = _cell(row, ARABIC_COLUMNS[column])
        if arabic or not english:
            return arabic, "ar"
    return english, "en"


def localized_text(row: Mapping[str, object], column: str, lang: str = "en") -> str:
    """``localized`` without the language: plain text for charts and tooltips."""
    return localized(row, column, lang)[0]


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise ValueError.

    Examples:
        >>> check_lang("ar")
        'ar'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def actor_names(actor: str, lang: str = "en") -> dict[str, str]:
    """How sentences name an actor (a row of actors.csv): ``actor`` mid-sentence,
    ``Actor`` at a sentence's start, and in English ``actor_s`` (possessive: "the
    coalition's") and ``actor_attr`` (before a noun: "coalition troops"); the key itself
    when it has no row.

    Examples:
        >>> actor_names("coalition")["actor_s"], actor_names("coalition")["actor_attr"]
        ("the coalition's", 'coalition')
    """
    row = vocabulary_rows("actors").get(actor, {})
    name = row.get(f"label_{check_lang(lang)}") or actor
    return {"actor": name, "Actor": name[:1].upper() + name[1:],
            "actor_s": name + ("'" if name.endswith("s") else "'s"),
            "actor_attr": name.removeprefix("the ")}


def actor_text(key: str, lang: str, actor: str, **fmt: object) -> str:
    """``text`` of a sentence about ``actor``: its names filled in, and in Arabic the
    feminine form of the sentence (``KEY_f``) for an actor whose verbs agree in the
    feminine (``feminine_ar`` in actors.csv)."""
    feminine = vocabulary_rows("actors").get(actor, {}).get("feminine_ar") == "yes"
    if lang == "ar" and feminine and has_text(f"{key}_f", lang):
        key = f"{key}_f"
    return text(key, lang, **actor_names(actor, lang), **fmt)


def text(key: str, lang: str = "en", **fmt: object) -> str:
    """A heading, label or sentence in ``lang``.

    Examples:
        >>> text("trainees_chart", "en")
        'Trainees by force type'
        >>> text("paragraph_n", "ar", n=12)
        'الفقرة 12'
    """
    s = _TEXT[check_lang(lang)][key]
    return s.format(**fmt) if fmt else s


def has_text(key: str, lang: str = "en") -> bool:
    """Whether ``text(key, lang)`` has words for ``key``."""
    return key in _TEXT[check_lang(lang)]


def page_words(prefix: str, lang: str = "en") -> dict[str, str]:
    """The page words whose keys start with ``prefix``, keyed without it (a template's words).

    Examples:
        >>> page_words("source_", "en")["used_by"]
        'Used by'
    """
    return {k.removeprefix(prefix): v for k, v in _TEXT[check_lang(lang)].items()
            if k.startswith(prefix)}


def _lookup(table: Mapping[str, Mapping[str, str]], key: str, lang: str) -> str:
    return table[check_lang(lang)].get(key, key)


def qualifier_word(qualifier: str, lang: str = "en") -> str:
    """The word put before a figure: ``"at least"`` / ``"أكثر من"``; "" for exact.

    Examples:
        >>> qualifier_word("at_least", "ar")
        'أكثر من'
        >>> qualifier_word("exact")
        ''
    """
    return _lookup(QUALIFIER_WORDS, qualifier, lang)


def qualifier_name(qualifier: str, lang: str = "en") -> str:
    """What a qualifier means, for legends: ``"lower bound (at least)"``."""
    return _lookup(QUALIFIER_NAMES, qualifier, lang)


def _vocab_label(name: str, key: str, lang: str) -> str:
    return vocabulary_rows(name).get(key, {}).get(f"label_{check_lang(lang)}") or key


def unit_label(unit: str, lang: str = "en") -> str:
    """A unit as shown, from data/units.csv: ``usd`` -> ``"US$"`` / ``"دولار"``.

    Examples:
        >>> unit_label("usd"), unit_label("usd", "ar")
        ('US$', 'دولار')
    """
    return _vocab_label("units", unit, lang)


def noun_form(count: float | int | None) -> str:
    """Which form of an Arabic noun a count takes: ``singular``, ``dual``, ``plural`` or
    ``accusative``.

    Arabic agreement follows the last two digits: 3-10 take the plural
    (genitive), 11-99 the singular accusative with tanween ("83 عضوًا"),
    1 and 2 the singular and the dual, and 0, 1 or 2 after hundreds
    (100, 49,000, 1,102) the singular genitive. A fraction or a missing
    count takes the singular.

    Examples:
        >>> [noun_form(n) for n in (1, 2, 5, 83, 100, 3322145, 103, 12.5)]
        ['singular', 'dual', 'plural', 'accusative', 'singular', 'accusative', 'plural', 'singular']
    """
    if count is None or (isinstance(count, float) and (math.isnan(count)
                                                       or not count.is_integer())):
        return "singular"
    n = abs(int(count))
    last = n % 100
    if 3 <= last <= 10:
        return "plural"
    if last >= 11:
        return "accusative"
    if n == 2:
        return "dual"
    return "singular"


def agree(count: float | int | None, singular: str, plural: str = "", accusative: str = "",
          dual: str = "") -> str:
    """The Arabic form a count takes (``noun_form``); a missing form falls back to singular.

    Examples:
        >>> agree(12, *COUNTED_NOUNS_AR["paragraph"]), agree(100, *COUNTED_NOUNS_AR["paragraph"])
        ('فقرةً', 'فقرة')
    """
    forms = {"plural": plural, "accusative": accusative, "dual": dual}
    return forms.get(noun_form(count), "") or singular


def counted_noun(unit: str, count: float | int | None, lang: str = "ar") -> str:
    """The unit's noun as it agrees with ``count``: ``83`` -> ``عضوًا``, ``5`` -> ``أعضاء``.

    The forms are columns of data/units.csv (``plural_ar``, ``accusative_ar``,
    ``dual_ar``), each defaulting to ``label_ar``; English has one label.

    Examples:
        >>> counted_noun("members", 83), counted_noun("members", 7), counted_noun("usd", 47000)
        ('عضوًا', 'أعضاء', 'دولار')
        >>> counted_noun("usd", 12, "en")
        'US$'
    """
    label = unit_label(unit, lang)
    if check_lang(lang) != "ar":
        return label
    row = vocabulary_rows("units").get(unit, {})
    return agree(count, label, row.get("plural_ar", ""), row.get("accusative_ar", ""),
                 row.get("dual_ar", ""))


def unit_format(unit: str, lang: str = "en", count: float | int | None = None) -> str:
    """How a number in ``unit`` is written, ``{n}`` standing for the number.

    ``format_en``/``format_ar`` of data/units.csv, default ``"{n} noun"``, the
    noun agreeing with ``count`` in Arabic (``counted_noun``).

    Examples:
        >>> unit_format("usd"), unit_format("persons", "ar")
        ('US${n}', '{n} منتسب')
        >>> unit_format("usd", "ar", count=12)
        '{n} دولارًا'
    """
    row = vocabulary_rows("units").get(unit, {})
    return row.get(f"format_{check_lang(lang)}") or f"{{n}} {counted_noun(unit, count, lang)}"


def _dual_alone(unit: str, count: float | int | None, lang: str) -> str:
    """An exact two in Arabic, as Arabic writes it: the dual noun without a digit
    ("سنتان", not "2 سنتان"); "" where that does not apply (another language or count, a
    unit with no dual form or with a format of its own).

    Examples:
        >>> _dual_alone("years", 2, "ar"), _dual_alone("years", 3, "ar")
        ('سنتان', '')
    """
    row = vocabulary_rows("units").get(unit, {})
    if check_lang(lang) != "ar" or noun_form(count) != "dual" or row.get("format_ar"):
        return ""
    return row.get("dual_ar", "")


def mixed_dates(row: Mapping[str, object], lang: str = "en") -> str:
    """What a total says when it adds figures of different dates (its ``dates``), or "".

    Examples:
        >>> mixed_dates({"dates": "2018;2021"})
        'adds figures of different dates: 2018, 2021'
        >>> mixed_dates({"dates": ""})
        ''
    """
    dates = [d for d in str(row.get("dates") or "").split(";") if d]
    if not dates:
        return ""
    return text("mixed_dates", lang, dates=comma(lang).join(dates))


def join_items(items: list[str], lang: str = "en") -> str:
    """A list in running text: "A, B and C" / "A، وB، وC".

    Examples:
        >>> join_items(["a", "b", "c"]), join_items(["a", "b"], "ar"), join_items(["a"])
        ('a, b and c', 'a، وb', 'a')
    """
    if lang == "ar":
        return "، و".join(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def mixed_sources(row: Mapping[str, object], lang: str = "en") -> str:
    """What a total says when it adds figures from several articles (its ``sources``).

    Examples:
        >>> mixed_sources({"sources": "a.txt;b.txt"})
        'adds figures from 2 articles'
        >>> mixed_sources({"sources": "a.txt;b.txt;c.txt"}, "ar")
        'يجمع أرقامًا من 3 مقالات'
        >>> mixed_sources({"sources": ""})
        ''
    """
    n = len([s for s in str(row.get("sources") or "").split(";") if s])
    if n < 2:
        return ""
    if lang == "ar":
        return text("mixed_sources_two" if n == 2 else "mixed_sources", lang, n=n,
                    articles="مقالات" if n <= 10 else "مقالًا")
    return text("mixed_sources", lang, n=n)


def context_note(row: Mapping[str, object] | None, lang: str = "en") -> str:
    """What a total says of its inputs beside its label: mixed dates, several articles."""
    if row is None:
        return ""
    return semicolon(lang).join(n for n in (mixed_dates(row, lang), mixed_sources(row, lang))
                                if n)


def kind_label(kind: str, lang: str = "en") -> str:
    """A sub-type (``figures.kind``, e.g. a vehicle type) as shown, from data/kinds.csv.

    A kind with no row there is shown by its key: add a row to name it.

    Examples:
        >>> kind_label("armored"), kind_label("armored", "ar")
        ('Armoured vehicles', 'مركبات مدرعة')
    """
    return _vocab_label("kinds", kind, lang)


def category_label(category: str, lang: str = "en") -> str:
    """A figures ``category`` as shown, from data/categories.csv.

    Examples:
        >>> category_label("training", "ar")
        'التدريب'
    """
    return _vocab_label("categories", category, lang)


def metric_label(metric: str, lang: str = "en") -> str:
    """A published metric's name as a reader reads it, never its identifier.

    A money total in a further currency is its metric's name and the currency
    (``aid_cash_eur``: "Cash (euros)"); a part of a breakdown is its total's name
    and the force or kind (``trainees_army``: "Trainees: Iraqi Army";
    ``trainees_share_army_pct``: "Share of trainees: Iraqi Army").

    Examples:
        >>> metric_label("trainees_share_police_pct"), metric_label("vehicles_armored", "ar")
        ('Share of trainees: Police', 'مركبات مدرعة')
    """
    lang = check_lang(lang)
    if metric in METRICS[lang]:
        return METRICS[lang][metric]
    for base in ("aid_cash", "aid_weapons"):
        unit = metric.removeprefix(f"{base}_")
        if unit != metric and unit in vocabulary_rows("units"):
            return f"{_lookup(METRICS, f'{base}_usd', lang)} ({unit_label(unit, lang)})"
    forces = vocabulary_rows("forces")
    parts = (("trainees_share_", "_pct", "share_of_trainees", forces),
             ("aid_weapons_", "_usd", "aid_weapons_usd", forces),
             ("trainees_", "", "trainees_total", forces),
             ("vehicles_", "", "", vocabulary_rows("kinds")))
    for prefix, suffix, whole, rows in parts:
        key = metric.removeprefix(prefix).removesuffix(suffix) if metric.startswith(prefix) \
            and metric.endswith(suffix) else ""
        if key in rows:
            row = rows[key]
            name = row.get(f"name_{lang}") or row.get(f"label_{lang}") or key
            if not whole:
                return name
            total = text(whole, lang) if whole == "share_of_trainees" \
                else _lookup(METRICS, whole, lang)
            return text("metric_part", lang, total=total, part=name)
    return metric


def force_label(name_en: str, name_ar: str, lang: str = "en") -> str:
    """A force's name in ``lang`` (forces.csv has both)."""
    return name_ar if check_lang(lang) == "ar" else name_en


def format_number(value: float | int | None, *, decimals: int = 0) -> str:
    """A number with thousands separators and ``decimals`` digits; "–" when missing.

    Examples:
        >>> format_number(163000)
        '163,000'
        >>> format_number(12.3456, decimals=1)
        '12.3'
        >>> format_number(float("nan"))
        '–'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):,.{decimals}f}"


def format_figure(value: float | int | None, qualifier: str = "exact", *, lang: str = "en",
                  unit: str | None = None, decimals: int = 0,
                  high: float | int | None = None, why: str = "disputed") -> str:
    """A figure as a reader should say it: qualifier word, number, unit.

    A range (``high``) says why it is one: ``why`` is a text key, "disputed"
    for a figure the accounts disagree on, "other_disputed" for a share that
    is a range only because another part of the total is disputed.

    Examples:
        >>> format_figure(10000, "at_least", unit="persons")
        'at least 10,000 persons'
        >>> format_figure(10000, "at_least", lang="ar")
        'أكثر من 10,000'
        >>> format_figure(3000000, "exact", unit="usd")
        'US$3,000,000'
        >>> format_figure(3000000, "exact", unit="usd", lang="ar")
        '3,000,000 دولار'
        >>> format_figure(12.5, "at_most", unit="pct", decimals=1)
        'at most 12.5%'
        >>> format_figure(29000, "exact", unit="persons", high=29500)
        '29,000–29,500 persons (disputed)'
        >>> format_figure(40.1, "exact", unit="pct", decimals=1, high=41.0, why="other_disputed")
        '40.1–41.0% (another part is disputed)'
        >>> format_figure(3.21, "at_most", decimals=1, high=3.24)
        'at most 3.2'
        >>> format_figure(None, unit="persons")
        'no figure'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text("no_figure", lang)
    number = format_number(value, decimals=decimals)
    # A range that rounds to one number at these decimals is shown as that number
    # ("3.2%", not "3.2–3.2%"): the difference is below what the page can show.
    ranged = high is not None and not (isinstance(high, float) and math.isnan(high)) \
        and format_number(high, decimals=decimals) != number
    if ranged:
        number = f"{number}{text('range_sep', lang)}{format_number(high, decimals=decimals)}"
    if unit and not ranged and qualifier == "exact" and (dual := _dual_alone(unit, value, lang)):
        return dual
    if unit:
        number = unit_format(unit, lang, count=high if ranged else value).replace("{n}", number)
    word = qualifier_word(qualifier, lang)
    out = f"{word} {number}" if word else number
    return f"{out} ({text(why, lang)})" if ranged else out
