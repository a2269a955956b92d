#!/usr/bin/env python3
"""Checks a slareport `report.xlsx` the way a spreadsheet reader sees it, and prints what it shows as JSON.

    python3 scripts/xlsx_check.py report.xlsx

Asserts what must hold for any report (sheet order, frozen bold headers, autofilters, column widths,
typed cells, no user text as a formula, totals that add up, fixed zip times); prints every data sheet's
cells as the text they show (`150.00 USD`, `99.5000`, `2026-10-01T00:00:00Z`) so a test can compare them
with the report. Needs openpyxl.
"""
import datetime
import decimal
import json
import re
import sys
import zipfile

import openpyxl

SHEETS = ["Summary", "Uptime", "Violations", "Incidents", "Credits", "Escrow", "Budgets"]
DATA_SHEETS = SHEETS[1:]
MONEY_FORMAT = re.compile(r'^#,##0(\.0+)? "([A-Z0-9]+)"$')
SUM_FORMULA = re.compile(r"^=SUM\(([A-Z]+)2:\1(\d+)\)$")


def decimals(number_format):
    """Digits after the point of a `#,##0.00`-style format."""
    match = re.search(r"\.(0+)", number_format)
    return len(match.group(1)) if match else 0


def shown(cell, value):
    """The cell's value as text, the way its number format shows it (without grouping)."""
    fmt = cell.number_format
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if fmt == "yyyy-mm-dd":
            return value.date().isoformat()
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        if value.microsecond:
            text += ".%03d" % (value.microsecond // 1000)
        return text + "Z"
    if isinstance(value, str):
        return value
    money = MONEY_FORMAT.match(fmt)
    number = f"{value:.{decimals(fmt)}f}"
    if fmt in ("#,##0", "0"):
        assert float(value).is_integer(), f"{cell.coordinate}: integer cell holds {value}"
    return f"{number} {money.group(2)}" if money else number


def check_cell(sheet, cell, header):
    where = f"{sheet}!{cell.coordinate}"
    if cell.data_type == "f":
        assert SUM_FORMULA.match(cell.value), f"{where}: unexpected formula {cell.value!r}"
    if isinstance(cell.value, str) and cell.data_type != "f":
        assert cell.data_type == "s", f"{where}: text stored as {cell.data_type}"
    if header.endswith("(UTC)") and cell.value is not None:
        assert cell.is_date and isinstance(cell.value, datetime.datetime), f"{where}: not a date: {cell.value!r}"
        assert cell.number_format == "yyyy-mm-dd hh:mm:ss", f"{where}: date format {cell.number_format!r}"
    if header.endswith("%") and cell.value is not None:
        assert isinstance(cell.value, (int, float)) and cell.number_format == "0.0000", f"{where}: percent {cell.value!r}"


def check_table(name, ws, cached):
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2", f"{name}: header not frozen ({ws.freeze_panes})"
    assert all(c.font.b for c in ws[1]), f"{name}: header not bold"
    rows = list(ws.iter_rows(min_row=2))
    total_row = rows[-1] if rows and rows[-1][0].value == "Total" else None
    data = rows[:-1] if total_row else rows
    last = openpyxl.utils.get_column_letter(len(header))
    assert ws.auto_filter.ref == f"A1:{last}{len(data) + 1}", f"{name}: autofilter {ws.auto_filter.ref}"
    for i, title in enumerate(header):
        letter = openpyxl.utils.get_column_letter(i + 1)
        width = ws.column_dimensions[letter].width
        assert width and width >= len(title) + 2, f"{name}!{letter}: width {width} cuts off {title!r}"
    out = {"header": header, "rows": [], "totals": None, "formulas": {}}
    for row in data:
        for cell, title in zip(row, header):
            check_cell(name, cell, title)
            assert cell.data_type != "f", f"{name}!{cell.coordinate}: formula in a data row"
            if MONEY_FORMAT.match(cell.number_format) and "Currency" in header:
                currency = row[header.index("Currency")].value
                assert cell.number_format.endswith(f'"{currency}"'), f"{name}!{cell.coordinate}: {cell.number_format}"
        out["rows"].append([shown(c, c.value) for c in row])
    if total_row:
        out["totals"] = []
        for cell, title in zip(total_row, header):
            check_cell(name, cell, title)
            value = cached[name][cell.coordinate].value
            if cell.data_type == "f":
                out["formulas"][cell.coordinate] = cell.value
                column = cell.column - 1
                lines = sum(decimal.Decimal(r[column].split(" ")[0] or "0") for r in out["rows"])
                total = decimal.Decimal(shown(cell, value).split(" ")[0])
                assert total == lines, f"{name}!{cell.coordinate}: total {total} != sum of lines {lines}"
            out["totals"].append(shown(cell, value))
    return out


def main(path):
    with zipfile.ZipFile(path) as z:
        zip_times = sorted({"%04d-%02d-%02dT%02d:%02d:%02d" % i.date_time for i in z.infolist()})
        core = z.read("docProps/core.xml").decode()
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    created = re.search(r"<dcterms:created[^>]*>([^<]+)<", core).group(1)
    book = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    assert book.sheetnames == SHEETS, book.sheetnames
    summary = {}
    ws = book["Summary"]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"Summary!{cell.coordinate}: formula"
        if row[0].value and len(row) > 1 and row[1].value is not None:
            summary.setdefault(row[0].value, shown(row[1], row[1].value))
    report = {
        "sheets": book.sheetnames, "created": created, "zip_times": zip_times, "charts": len(charts),
        "summary": summary, "summary_cells": [[shown(c, c.value) for c in row] for row in ws.iter_rows()],
        "tables": {name: check_table(name, book[name], cached) for name in DATA_SHEETS},
    }
    json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
