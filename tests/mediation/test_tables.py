"""Every data table can become labelled rows on a phone: each cell names its column."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_table_cell_carries_its_column_label():
    unlabelled = []
    for template in TEMPLATES.rglob("*.html"):
        if "email" in template.parts:
            continue
        text = template.read_text()
        for table in re.findall(r"<table\b.*?</table>", text, re.S):
            for cell in re.findall(r"<td\b[^>]*>", table):
                if "data-label=" not in cell and "colspan" not in cell:
                    unlabelled.append(f"{template.relative_to(TEMPLATES)}: {cell}")
    # A cell under a visually hidden header has data-label="": a phone shows no label there.
    assert unlabelled == []
