import io
from datetime import date

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from bot.returns.labels import LabelData, dropoff_code, qr_png, render_label_pdf

MM = 72 / 25.4
LABEL = LabelData(
    return_number="R2611250042",
    order_number="302-4519273-8812345",
    carrier="DHL",
    sender_lines=("Paweł Łukasiewicz", "ul. Świętokrzyska 12/4", "00-916 Warszawa", "PL"),
    return_address_lines=("Shop Retourenzentrum", "Am Retourenpark 1", "04179 Leipzig", "Deutschland"),
    item_titles=(
        "Çay bardağı seti İstanbul, 6 parça",
        "Řetízek Dvořák – stříbrný náhrdelník s přívěskem a dlouhým názvem, který se nevejde na štítek",
        "Herren Winterjacke Größe L",
    ),
    created_on=date(2026, 11, 25),
)


def barcodes_on_page(pdf_bytes: bytes, dpi: int = 300) -> list[zxingcpp.Barcode]:
    """The barcodes zxing finds on page 1 rendered at `dpi`."""
    page = pdfium.PdfDocument(pdf_bytes)[0]
    return zxingcpp.read_barcodes(page.render(scale=dpi / 72).to_pil())


def page_text(pdf_bytes: bytes) -> str:
    return pdfium.PdfDocument(pdf_bytes)[0].get_textpage().get_text_range()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_label_pdf(LABEL)


def test_label_is_a_pdf(pdf):
    assert pdf.startswith(b"%PDF")


def test_page_is_a6_portrait(pdf):
    width, height = pdfium.PdfDocument(pdf)[0].get_size()
    assert width / MM == pytest.approx(105, abs=1)
    assert height / MM == pytest.approx(148, abs=1)


def test_barcode_carries_exactly_the_return_number(pdf):
    codes = barcodes_on_page(pdf)
    assert [(code.format, code.text) for code in codes] == [(zxingcpp.BarcodeFormat.Code128, LABEL.return_number)]


def test_longest_return_number_still_scans():
    label = LabelData(**{**LABEL.__dict__, "return_number": "R1234567890123456789"})  # the column's 20 characters
    assert [code.text for code in barcodes_on_page(render_label_pdf(label), dpi=200)] == ["R1234567890123456789"]


def test_text_has_numbers_and_non_ascii_names(pdf):
    text = page_text(pdf)
    for expected in (LABEL.return_number, LABEL.order_number, "Paweł Łukasiewicz", "Świętokrzyska", "Leipzig",
                     "Çay bardağı seti İstanbul", "Řetízek Dvořák", "25.11.2026"):
        assert expected in text


def test_long_item_titles_are_cut_with_an_ellipsis(pdf):
    text = page_text(pdf)
    assert "Řetízek Dvořák – stříbrný" in text
    assert "na štítek" not in text
    assert "…" in text


def test_many_items_end_with_a_count_of_the_rest():
    label = LabelData(**{**LABEL.__dict__, "item_titles": tuple(f"Artikel {n}" for n in range(1, 31))})
    text = page_text(render_label_pdf(label))
    assert "Artikel 1" in text
    assert "Artikel 30" not in text
    assert "weitere / more" in text


def test_dropoff_qr_decodes_to_the_prefixed_return_number():
    png = qr_png(dropoff_code("R2611250042"))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    codes = zxingcpp.read_barcodes(image)
    assert [(code.format, code.text) for code in codes] == [(zxingcpp.BarcodeFormat.QRCode, "RETURN:R2611250042")]
