"""Printable link-code sheets for a group: CSV, PNG and PDF cards with the deep link's QR code.

A guardian's card says for whom it is: the guardian's name, and the student's name and group.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.documents.safe_cells import safe_row
from bot.i18n import gettext_for
from models.linking import IssuedCode

if TYPE_CHECKING:  # fpdf, qrcode and Pillow load when a sheet is first made, not with the bot
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

CARDS_PER_PAGE = 8  # 2 columns x 4 rows on A4
_COLUMNS, _ROWS = 2, 4
_PAGE_W, _PAGE_H, _MARGIN = 210.0, 297.0, 10.0
_CARD_W = (_PAGE_W - 2 * _MARGIN) / _COLUMNS
_CARD_H = (_PAGE_H - 2 * _MARGIN) / _ROWS
_PNG_CARD = (1000, 560)  # pixels of one card in the PNG sheet


def _font_path(bold: bool = False) -> Path:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(__file__).with_name("fonts") / name


def deep_link(bot_username: str, code: str) -> str:
    """Return the link that opens the bot and redeems the code: https://t.me/<bot>?start=<code>."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={code.replace('-', '')}"


def instruction(bot_username: str, language: str) -> str:
    _ = gettext_for(language)
    return _("Scan the QR code, or send this code to @{bot} in Telegram.").format(
        bot=bot_username.lstrip("@")
    )


def card_subtitle(item: IssuedCode, language: str) -> str:
    """The card's second line: the group (or number), or whose guardian the code is for."""
    if not item.student_name:
        return item.group_code or item.number
    _ = gettext_for(language)
    return _("guardian of {student}, {group}").format(
        student=item.student_name, group=item.group_code
    )


def _qr_image(link: str) -> Image.Image:
    import qrcode
    from PIL import Image

    qr = qrcode.QRCode(border=1, box_size=10, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(link)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white").get_image()
    assert isinstance(image, Image.Image)
    return image.convert("RGB")


def sheet_csv(codes: Sequence[IssuedCode], bot_username: str) -> bytes:
    """Return the codes as CSV (UTF-8 with BOM, so spreadsheets read the diacritics)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    guardians = any(item.student_name for item in codes)
    whose = ["student"] if guardians else []
    writer.writerow(["name", *whose, "number", "group", "code", "link"])
    for item in codes:
        link = deep_link(bot_username, item.code)
        whom = [item.student_name] if guardians else []
        row = [item.name, *whom, item.number, item.group_code, item.code, link]
        writer.writerow(safe_row(row))
    return buffer.getvalue().encode("utf-8-sig")


def sheet_pdf(codes: Sequence[IssuedCode], bot_username: str, language: str) -> bytes:
    """Return an A4 PDF with one cut-out card per person, eight to a page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN, _MARGIN)
    pdf.add_font("DejaVu", "", str(_font_path()))
    pdf.add_font("DejaVu", "B", str(_font_path(bold=True)))
    text = instruction(bot_username, language)
    for index, item in enumerate(codes):
        slot = index % CARDS_PER_PAGE
        if slot == 0:
            pdf.add_page()
        x = _MARGIN + (slot % _COLUMNS) * _CARD_W
        y = _MARGIN + (slot // _COLUMNS) * _CARD_H
        _pdf_card(pdf, item, x, y, bot_username, (card_subtitle(item, language), text))
    if not codes:
        pdf.add_page()
    return bytes(pdf.output())


def _pdf_card(
    pdf: FPDF, item: IssuedCode, x: float, y: float, bot: str, texts: tuple[str, str]
) -> None:
    subtitle, text = texts
    pdf.set_draw_color(160, 160, 160)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.rect(x, y, _CARD_W, _CARD_H)
    pdf.set_dash_pattern()
    qr_size = 40.0
    pdf.image(_qr_image(deep_link(bot, item.code)), x=x + 4, y=y + 6, w=qr_size, h=qr_size)
    left, width = x + qr_size + 6, _CARD_W - qr_size - 9
    pdf.set_xy(left, y + 7)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(width, 5, item.name, new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(width, 5, subtitle, new_x="LEFT", new_y="NEXT")
    pdf.set_xy(left, y + 30)
    pdf.set_font("DejaVu", "B", 14)  # "WWWW-MMMM" is 43.5 mm wide: fits
    pdf.cell(width, 9, item.code, new_x="LEFT", new_y="NEXT")
    pdf.set_xy(x + 4, y + qr_size + 10)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(_CARD_W - 8, 4, text, align="L")


def sheet_png(codes: Sequence[IssuedCode], bot_username: str, language: str) -> bytes:
    """Return one PNG with every card, two to a row."""
    from PIL import Image

    card_w, card_h = _PNG_CARD
    rows = max(1, (len(codes) + _COLUMNS - 1) // _COLUMNS)
    sheet = Image.new("RGB", (card_w * _COLUMNS, card_h * rows), "white")
    text = instruction(bot_username, language)
    for index, item in enumerate(codes):
        card = _png_card(item, bot_username, (card_subtitle(item, language), text))
        sheet.paste(card, ((index % _COLUMNS) * card_w, (index // _COLUMNS) * card_h))
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    return buffer.getvalue()


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(_font_path(bold)), size)


def _png_card(item: IssuedCode, bot: str, texts: tuple[str, str]) -> Image.Image:
    from PIL import Image, ImageDraw

    subtitle, text = texts
    card_w, card_h = _PNG_CARD
    card = Image.new("RGB", _PNG_CARD, "white")
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, card_w - 1, card_h - 1), outline=(160, 160, 160), width=2)
    qr = _qr_image(deep_link(bot, item.code)).resize((400, 400), Image.Resampling.NEAREST)
    card.paste(qr, (20, 30))
    left = 450
    draw.text(
        (left, 40),
        _fit(draw, item.name, _font(34, True), card_w - left - 20),
        fill="black",
        font=_font(34, True),
    )
    subtitle = _fit(draw, subtitle, _font(30), card_w - left - 20)
    draw.text((left, 95), subtitle, fill="black", font=_font(30))
    draw.text((left, 200), item.code, fill="black", font=_font(58, True))
    for line_no, line in enumerate(_wrap(draw, text, _font(22), card_w - 40)[:3]):
        draw.text((20, 440 + 30 * line_no), line, fill="black", font=_font(22))
    return card


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """Shorten text with an ellipsis until it fits the width."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Break text into lines that fit the width."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(_fit(draw, word, font, width))
    return lines
