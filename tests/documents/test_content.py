"""The allow-list reads the content, never the name."""

import io

import pytest

from documents import content
from tests.documents import helpers


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (helpers.pdf(), content.PDF),
        (helpers.png(), content.PNG),
        (helpers.jpeg(), content.JPEG),
        (helpers.docx(), content.DOCX),
        (helpers.odt(), content.ODT),
    ],
)
def test_allowed_files_are_recognised_by_their_content(data, expected):
    assert content.detect(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    "data",
    [helpers.exe(), helpers.html(), helpers.svg(), helpers.docm(), helpers.plain_zip(), b"", b"PK"],
)
def test_anything_else_is_refused(data):
    assert content.detect(io.BytesIO(data)) is None


def test_detection_leaves_the_file_at_its_start():
    file = io.BytesIO(helpers.docx())
    content.detect(file)
    assert file.tell() == 0
