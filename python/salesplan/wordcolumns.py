""":func:`~salesplan.words.fold` and :func:`~salesplan.words.company_key` over a whole column.

A company with 100 000 clients has 100 000 distinct names: folding them one Python call at a time
costs 0.2-0.3 s each time a step matches names. Here the same keys come from Arrow's string
kernels over the whole column. Those kernels lower case by the Unicode tables of their own library
and know one space only, so the characters of the column are looked at first (once each): a row
with a character Arrow would treat differently from Python (one whose :meth:`str.casefold` differs
from Arrow's lower case, or a space other than U+0020) is folded by :func:`fold` itself. The keys
are therefore exactly :func:`fold`'s (a property test compares them on arbitrary text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .words import _LEGAL_FORM, company_key, fold, without_legal_form

#: Every character :meth:`str.split` splits at (``str.isspace``; a test checks the list against
#: this Python's own, so it is not worked out over all of Unicode at every start).
_SPACES = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
#: The quote characters :func:`company_key` reads as spaces (its pattern's class, a test checks).
_QUOTE_CHARS = tuple("\"'`«»’“”„")


def isin(values: pd.Series | pd.Index, members: Iterable[object]) -> np.ndarray:
    """``values.isin(members)`` as a boolean array, by one hash look-up over the column.

    pandas' ``isin`` on a text column (its Arrow strings) turns every member into an Arrow scalar
    in Python first: with a set of 100 000 clients that is 100 000 Python steps. Here the members
    become one index and the column is looked up in it at once. Missing values match nothing."""
    columnar = (pd.Series, pd.Index, np.ndarray, pd.api.extensions.ExtensionArray)
    members = members if isinstance(members, columnar) else list(members)
    text = _arrow_text(values)
    if text is not None:  # Arrow strings both: looked up by Arrow, no Python string made
        try:
            found_text = _arrow_text(members)
            value_set = found_text if found_text is not None else pa.array(members, type=pa.large_string())
            looked_up = pc.is_in(text, value_set=value_set, skip_nulls=True)
            return np.asarray(pc.fill_null(looked_up, False).to_numpy(zero_copy_only=False), dtype=bool)
        except (pa.ArrowException, TypeError):
            pass  # members that are not all text: the index look-up below
    member_index = pd.Index(members)
    if not len(member_index) or not len(values):
        return np.zeros(len(values), dtype=bool)
    found: np.ndarray = member_index.unique().get_indexer(pd.Index(values)) >= 0
    return found & np.asarray(pd.notna(values), dtype=bool)


def lookup(values: pd.Series, mapping: pd.Series) -> pd.Series:
    """``values.map(mapping)``: each value's entry in ``mapping`` (a text Series under a text index
    without repeats, such as the owners), missing where it has none.

    ``map`` turns a column of Arrow strings into Python strings to look each one up: 1.5 s for a
    million sale lines. Here Arrow finds each value's place in the index at once; other columns and
    mappings go to ``map`` itself."""
    text, keys = _arrow_text(values), _arrow_text(mapping.index)
    if (text is None or keys is None or not isinstance(mapping.dtype, pd.StringDtype) or not len(mapping)
            or not mapping.index.is_unique):  # (an empty mapping: map gives floats)
        return values.map(mapping)
    at = pc.fill_null(pc.index_in(text, value_set=keys), -1).to_numpy(zero_copy_only=False)
    return pd.Series(mapping.array.take(at.astype(np.intp), allow_fill=True), index=values.index, name=values.name)


def _arrow_text(values: object) -> pa.Array | None:
    """The Arrow array under a text Series, Index or array, else None."""
    dtype = getattr(values, "dtype", None)
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        return None
    array = pa.array(values.array if isinstance(values, (pd.Series, pd.Index)) else values)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string())


def folded(values: pd.Series | Iterable[object]) -> pd.Series:
    """``values`` (a Series keeps its index) as :func:`fold` gives them."""
    return _keys(values, quotes=False, exact=fold)


def company_keys(values: pd.Series | Iterable[object]) -> pd.Series:
    """``values`` (a Series keeps its index) as :func:`company_key` gives them."""
    return _keys(values, quotes=True, exact=company_key)


def _keys(values: pd.Series | Iterable[object], quotes: bool, exact: Callable[[object], str]) -> pd.Series:
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    text = series if series.dtype == "str" else series.astype("str")
    array = _whole_text(text)
    if array is None:
        return pd.Series([exact(v) for v in text], index=series.index, dtype="str")
    odd = np.asarray(pc.match_substring_regex(array, _ODD_PATTERN).to_numpy(zero_copy_only=False), dtype=bool)
    folded_array = array
    if quotes:  # every quote a space, in one pass of the pattern rather than one per quote
        folded_array = pc.replace_substring_regex(folded_array, _QUOTE_PATTERN, " ")
    folded_array = pc.replace_substring(pc.utf8_lower(folded_array), "ё", "е")
    folded_array = pc.utf8_trim(_single_spaces(folded_array), " ")
    out = pd.Series(pd.array(folded_array, dtype="str"), index=series.index)
    if odd.any():
        out[odd] = [exact(v) for v in text[odd]]
    return out


#: Any of :data:`_QUOTE_CHARS`, for Arrow's RE2.
_QUOTE_PATTERN = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _QUOTE_CHARS) + "]"


def _single_spaces(array: pa.Array) -> pa.Array:
    """Every run of spaces (U+0020) as one. Two spaces made one, again while any pair is left: a
    plain replacement, some times cheaper than the pattern ``" {2,}"`` over 100 000 names, and as
    a run of n spaces becomes ceil(n / 2) each time, a few passes at most."""
    while pc.any(pc.match_substring(array, "  ")).as_py():
        array = pc.replace_substring(array, "  ", " ")
    return array


def _whole_text(text: pd.Series) -> pa.Array | None:
    """A text column as one Arrow array for the kernels; None when it must go one value at a time
    (empty, a missing value, or a lone surrogate Arrow cannot hold)."""
    try:
        array = pa.array(text.array)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        array = array.cast(pa.large_string())
    except (pa.ArrowException, UnicodeError):
        return None
    return array if len(array) and not array.null_count else None


def _plain_characters() -> str:
    """The characters Arrow's kernels fold exactly as Python does, among those company names and
    categories are mostly written in: printable ASCII, Cyrillic, a few signs. A character is plain
    when its lower case by Arrow is its :meth:`str.casefold`, it is no space but U+0020, and
    folding makes no space or quote of it (quotes, read as spaces by :func:`company_key`, are
    replaced before folding)."""
    chars = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0x400, 0x460)] + list("№«»’“”„—–…")
    lowered = pc.utf8_lower(pa.array(chars, type=pa.large_string())).to_pylist()
    return "".join(c for c, low in zip(chars, lowered)
                   if c.casefold() == low and (c == " " or c not in _SPACES)
                   and not any(f in _SPACES or f in _QUOTE_CHARS for f in c.casefold() if f != c))


#: A row with any other character is folded by Python itself.
_ODD_PATTERN = "[^" + "".join(f"\\x{{{ord(c):x}}}" for c in _plain_characters()) + "]"


def without_legal_forms(values: pd.Series) -> pd.Series:
    """``values`` (text) as :func:`~salesplan.words.without_legal_form` gives them, by Arrow's
    kernels; a row with a character outside the plain ones (where Python's and Arrow's case-blind
    matching or spaces could differ) by the function itself."""
    text = values if values.dtype == "str" else values.astype("str")
    array = _whole_text(text)
    if array is None:
        return pd.Series([without_legal_form(v) for v in text], index=values.index, dtype="str")
    odd = np.asarray(pc.match_substring_regex(array, _ODD_PATTERN).to_numpy(zero_copy_only=False), dtype=bool)
    whole = pc.utf8_trim(_single_spaces(array), " ")  # " ".join(name.split()) of a row of plain characters
    short = pc.utf8_trim(pc.replace_substring_regex(whole, _LEGAL_FORM_RE2, r"\1", max_replacements=1), " ")
    guillemets = pc.and_(pc.and_(pc.starts_with(short, "«"), pc.ends_with(short, "»")),
                         pc.equal(pc.count_substring(short, "«"), 1))
    quotes = pc.add(pc.add(pc.count_substring(short, '"'), pc.count_substring(short, "“")),
                    pc.add(pc.count_substring(short, "”"), pc.count_substring(short, "„")))
    first, last = pc.utf8_slice_codeunits(short, 0, 1), pc.utf8_slice_codeunits(short, -1)
    straight = pc.and_(pc.and_(pc.greater(pc.utf8_length(short), 1), pc.is_in(first, pa.array(['"', "“", "„"]))),
                       pc.and_(pc.is_in(last, pa.array(['"', "”", "“"])), pc.equal(quotes, 2)))
    inner = pc.utf8_trim(pc.utf8_slice_codeunits(short, 1, -1), " ")
    short = pc.if_else(pc.or_(guillemets, straight), inner, short)
    short = pc.if_else(pc.equal(pc.utf8_length(short), 0), whole, short)
    out = pd.Series(pd.array(short, dtype="str"), index=values.index)
    if odd.any():
        out[odd] = [without_legal_form(v) for v in text[odd]]
    return out


def _legal_form_re2() -> str:
    """:data:`~salesplan.words._LEGAL_FORM` for Arrow's RE2, which has no look-ahead: the form and
    the space after it, or the form alone when a quote follows (kept by the replacement ``\\1``),
    over text whose spaces are single (a row of plain characters, its runs collapsed)."""
    pattern = _LEGAL_FORM.pattern
    prefix, lookahead = r"^\s*(?:(?:", pattern.rfind(")(?=[")
    assert pattern.startswith(prefix) and pattern.endswith(r"]))\s*") and lookahead > 0, pattern
    forms = pattern[len(prefix):lookahead]
    return "(?i)^(?:" + forms + ")(?: |([«\"“„']))"


_LEGAL_FORM_RE2 = _legal_form_re2()
