"""Printable A6 return labels (PDF) and the QR code for label-free drop-off at a parcel shop."""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import segno
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = "LabelSans"
BOLD = "LabelSans-Bold"
# Helvetica has no ł, ş, ř, ğ, İ: DejaVu Sans has them. The system's copy, else matplotlib's
# (a Rasa dependency, so it is in every installation of the bot).
FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

PAGE_WIDTH, PAGE_HEIGHT = A6
MARGIN = 4 * mm
PAD = 3 * mm
ITEM_LINE = 3.4 * mm
FOOTER = 6 * mm  # kept free for the footer line
FOOTER_TEXT = "Label gut sichtbar auf das Paket kleben. / Stick the label on the parcel."


@dataclass(frozen=True)
class LabelData:
    """Everything printed on one return label (plain values, so rendering needs no database)."""

    return_number: str
    order_number: str
    carrier: str
    sender_lines: tuple[str, ...]
    return_address_lines: tuple[str, ...]
    item_titles: tuple[str, ...]
    created_on: date


def _font_dirs() -> list[Path]:
    dirs = [SYSTEM_FONT_DIR]
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    return dirs


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab, from the first folder that has both."""
    for folder in _font_dirs():
        paths = {name: folder / file for name, file in FONT_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            for name, path in paths.items():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            return
    raise RuntimeError(f"DejaVu Sans not found in any of {[str(folder) for folder in _font_dirs()]}")


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut with an ellipsis where it would be wider than `width`."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _caption(canvas: Canvas, x: float, y: float, text: str) -> None:
    canvas.setFont(BOLD, 6.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(x, y, text.upper())
    canvas.setFillColor(colors.black)


def _lines(canvas: Canvas, x: float, y: float, lines: tuple[str, ...], size: float, width: float) -> float:
    """Draw `lines` top-down from baseline `y`, the first in bold; return the next free baseline."""
    for index, line in enumerate(lines):
        font = BOLD if index == 0 else FONT
        canvas.setFont(font, size)
        canvas.drawString(x, y, _fit(line, font, size, width))
        y -= size * 1.25
    return y


def _barcode(value: str, max_width: float, height: float) -> Code128:
    """Code 128 with quiet zones of 10 modules, the modules as wide as fit in `max_width` (at most 0.6 mm).

    Return numbers (R + digits) are mostly digit pairs, so their modules stay around 0.5-0.6 mm.
    """
    modules = Code128(value, barWidth=1, humanReadable=False, quiet=False).width + 20
    bar = min(0.6 * mm, max_width / modules)
    return Code128(value, barWidth=bar, barHeight=height, humanReadable=False, lquiet=10 * bar, rquiet=10 * bar)


def render_label_pdf(label: LabelData) -> bytes:
    """The return label as a one-page A6 portrait PDF."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A6, invariant=1)
    canvas.setTitle(f"Return label {label.return_number}")
    canvas.setSubject(f"Order {label.order_number}")

    left, right = MARGIN, PAGE_WIDTH - MARGIN
    top, bottom = PAGE_HEIGHT - MARGIN, MARGIN
    inner = right - left - 2 * PAD
    x = left + PAD

    canvas.setLineWidth(1.5)
    canvas.rect(left, bottom, right - left, top - bottom)
    canvas.setLineWidth(0.75)

    # Header: black band with the label type and the carrier.
    band = 12 * mm
    canvas.rect(left, top - band, right - left, band, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(BOLD, 13)
    canvas.drawString(x, top - band + 4.2 * mm, "RETOURE")
    canvas.setFont(FONT, 7)
    canvas.drawString(x + pdfmetrics.stringWidth("RETOURE", BOLD, 13) + 2 * mm, top - band + 4.2 * mm, "Return")
    canvas.setFont(BOLD, 15)
    canvas.drawRightString(right - PAD, top - band + 4 * mm, _fit(label.carrier, BOLD, 15, inner / 2))
    canvas.setFillColor(colors.black)

    # Sender.
    y = top - band - 4 * mm
    _caption(canvas, x, y, "Absender / From")
    y = _lines(canvas, x, y - 3.6 * mm, label.sender_lines, 8, inner)
    y += 8 * 1.25 - 2.5 * mm
    canvas.line(left, y, right, y)

    # Recipient: the return centre, the biggest text on the label.
    y -= 4 * mm
    _caption(canvas, x, y, "Empfänger / To")
    y = _lines(canvas, x + 2 * mm, y - 5 * mm, label.return_address_lines, 11, inner - 2 * mm)
    y += 11 * 1.25 - 3 * mm
    canvas.line(left, y, right, y)

    # Return number as Code 128 and in plain text.
    y -= 3.5 * mm
    _caption(canvas, x, y, "Retourennummer / Return number")
    code = _barcode(label.return_number, right - left - 2 * PAD, 20 * mm)
    y -= 2 * mm + code.height
    code.drawOn(canvas, (PAGE_WIDTH - code.width) / 2, y)
    y -= 5 * mm
    canvas.setFont(BOLD, 12)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, label.return_number)
    y -= 3.5 * mm
    canvas.line(left, y, right, y)

    # Order, date and the items in the parcel.
    y -= 4.5 * mm
    canvas.setFont(FONT, 7.5)
    canvas.drawString(x, y, "Bestellung / Order")
    canvas.drawRightString(right - PAD, y, "Datum / Date")
    y -= 4 * mm
    canvas.setFont(BOLD, 9)
    canvas.drawString(x, y, label.order_number)
    canvas.drawRightString(right - PAD, y, label.created_on.strftime("%d.%m.%Y"))
    y -= 5.5 * mm
    _caption(canvas, x, y, "Artikel / Items")
    y -= 3.8 * mm
    room = max(1, int((y - bottom - FOOTER) / ITEM_LINE) + 1)
    shown = label.item_titles if len(label.item_titles) <= room else label.item_titles[: room - 1]
    canvas.setFont(FONT, 7.5)
    for title in shown:
        canvas.drawString(x, y, "• " + _fit(title, FONT, 7.5, inner - 3 * mm))
        y -= ITEM_LINE
    if len(shown) < len(label.item_titles):
        canvas.drawString(x, y, f"+ {len(label.item_titles) - len(shown)} weitere / more")

    canvas.setFont(FONT, 5.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawCentredString(PAGE_WIDTH / 2, bottom + 2 * mm, FOOTER_TEXT)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def dropoff_code(return_number: str) -> str:
    """What the parcel shop scans instead of a printed label."""
    return f"RETURN:{return_number}"


def qr_png(text: str) -> bytes:
    """`text` as a QR code PNG (6 px per module, 4 modules of quiet zone)."""
    buffer = io.BytesIO()
    segno.make(text, micro=False).save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()
