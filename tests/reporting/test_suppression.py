"""Small-number suppression: 1 to 4 shown as "< 5", 0 as 0, and complementary suppression."""

from django.utils import translation

from reporting.suppression import (
    Cell,
    enough,
    share,
    suppress_all,
    suppress_count,
    suppress_table,
)


def shown(cells):
    return [cell.shown for cell in cells]


def test_a_count_from_one_to_four_is_suppressed_and_zero_and_five_are_shown():
    assert [suppress_count(n).suppressed for n in (0, 1, 4, 5, 100)] == [
        False,
        True,
        True,
        False,
        False,
    ]


def test_a_suppressed_cell_reads_less_than_five_in_each_language():
    with translation.override("en"):
        assert str(Cell(3, suppressed=True)) == "< 5"
        assert str(Cell(0)) == "0"
        assert str(Cell(12)) == "12"
    with translation.override("nl"):
        assert str(Cell(3, suppressed=True)) == "< 5"


def test_a_table_without_small_cells_is_shown_whole():
    cells, total = suppress_table([10, 0, 7])
    assert shown(cells) == [10, 0, 7]
    assert total == Cell(17)


def test_one_small_cell_takes_the_next_smallest_non_zero_cell_with_it():
    cells, total = suppress_table([20, 3, 0, 9, 12])
    # 3 alone could be worked out as 44 - 20 - 9 - 12; 9 is the next smallest non-zero.
    assert shown(cells) == [20, None, 0, None, 12]
    assert total.shown == 44


def test_zero_cells_are_never_the_complementary_cell():
    cells, _total = suppress_table([0, 2, 0, 30])
    assert shown(cells) == [0, None, 0, None]


def test_two_small_cells_need_no_complementary_cell():
    cells, _total = suppress_table([1, 2, 40, 50])
    assert shown(cells) == [None, None, 40, 50]


def test_ties_take_the_first_of_the_smallest_cells():
    cells, _total = suppress_table([8, 4, 8])
    assert shown(cells) == [None, None, 8]


def test_a_single_small_cell_with_nothing_else_is_suppressed_with_its_total():
    cells, total = suppress_table([0, 3, 0])
    assert shown(cells) == [0, None, 0]
    assert total.suppressed


def test_an_empty_table_has_a_zero_total():
    cells, total = suppress_table([])
    assert cells == []
    assert total == Cell(0)


def test_no_suppressed_cell_can_be_worked_out_from_the_total():
    for counts in ([1, 5, 6], [4, 100, 7, 0], [2, 2, 9], [3, 0, 5, 5, 5]):
        cells, total = suppress_table(counts)
        hidden = [cell for cell in cells if cell.suppressed]
        assert len(hidden) != 1, counts
        assert not total.suppressed


def test_a_median_or_share_needs_five_cases():
    assert not enough(4)
    assert enough(5)
    assert share(3, 4) is None
    assert share(5, 10) == 50.0


def test_a_share_that_would_give_a_small_count_back_is_not_shown():
    assert share(2, 100) is None  # 2 cases in agreement
    assert share(98, 100) is None  # 2 cases without
    assert share(0, 10) == 0.0
    assert share(10, 10) == 100.0
    assert share(6, 9) is None  # 3 without
    assert share(7, 12) == 58.3


def test_a_last_resort_cell_is_passed_over_while_another_can_be_taken():
    cells, _total = suppress_table([3, 6, 20], last_resort=[1])
    assert shown(cells) == [None, 6, None]


def test_a_last_resort_cell_is_taken_when_no_other_can_be():
    cells, total = suppress_table([3, 0, 12], last_resort=[2])
    assert shown(cells) == [None, 0, None]
    assert total.shown == 15


def test_suppress_all_hides_every_non_zero_cell_and_the_total():
    cells, total = suppress_all([0, 7, 12])
    assert shown(cells) == [0, None, None]
    assert total.suppressed
    assert suppress_all([0, 0])[1] == Cell(0)
