#!/usr/bin/python3
"""report_doc_check — read back what `ccn report` wrote for people: the report
document with python-docx, the workbook with openpyxl, and hold them against
the CSVs of the same run (the machine figures) and against Decree 30/2020's
layout. Prints one line per failed check and "N passed, M failed".

usage: report_doc_check.py REPORT_DIR OFFICE_CSV ISSUED_YYYY-MM-DD AS_OF_YYYY-MM-DD
"""
import csv
import datetime
import re
import sys

import docx
import openpyxl
from docx.shared import Mm

rep, office_csv, issued, as_of = sys.argv[1:5]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def rows(name):
    with open(f"{rep}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def vn(x, decimals):
    """A figure in Vietnamese notation: 1.234,56 (worked out here, not by ccn)."""
    s = f"{abs(float(x)):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("-" if float(x) < 0 and s.strip("0,.") else "") + s


office = {r["key"]: r["value"] for r in csv.DictReader(open(office_csv, encoding="utf-8"))}

# English words that the workbook and the document carried before issue 12
# (values, headers, messages); none may remain in what a person reads.
ENGLISH = ["none", "existing clusters", "new clusters", "district", "cluster area",
           "surveyed boundary", "lease register", "both figures above", "either figure above",
           "may be expanded", "occupancy", "service lots", "passes", "basis", "figure", "test",
           "error", "warning", "industrial", "service", "green", "road", "utility", "existing",
           "new_cluster", "expansion", "size", "services", "gap_m2", "gap_lots", "true", "false",
           "plan zone", "lot", "parcel", "overlap", "covers", "boundary", "marker", "sliver",
           "tolerance", "planned", "leased", "unleased", "and", "the", "of", "is",
           "INVALID_GEOMETRY", "PROTECTED_LAND", "AREA_DEVIATION", "clusters", "lots", "parcels",
           "markers", "Q1", "Q2", "Q3", "Q4"]
english_re = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.I)


def english_in(text):
    m = english_re.search(text)
    return m.group(0) if m else None


# ---- the document --------------------------------------------------------------
d = docx.Document(f"{rep}/bao_cao.docx")
paras = [p.text for p in d.paragraphs]
cells = []


def walk(tables):
    for t in tables:
        for row in t.rows:
            for c in row.cells:
                cells.append(c.text)
                walk(c.tables)


walk(d.tables)
# A figure keeps its unit, and a comparison its figure, on the same line: a
# no-break space between them (the old build broke "(4,5" / "%).", "≤" / "75").
loose = sorted({m.group(0) for t in paras + cells
                for m in re.finditer(r"\d (%|ha\b|m²|m\b)|[≤≥<>] \d", t)})
check(not loose, f"figures split from their units at a line's end: {loose[:8]}")
# the checks below read the text as the CSVs write it, with plain spaces
paras = [t.replace("\u00a0", " ") for t in paras]
cells = [t.replace("\u00a0", " ") for t in cells]
text = "\n".join(paras + cells)

sec = d.sections[0]
check(abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1), "A4")
check(Mm(30) - Mm(0.5) <= sec.left_margin <= Mm(35) + Mm(0.5), "left margin 30-35 mm")
check(Mm(15) - Mm(0.5) <= sec.right_margin <= Mm(20) + Mm(0.5), "right margin 15-20 mm")
check(Mm(20) - Mm(0.5) <= sec.top_margin <= Mm(25) + Mm(0.5), "top margin 20-25 mm")
check(Mm(20) - Mm(0.5) <= sec.bottom_margin <= Mm(25) + Mm(0.5), "bottom margin 20-25 mm")
normal = d.styles["Normal"].font
check(normal.name == "Times New Roman", f"font {normal.name}")
check(normal.size is not None and 13 <= normal.size.pt <= 14, "body 13-14 pt")

# the head: issuing body left, national name and motto right (a 2-column table)
head = d.tables[0]
left, right = head.rows[0].cells[0].text, head.rows[0].cells[1].text
check(office["issuer"] in left and office["issuer_parent"] in left, "issuing body top left")
check(f"Số: ......../BC-{office['issuer_abbr']}" in left, "number/symbol left blank")
check("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right, "national name top right")
check("Độc lập - Tự do - Hạnh phúc" in right, "motto top right")
# Decree 30's lines under the issuing body (1/3 to 1/2 of its name) and under
# the motto (as long as the motto, 60 mm in Times New Roman Bold 14): a
# paragraph border, not an underline, which would cross the dot of "ạ".
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def rule_below(cell, text):
    """The length in mm of the bordered empty paragraph right after the one
    reading text in cell (the cell's width less its indents), or None."""
    ps = cell.paragraphs
    at = next((i for i, p in enumerate(ps) if p.text == text), None)
    if at is None or at + 1 >= len(ps) or ps[at + 1].text:
        return None
    ppr = ps[at + 1]._p.pPr
    bottom = ppr.find(f"{W}pBdr/{W}bottom") if ppr is not None else None
    if bottom is None or bottom.get(f"{W}val") != "single":
        return None
    ind = ppr.find(f"{W}ind")
    side = [int(ind.get(f"{W}{k}", 0)) if ind is not None else 0 for k in ("left", "right")]
    width = int(cell._tc.tcPr.find(f"{W}tcW").get(f"{W}w"))
    return (width - sum(side)) * 25.4 / 1440 - 2  # less the cell margins, 1 mm a side


motto_rule = rule_below(head.rows[0].cells[1], "Độc lập - Tự do - Hạnh phúc")
check(motto_rule is not None and 55 <= motto_rule <= 65, f"line under the motto: {motto_rule} mm")
check(not any(r.underline for c in head.rows[0].cells for p in c.paragraphs for r in p.runs),
      "no underlined text in the head (an underline hides the dot of 'ạ')")
name_mm = len(office["issuer"]) * 0.7 * 13 * 25.4 / 72  # 0.7 em a capital at 13 pt
issuer_rule = rule_below(head.rows[0].cells[0], office["issuer"])
check(issuer_rule is not None and name_mm / 3 - 1 <= issuer_rule <= name_mm / 2 + 1,
      f"line under the issuing body: {issuer_rule} mm of a {name_mm:.0f} mm name")
y, m, dd = (int(v) for v in issued.split("-"))
# Decree 30: a day below 10, and the months 1 and 2, take a leading zero
month = f"{m:02d}" if m <= 2 else str(m)
line = f"{office['place']}, ngày {dd:02d} tháng {month} năm {y}"
check(line in right, f"date line '{line}'")
date_para = [p for c in head.rows[0].cells for p in c.paragraphs if p.text == line]
check(date_para and all(r.italic for r in date_para[0].runs), "date line in italics")
check("BÁO CÁO" in paras, "kind of document")
y2, m2, d2 = as_of.split("-")
check(any("Tình hình các cụm công nghiệp trên địa bàn huyện Triệu Sơn cũ" in p for p in paras),
      "subject names the former district (after 1 July 2025)")
check(any(f"số liệu đến ngày {d2}/{m2}/{y2}" in p for p in paras), "subject dates the figures")

sections = ["1. Kiểm tra ranh giới", "2. Diện tích các cụm công nghiệp so với quy hoạch",
            "3. Sự phù hợp với quy hoạch sử dụng đất", "4. Giải phóng mặt bằng",
            "5. Tỷ lệ lấp đầy so với mục tiêu", "6. Đối chiếu các tiêu chí của Nghị định 32/2024"]
pos = [next((i for i, p in enumerate(paras) if p.startswith(s)), -1) for s in sections]
check(all(p >= 0 for p in pos) and pos == sorted(pos), f"six sections in order {pos}")

# the signature block and the recipients
check("Nơi nhận:" in text, "recipients")
# "Nơi nhận:" level with the signer's authority: the letter's blocks are cells
# aligned at the top (the old build centred them: "Nơi nhận:" sat a line lower)
sign = next((t for t in d.tables if "Nơi nhận:" in t.rows[0].cells[0].text), None)
valign = [c._tc.tcPr.find(f"{W}vAlign") for c in sign.rows[0].cells] if sign else []
check(sign and all(v is None or v.get(f"{W}val") == "top" for v in valign),
      "recipients and signature aligned at the top of their cells")
check(f"- {office['recipient_1']};" in text, "first recipient")
check(office["signer_title"] in text and office["signer_name"] in text, "signature block")

# the figures are the CSVs'
findings = rows("findings.csv")
errors = sum(1 for f in findings if f["severity"] == "error")
check(f"phát hiện {errors} lỗi và {len(findings) - errors} cảnh báo" in text, "finding counts")
for f in findings:
    if f["severity"] == "error":
        check(f["message_vi"] in cells, f"error listed: {f['message_vi'][:50]}")
for a in rows("areas.csv"):
    check(vn(a["area_ha"], 2) in cells, f"area of {a['code']} {vn(a['area_ha'], 2)} ha")
    check(vn(a["planned_ha"], 2) in cells, f"planned area of {a['code']}")
occ = rows("occupancy.csv")
for o in occ:
    if o["occupancy_pct"]:
        check(vn(o["occupancy_pct"], 1) in cells, f"occupancy of {o['cluster']}")
met = sum(1 for o in occ if o["target_met"] == "true")
with_target = sum(1 for o in occ if o["target_met"] in ("true", "false"))
check(f"{met} trên {with_target} cụm có đất công nghiệp đạt mục tiêu" in text, "clusters meeting")
totals = [r for r in rows("parcels_totals.csv") if r["landuse"] == "*"]
check(vn(sum(float(r["affected_m2"]) for r in totals) / 1e4, 2) + " ha" in text,
      "area to clear")
for r in rows("decree32.csv"):
    if r["value"] and r["unit"] == "ha":
        check(vn(r["value"], 2) + " ha" in cells, f"decree figure {r['value']} ha")
    if r["detail_vi"]:
        check(r["detail_vi"] in cells, f"decree detail {r['detail_vi'][:40]}")
for o in rows("overlay.csv"):
    if o["protected"] == "true":
        check(f"cụm {o['cluster']} chiếm {vn(float(o['area_m2']) / 1e4, 2)} ha đất "
              f"{o['plan_code']}" in text, "protected land named")

# the chart and the maps are embedded
images = [r for r in d.part.rels.values() if "image" in r.reltype]
clusters_with_maps = len(rows("areas.csv"))  # every sample cluster has a boundary
check(len(images) == 1 + 1 + clusters_with_maps, f"{len(images)} images: chart, district, clusters")

# the annex: A4 landscape pages, the maps larger than a portrait page allows
# (165 mm, the old build's two maps a page) and each within its page's height
annex = d.sections[-1]
check(len(d.sections) == 2 and abs(annex.page_width - Mm(297)) < Mm(1)
      and abs(annex.page_height - Mm(210)) < Mm(1), "the annex of maps on A4 landscape pages")
room = annex.page_height - annex.top_margin - annex.bottom_margin
maps = list(d.inline_shapes)[1:]  # the chart first
check(maps and all(Mm(190) <= m.width and m.height < room for m in maps),
      f"maps {[round(m.width.mm) for m in maps]} mm wide, {[round(m.height.mm) for m in maps]} high,"
      f" within {room / 36000:.0f} mm")

# each map's caption names it once as a cluster or as an industrial park
# (the park's name says "Khu công nghiệp" itself; the old build wrote
# "Cụm công nghiệp Khu công nghiệp ...")
captions = [p for p in paras if re.match(r"Hình \d+\. ", p)]
check(len(captions) == 1 + clusters_with_maps, f"{len(captions)} map captions")
check(not [c for c in captions if re.search(r"(Cụm|Khu) công nghiệp (Cụm|Khu) công nghiệp", c)],
      f"a cluster's kind said twice: {captions}")
check(any("Hình" in c and "Khu công nghiệp phía Tây Thanh Hóa" in c for c in captions),
      "the industrial park's map captioned by its name")

bad_words = sorted({english_in(t) for t in paras + cells if english_in(t)})
check(not bad_words, f"English in the document: {bad_words}")

# ---- the workbook -------------------------------------------------------------
wb = openpyxl.load_workbook(f"{rep}/bao_cao.xlsx")
wbv = openpyxl.load_workbook(f"{rep}/bao_cao.xlsx", data_only=True)
for ws in wb.worksheets:
    check(ws["A1"].value == office["issuer"], f"{ws.title}: issuer")
    check(ws["A3"].value == f"Số liệu tính đến ngày {d2}/{m2}/{y2}", f"{ws.title}: date")
    check(ws.freeze_panes == "A6", f"{ws.title}: frozen header {ws.freeze_panes}")
    check(ws.page_setup.orientation == "landscape", f"{ws.title}: landscape")
    check(str(ws.page_setup.paperSize) == "9", f"{ws.title}: A4")
    # fitToWidth left out means 1 (ECMA-376 §18.3.1.64)
    check(ws.sheet_properties.pageSetUpPr.fitToPage
          and ws.page_setup.fitToWidth in (None, 1, "1") and ws.page_setup.fitToHeight in (0, "0"),
          f"{ws.title}: one page wide")
    check(ws.print_title_rows in ("5:5", "$5:$5"),
          f"{ws.title}: header repeated {ws.print_title_rows}")
    check("&P" in (ws.oddFooter.center.text or ""), f"{ws.title}: page numbers")
    words = sorted({english_in(str(c.value)) for row in ws.iter_rows() for c in row
                    if isinstance(c.value, str) and not c.value.startswith("=")
                    and english_in(c.value)})
    check(not words, f"{ws.title}: English {words}")


def header_col(ws, header):
    for c in ws[5]:
        if c.value == header:
            return c.column
    return None


ws, wsv = wb["Diện tích"], wbv["Diện tích"]
areas = rows("areas.csv")
cha, chm, cdev = (header_col(ws, h) for h in ("Diện tích (ha)", "Diện tích (m²)",
                                              "Chênh lệch (%)"))
check(cha and chm and cdev, "areas headers with units")
if cha and chm and cdev:
    for i, a in enumerate(areas):
        c = ws.cell(6 + i, cha)
        check(abs(c.value - float(a["area_ha"])) < 5e-5 and c.number_format == "#,##0.00",
              f"area_ha {a['code']} {c.value} {c.number_format}")
        c = ws.cell(6 + i, chm)
        check(abs(c.value - float(a["area_m2"])) < 5e-4 and c.number_format == "#,##0.0",
              f"area_m2 {a['code']} {c.number_format}")
        check(ws.cell(6 + i, cdev).number_format == "#,##0.0", "deviation_pct 1 decimal")
    last = 6 + len(areas)
    check(ws.cell(last, 1).value == "Tổng cộng", "areas totals row")
    check(str(ws.cell(last, cha).value).startswith("=SUBTOTAL(9,"), "totals as formulas")
    check(abs(wsv.cell(last, cha).value - sum(float(a["area_ha"]) for a in areas)) < 1e-3,
          "areas total = sum of areas.csv")
ws = wb["Lấp đầy theo lô"]
cstart = header_col(ws, "Ngày bắt đầu thuê")
dated = [r for r in ws.iter_rows(min_row=6, min_col=cstart, max_col=cstart)
         if isinstance(r[0].value, datetime.datetime)]
check(dated and all(r[0].number_format == "dd/mm/yyyy" for r in dated), "dates shown dd/mm/yyyy")
lots = rows("occupancy_by_lot.csv")
first = next(x for x in lots if x["lease_start"])
row6 = [c.value for c in ws[6 + lots.index(first)]]
check(datetime.datetime.fromisoformat(first["lease_start"]) in row6, "a lease date is a date")
ws = wb["Nghị định 32-2024"]
heads = [c.value for c in ws[5]]
check("Tiêu chí" in heads and "Diễn giải" in heads and "Kết quả" in heads, f"decree headers {heads}")
check(ws.cell(6, 1).value == "Quy mô", "decree test in Vietnamese")
ws = wb["Lấp đầy theo cụm"]
check(ws.max_row == 5 + len(occ) + 1, "occupancy sheet: a row per cluster and a totals row")
pct = header_col(ws, "Tỷ lệ lấp đầy (%)")
check(pct and ws.cell(6, pct).number_format == "#,##0.0", "occupancy % 1 decimal")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
