"""Extended (application) properties (``docProps/app.xml``; ECMA-376 Part 1, §22.2 Extended
Properties).

Excel lists there the sheet titles and the named ranges, in groups counted in ``HeadingPairs``
(``Worksheets 3``, ``Named Ranges 2``) whose titles follow one after another in
``TitlesOfParts``. When sheets and names change, those two groups follow them.
"""

from __future__ import annotations

import html
import re

from .xml import esc_text, key

__all__ = ["app_title", "edit_app_properties"]


def app_title(name: str, sheet: str | None) -> str:
    """How Excel lists a defined name in docProps/app.xml: Итого, 'Мой лист'!Print_Area."""
    short = name.removeprefix("_xlnm.")
    if sheet is None:
        return short
    quoted = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{short}"


def _app_title_key(title: str) -> tuple[str, str | None]:
    if "!" not in title:
        return key(title), None
    sheet, name = title.rsplit("!", 1)
    if len(sheet) > 1 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return key(name), key(sheet)


def edit_app_properties(text: str, old_sheets: list[str], new_sheets: list[str],
                        old_names: list[tuple[str, str | None, bool]],
                        new_names: list[tuple[str, str | None, bool]]) -> str | None:
    """docProps/app.xml lists the sheet titles and the named ranges, in
    groups counted in HeadingPairs. Update the sheets group and the named
    ranges group; leave any other group alone. Returns None when nothing
    changes. If the lists cannot be understood they are removed (both
    elements are optional). Names are (name, sheet of a local name, hidden)."""
    hp = re.search(r"<([\w.-]+:)?HeadingPairs\b[^>]*>(.*?)</\1?HeadingPairs\s*>", text, re.DOTALL)
    tp = re.search(r"<([\w.-]+:)?TitlesOfParts\b[^>]*>(.*?)</\1?TitlesOfParts\s*>", text, re.DOTALL)
    if not hp or not tp:
        return None
    vt_m = re.search(r"<([\w.-]+:)vector\b", tp.group(2))
    vt = vt_m.group(1) if vt_m else "vt:"
    values = re.findall(r"<(?:[\w.-]+:)?(lpstr|i4)>([^<]*)</", hp.group(2))
    titles = [html.unescape(m.group(2) or "") for m in
              re.finditer(r"<([\w.-]+:)?lpstr(?:\s*/>|>([^<]*)</\1?lpstr>)", tp.group(2))]
    pairs = [(values[i][1], int(values[i + 1][1])) for i in range(0, len(values) - 1, 2)
             if values[i][0] == "lpstr" and values[i + 1][0] == "i4" and values[i + 1][1].strip().isdigit()]
    if len(pairs) * 2 != len(values) or sum(c for _, c in pairs) != len(titles):
        return text.replace(hp.group(0), "").replace(tp.group(0), "")
    groups, at = [], 0
    for _, count in pairs:
        groups.append(titles[at: at + count])
        at += count
    old = list(groups)

    # The sheets group: every title is an original sheet name.
    sheet_keys = {key(n) for n in old_sheets}
    sheet_group = next((i for i, g in enumerate(groups) if g and all(key(t) in sheet_keys for t in g)), None)
    if sheet_group is not None:
        elsewhere = {key(t) for i, g in enumerate(groups) if i != sheet_group for t in g if key(t) in sheet_keys}
        groups[sheet_group] = [n for n in new_sheets if key(n) not in elsewhere]

    # The named ranges group: every title is one of the original's names.
    def name_key(name: str, sheet: str | None) -> tuple[str, str | None]:
        return _app_title_key(app_title(name, sheet))
    old_keys = {name_key(n, s) for n, s, _ in old_names}
    names_group = next((i for i, g in enumerate(groups) if i != sheet_group and g
                        and all(_app_title_key(t) in old_keys for t in g)), None)
    if names_group is not None:
        listed = [n for n in new_names if not n[2] and n[0] != "_xlnm._FilterDatabase"]
        new_keys = {name_key(n, s) for n, s, _ in listed}
        kept = [t for t in groups[names_group] if _app_title_key(t) in new_keys]
        present = {_app_title_key(t) for t in kept}
        groups[names_group] = kept + [app_title(n, s) for n, s, _ in listed if name_key(n, s) not in present]

    if groups == old:
        return None
    pairs = [(label, len(g)) for (label, _), g in zip(pairs, groups) if g]  # no empty groups
    groups = [g for g in groups if g]
    heading = (f'<{vt}vector size="{2 * len(pairs)}" baseType="variant">'
               + "".join(f"<{vt}variant><{vt}lpstr>{label}</{vt}lpstr></{vt}variant>"
                         f"<{vt}variant><{vt}i4>{count}</{vt}i4></{vt}variant>" for label, count in pairs)
               + f"</{vt}vector>")
    all_titles = [t for g in groups for t in g]
    parts = (f'<{vt}vector size="{len(all_titles)}" baseType="lpstr">'
             + "".join(f"<{vt}lpstr>{esc_text(t)}</{vt}lpstr>" for t in all_titles)
             + f"</{vt}vector>")
    new_hp = hp.group(0).replace(hp.group(2), heading, 1)
    new_tp = tp.group(0).replace(tp.group(2), parts, 1)
    return text.replace(hp.group(0), new_hp, 1).replace(tp.group(0), new_tp, 1)
