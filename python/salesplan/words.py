"""How words and names typed by people are compared: one normaliser, a few strengths.

Stated in ``docs/method.md#comparing-typed-words``.

Spreadsheets are typed by hand. ``Камеры``, `` камеры `` and ``КАМЕРЫ`` must be one category,
``Зелёный`` and ``Зеленый`` one word, ``ООО "Альфа"`` and ``ооо «Альфа»`` one company. Everything
that matches text typed by people goes through :func:`fold` or one of the keys built on it:

==================  ============================================  ==================================
function            ignores                                       used for
==================  ============================================  ==================================
:func:`fold`        case, ё/е, spaces (ends removed, runs          categories, brands, status words,
                    collapsed, any Unicode space)                 the long list's "refused" results
:func:`label_key`   the same, and punctuation ``. , : ; ( ) [ ]    column headers, block titles,
                    № # * _ / \\ ₽ -``                             catalog sections, list kinds
:func:`company_key` the same as :func:`fold`, and quotes           companies (long list, wishes,
                    ``« » " “ ” „ ' ` ’``                          the fact's long-list layer)
:func:`fold_case`   case and the spaces at the ends only           sheet names, the long list's
                                                                  "interested" answers
==================  ============================================  ==================================

:func:`fold_case` is the weakest on purpose, to keep two call sites exactly as they were written:
a sheet name is matched as Excel itself compares sheet names (case-insensitively, but ``Ёлка`` and
``Елка`` are two different sheets that may both exist), and a "yes" in the Interested column was
never read with ё folded or inner spaces collapsed (none of the yes-words has either, so only a
word spelled with ё would read differently: kept as it was, so no list changes meaning on upgrade).

Light on purpose (no pandas): the Sales header is found with :func:`label_key` before the heavy
libraries are imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Quotes a company name may be typed with; each one counts as a space.
_QUOTES = re.compile(r"[«»\"“”„'`’]")
#: Punctuation that headers and labels are typed with or without; a run of it counts as a space.
_PUNCTUATION = re.compile(r"[\.,:;()\[\]№#*_/\\₽-]+")


def fold(text: object) -> str:
    """Text as it is compared: case, ё/е and extra spaces ignored.

    >>> fold("  Ёлка\\u00a0 Зелёная ")
    'елка зеленая'
    """
    return " ".join(str(text).casefold().replace("ё", "е").split())


def label_key(text: object) -> str:
    """A header or a label as it is compared: :func:`fold`, and punctuation counts as a space.

    >>> label_key(" Сумма, руб. ")
    'сумма руб'
    """
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def company_key(name: object) -> str:
    """The name a company is matched by: :func:`fold`, and quotes count as spaces.

    >>> company_key('ООО "Альфа "') == company_key("ооо «Альфа»") == "ооо альфа"
    True
    """
    return fold(_QUOTES.sub(" ", str(name)))


def similar(text: object, choices: Iterable[str], n: int = 3, cutoff: float = 0.5) -> list[str]:
    """Up to ``n`` of ``choices`` closest to ``text`` as :func:`fold` compares them, closest first.

    Closeness is :mod:`difflib`'s ratio, and a choice that is a whole-word part of the text (or the
    text of the choice) counts as close: ``Камеры видеонаблюдения`` finds ``Камеры``.

    >>> similar("Камеры видеонаблюдения", ["Камеры", "Кабель", "Домофоны"])
    ['Камеры']
    """
    import difflib

    wanted = fold(text)
    scored = []
    for choice in dict.fromkeys(choices):
        key = fold(choice)
        if not key or not wanted:
            continue
        ratio = difflib.SequenceMatcher(None, wanted, key).ratio()
        if set(key.split()) <= set(wanted.split()) or set(wanted.split()) <= set(key.split()):
            ratio = max(ratio, 0.9)
        if ratio >= cutoff:
            scored.append((-ratio, key, choice))
    return [choice for _, _, choice in sorted(scored)[:n]]


def fold_case(text: object) -> str:
    """Case and the spaces at the ends ignored, nothing else (see the module's note on why).

    >>> fold_case(" Продажи ")
    'продажи'
    """
    return str(text).strip().casefold()


def closest_names(name: object, known: list[str], n: int = 3) -> list[str]:
    """The names of ``known`` a typed ``name`` most likely means, best first (at most ``n``): those
    its initials fit, then the closest spellings (:mod:`difflib` over :func:`fold`).

    >>> closest_names("Иванов И.И.", ["Иванов Игорь Иванович", "Иванова Ирина", "Петров"])
    ['Иванов Игорь Иванович', 'Иванова Ирина']
    >>> closest_names("Петрв", ["Иванов", "Петров"])
    ['Петров']
    """
    import difflib

    def parts(text: object) -> list[str]:
        return [p for p in re.split(r"[\s.]+", fold(text)) if p]

    typed = parts(name)
    words = [p for p in typed if len(p) > 1]
    initials = [p for p in typed if len(p) == 1]
    fitting = []
    for candidate in known:
        theirs = parts(candidate)
        rest = [p for p in theirs if p not in words]
        if (words and initials and all(w in theirs for w in words)
                and [p[0] for p in rest[:len(initials)]] == initials):
            fitting.append(candidate)
    by_fold: dict[str, str] = {}
    for candidate in known:
        by_fold.setdefault(fold(candidate), candidate)
    close = [by_fold[m] for m in difflib.get_close_matches(fold(name), list(by_fold), n=n, cutoff=0.6)]
    out: list[str] = []
    for candidate in fitting + close:
        if candidate not in out:
            out.append(candidate)
    return out[:n]


#: A legal form written before a company's name, short (``ООО``) or in full (``Общество с
#: ограниченной ответственностью``); narrow columns show the name without it.
_LEGAL_FORM = re.compile(
    r"^\s*(?:(?:общество\s+с\s+ограниченной\s+ответственностью|(?:публичное\s+|непубличное\s+|закрытое\s+|"
    r"открытое\s+)?акционерное\s+общество|индивидуальный\s+предприниматель|частное\s+охранное\s+"
    r"(?:предприятие|организация)|ООО|ОАО|ЗАО|ПАО|НАО|АО|ИП|ЧОП|ЧОО|ГК|ТОО|ФГУП|ГУП|МУП|LLC|Ltd\.?|Inc\.?)"
    r"(?=[\s«\"“„']))\s*", re.IGNORECASE)


def without_legal_form(name: object) -> str:
    """A company's name without its legal form and outer quotes, for a narrow column.

    >>> without_legal_form("ООО «Северная звезда»")
    'Северная звезда'
    >>> without_legal_form("Общество с ограниченной ответственностью «Вега»")
    'Вега'
    """
    text = " ".join(str(name).split())
    short = _LEGAL_FORM.sub("", text, count=1).strip()
    if short.startswith("«") and short.endswith("»") and short.count("«") == 1:
        short = short[1:-1]
    elif len(short) > 1 and short[0] in "\"“„" and short[-1] in "\"”“" and sum(short.count(q) for q in "\"“”„") == 2:
        short = short[1:-1]
    return short.strip() or text


#: Characters XML 1.0 cannot carry (its Char production), so no cell, sheet name or part of a
#: workbook may hold them: C0 controls but tab, line feed and carriage return; U+FFFE and U+FFFF;
#: surrogates, which in a Python string only stand alone (a pair is read as one character).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot carry (:data:`XML_ILLEGAL`); a surrogate pair
    spelt as two characters (as a UTF-16 source may hand it over) is joined into its character.

    >>> xml_text("Альфа\\ufffe\\x01 ") == "Альфа "
    True
    >>> xml_text("\\ud83d\\ude00\\ud800") == "\\U0001F600"
    True
    """
    if XML_ILLEGAL.search(text) is None:
        return text
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return XML_ILLEGAL.sub("", text)


def utf16_len(text: str) -> int:
    """Length as Excel counts it: UTF-16 units (a character beyond U+FFFF, an emoji, counts two)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_cut(text: str, units: int) -> str:
    """The longest start of ``text`` of at most ``units`` UTF-16 units; no character cut in half.

    >>> utf16_cut("ab\\U0001F600c", 3)
    'ab'
    """
    if len(text) * 2 <= units or utf16_len(text) <= units:
        return text
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return text[:i]
    return text
