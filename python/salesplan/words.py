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


def fold_case(text: object) -> str:
    """Case and the spaces at the ends ignored, nothing else (see the module's note on why).

    >>> fold_case(" Продажи ")
    'продажи'
    """
    return str(text).strip().casefold()


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
