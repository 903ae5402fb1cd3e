"""Code sheets: CSV rows, one PDF page per eight cards, a PNG Pillow can open."""

import csv
import io
import re

import pytest
from PIL import Image

from bot.documents.link_sheets import CARDS_PER_PAGE, deep_link, sheet_csv, sheet_pdf, sheet_png
from models.linking import IssuedCode


def cards(count: int) -> list[IssuedCode]:
    return [
        IssuedCode(f"Audzēknis Ņ{n} Учащийся", f"S{n}", "AM-21", f"K7QM-{n:04d}".replace("0", "A"))
        for n in range(count)
    ]


def test_deep_link_drops_the_dash_and_the_at() -> None:
    assert deep_link("@school_bot", "K7QM-4XPA") == "https://t.me/school_bot?start=K7QM4XPA"


def test_csv_has_one_row_per_code() -> None:
    rows = list(csv.DictReader(io.StringIO(sheet_csv(cards(3), "school_bot").decode("utf-8-sig"))))
    assert [(r["name"], r["number"], r["code"]) for r in rows] == [
        (c.name, c.number, c.code) for c in cards(3)
    ]


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (CARDS_PER_PAGE, 1), (9, 2), (17, 3)])
def test_pdf_has_one_page_per_eight_cards(count: int, pages: int) -> None:
    pdf = sheet_pdf(cards(count), "school_bot", "ru")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == pages


def test_png_opens_with_two_cards_a_row() -> None:
    with Image.open(io.BytesIO(sheet_png(cards(5), "school_bot", "lv"))) as image:
        assert image.format == "PNG"
        assert image.size == (2000, 3 * 560)
