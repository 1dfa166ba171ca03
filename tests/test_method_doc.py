"""docs/method.md, the planning method the code cites: every citation lands on a section, and every
module it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
METHOD = ROOT / "docs" / "method.md"


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors() -> set[str]:
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", METHOD.read_text(encoding="utf-8"), re.M)}


def test_slugs_are_githubs():
    assert slug("3A and Instrument #1") == "3a-and-instrument-1"
    assert slug("Composing the month's plan") == "composing-the-months-plan"


def test_every_citation_of_the_method_lands_on_a_section():
    cited = {}
    sources = [*(ROOT / "python" / "salesplan").rglob("*.py"), ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found = set(re.findall(r"docs/method\.md#([\w\-]+)", text))
        if path == METHOD:
            found |= set(re.findall(r"\]\(#([\w\-]+)\)", text))
        for anchor in found:
            cited.setdefault(anchor, []).append(str(path.relative_to(ROOT)))
    assert cited, "nothing cites docs/method.md"
    assert {a: where for a, where in cited.items() if a not in anchors()} == {}


def test_every_module_named_exists():
    text = METHOD.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:method|inputs|outputs)/\w+\.py|\w+\.py)`", text))
    package = ROOT / "python" / "salesplan"
    missing = {n for n in named if not (package / n).exists() and not (package / "method" / n).exists()}
    assert missing == set()
