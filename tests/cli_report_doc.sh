#!/usr/bin/env bash
# The report document and the workbook as the office reads them (issue 12):
# `ccn report` on the bundled sample layers writes bao_cao.docx, converted
# to PDF by LibreOffice without error; python-docx and openpyxl read both
# back and hold them against the CSVs of the same run and Decree 30's layout
# (tests/report_doc_check.py). Without LibreOffice the report still succeeds.
source "$(dirname "$0")/lib.sh"
ws=$(sample_ws ws)

# The issuing office is data: gis/office.csv, loaded by init.
expect_eq "$(sql "$ws" "SELECT value FROM ccn_meta WHERE key = 'issuer'")" \
    "$(awk -F, '$1 == "issuer" { print $2 }' "$ROOT/gis/office.csv")"

rep=$TMP/report
issued=$(date +%F)  # the office's day (TZ), as ccn dates the report
start=$(date +%s)
run "$CCN" report "$ws" "$rep" --as-of 2025-12-31 -q
echo "ccn report with the PDF: $(( $(date +%s) - start )) s" >&2
expect_rc 0
expect_out "report document: bao_cao.docx, bao_cao.pdf"
[ -s "$rep/bao_cao.docx" ] && [ -s "$rep/bao_cao.pdf" ] && ok || bad "no document or PDF"
[ -s "$rep/maps/lap_day_theo_quy.png" ] && ok || bad "no quarterly chart"
run pdfinfo "$rep/bao_cao.pdf"
expect_rc 0
expect_out "Page size:       595.3"          # A4 portrait: 210 x 297 mm = 595.3 x 841.9 pt
# Set in Times New Roman as the decree asks, or its metric twin Liberation
# Serif (fonts-liberation2, scripts/setup.sh): the old set-up's PDF was in
# Noto Serif (wider: 14 pages, not 11), with DejaVu Serif for some glyphs.
fonts=$(pdffonts "$rep/bao_cao.pdf" | awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); print $1 }' | sort -u)
[ -n "$fonts" ] && ! grep -qvE '^(LiberationSerif|TimesNewRoman)' <<<"$fonts" && ok ||
    bad "PDF fonts: ${fonts//$'\n'/ }"
run pdftotext "$rep/bao_cao.pdf" -
expect_out "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
expect_out "Độc lập - Tự do - Hạnh phúc"
expect_out "6. Đối chiếu các tiêu chí của Nghị định 32/2024/NĐ-CP"
expect_out "Nơi nhận:"
# Page numbers as Decree 30 puts them: in the top margin from page 2 on (the
# first line of page 2 is "2", of the last page its number), none on page 1.
pages=$(pdfinfo "$rep/bao_cao.pdf" | awk '/^Pages:/ { print $2 }')
first_line() { pdftotext -f "$1" -l "$1" "$rep/bao_cao.pdf" - | awk 'NF { print $1; exit }'; }
[ "${pages:-0}" -ge 3 ] && [ "$(first_line 2)" = 2 ] && [ "$(first_line "$pages")" = "$pages" ] &&
    [ "$(first_line 1)" != 1 ] && ok || bad "page numbers: $pages pages, '$(first_line 1)' '$(first_line 2)'"

# The document and the workbook read back (a day that is this run's day,
# in case the clock passed midnight during the run: the check takes both).
run /usr/bin/python3 "$ROOT/tests/report_doc_check.py" "$rep" "$ROOT/gis/office.csv" "$issued" \
    2025-12-31
[ "$rc" = 0 ] || run /usr/bin/python3 "$ROOT/tests/report_doc_check.py" "$rep" \
    "$ROOT/gis/office.csv" "$(date +%F)" 2025-12-31
expect_rc 0
expect_out " 0 failed"

# The findings layer carries the Vietnamese message too (for QGIS and the portal).
run /usr/bin/python3 -c '
import csv, json, sys
vi = sorted(r["message_vi"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")))
gj = sorted(f["properties"]["message_vi"] for f in json.load(open(sys.argv[2]))["features"])
print("same" if vi == gj and vi else "differ")' "$rep/findings.csv" "$rep/findings.geojson"
expect_out "same"

# Before 1 July 2025 the district still existed: the subject names it so.
run "$CCN" report "$ws" "$TMP/early" --as-of 2025-03-31 -q --no-pdf
expect_rc 0
expect_out "bao_cao.docx (no PDF: --no-pdf)"
[ ! -e "$TMP/early/bao_cao.pdf" ] && ok || bad "--no-pdf made a PDF"
run /usr/bin/python3 -c "import docx, sys; print('\n'.join(p.text for p in docx.Document(sys.argv[1]).paragraphs))" \
    "$TMP/early/bao_cao.docx"
expect_out "Tình hình các cụm công nghiệp trên địa bàn huyện Triệu Sơn"
expect_out "(số liệu đến ngày 31/03/2025)"
grep -q "Triệu Sơn cũ" <<<"$out" && bad "a district before July 2025 called former" || ok

# No LibreOffice on PATH: the report succeeds without the PDF and says so.
run env PATH=/nonexistent "$CCN" report "$ws" "$TMP/nolo" --as-of 2025-12-31 -q
expect_rc 0
expect_err "bao_cao.pdf not made: LibreOffice (soffice) is not installed"
expect_out "no PDF: LibreOffice is not installed"
[ -s "$TMP/nolo/bao_cao.docx" ] && [ ! -e "$TMP/nolo/bao_cao.pdf" ] && ok || bad "without soffice"
finish
