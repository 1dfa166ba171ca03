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
