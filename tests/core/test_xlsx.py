"""The one way a workbook is sent: safe cells, a bold header, a Chinese filename, no caching."""

import io

from openpyxl import load_workbook

from xieshang.core.files import XLSX, excel_safe, xlsx_bytes, xlsx_response


def test_excel_safe_leaves_ordinary_values_alone_and_neutralises_formulas():
    assert excel_safe("张三") == "张三" and excel_safe(12) == 12 and excel_safe(None) is None
    assert excel_safe("=1") == "'=1" and excel_safe("-2") == "'-2" and excel_safe("@x") == "'@x"
    assert excel_safe("a\x07b") == "ab"


def test_rows_are_written_safe_under_a_bold_header():
    data = xlsx_bytes([["标题", "数"], ["=HYPERLINK(\"http://evil\")", 3], ["a\x1bb", None]],
                      title="很长的工作表名" * 10, widths=(40, 8))
    ws = load_workbook(io.BytesIO(data)).active
    assert list(ws.values) == [("标题", "数"), ("'=HYPERLINK(\"http://evil\")", 3), ("ab", None)]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws.title == ("很长的工作表名" * 10)[:31]
    assert ws.column_dimensions["A"].width == 40


def test_response_is_an_uncached_attachment_with_the_chinese_filename():
    response = xlsx_response([["甲"]], filename="委员名册.xlsx")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E5%A7%94%E5%91%98" in response["Content-Disposition"]  # 委员, RFC 5987 encoded
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "甲"


def test_response_sends_a_workbook_built_elsewhere_unchanged():
    data = xlsx_bytes([["乙"]])
    assert xlsx_response(data, filename="x.xlsx").content == data
