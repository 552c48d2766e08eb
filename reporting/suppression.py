"""Small-number suppression: no figure in a report may point at a person.

Pure functions, no Django models: a count from 1 to 4 is shown as "< 5", 0 stays 0. In a table
with a total, one suppressed cell could be worked out from the total and the others, so when
exactly one cell is suppressed the next smallest non-zero cell is suppressed too
(complementary suppression). A median or a share over fewer than 5 cases is not shown.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

THRESHOLD = 5
SUPPRESSED_TEXT = _("< 5")
TOO_FEW_TEXT = _("Too few cases to show")


@dataclass(frozen=True)
class Cell:
    """One count as a report shows it: the value, or suppressed."""

    value: int
    suppressed: bool = False

    @property
    def shown(self) -> int | None:
        """The value that may be shown, or None when it is suppressed."""
        return None if self.suppressed else self.value

    def __str__(self) -> str:
        return str(SUPPRESSED_TEXT) if self.suppressed else str(self.value)


def is_small(count: int) -> bool:
    """A count from 1 to 4: it could point at a person."""
    return 0 < count < THRESHOLD


def enough(count: int) -> bool:
    """Whether a median or share over `count` cases may be shown."""
    return count >= THRESHOLD


def suppress_count(count: int) -> Cell:
    """One count on its own (no table, no total)."""
    return Cell(count, suppressed=is_small(count))


def suppress_table(
    counts: Sequence[int], last_resort: Collection[int] = ()
) -> tuple[list[Cell], Cell]:
    """The cells of a table and its total, with primary and complementary suppression.

    Primary: each count from 1 to 4. Complementary: when exactly one cell is suppressed, the
    smallest other non-zero cell is suppressed too, so the one cannot be worked out as the
    total minus the others. Cells in `last_resort` (indexes) are taken only when no other
    cell can be: their value is shown elsewhere in the report (the closed cases of the status
    table), so the caller must hide it there too when one is taken. The total is itself a
    count and is suppressed when small.
    """
    suppressed = [is_small(count) for count in counts]
    if sum(suppressed) == 1:
        candidates = [
            (index in last_resort, count, index)
            for index, count in enumerate(counts)
            if count > 0 and not suppressed[index]
        ]
        if candidates:
            suppressed[min(candidates)[2]] = True
    cells = [Cell(count, hidden) for count, hidden in zip(counts, suppressed, strict=True)]
    return cells, suppress_count(sum(counts))


def suppress_all(counts: Sequence[int]) -> tuple[list[Cell], Cell]:
    """Every non-zero cell and the total suppressed: for a table whose total must stay hidden."""
    return [Cell(count, count > 0) for count in counts], Cell(sum(counts), sum(counts) > 0)


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` as a percentage, or None when it may not be shown.

    Not over fewer than 5 cases; and not when the part or the rest is from 1 to 4, since the
    share times the whole would give that small count back.
    """
    if not enough(whole) or is_small(part) or is_small(whole - part):
        return None
    return round(100 * part / whole, 1)
