/* xlsx — report tables as an XLSX workbook (libxlsxwriter).
 *
 * Each sheet is planned before it is written: its output columns (the
 * table's, plus an "(ha)" column after each area in m² that has no hectare
 * twin), their Vietnamese headers and their widths. Then the workbook is
 * written row by row in libxlsxwriter's constant-memory mode, so a 300,000-row
 * parcel overlay costs one row of memory on top of the table itself. */
#include "xlsx.h"

#include "date.h"
#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

enum {
    MAX_DECIMALS = 12,
    HA_DECIMALS = 2, /* how figures are shown (the issue 12 rule); cells hold them whole */
    M2_DECIMALS = 1,
    PCT_DECIMALS = 1,
    TITLE_ROWS = 4,             /* issuing body, title, date of the figures, a blank */
    MAX_ROWS = LXW_ROW_MAX - TITLE_ROWS - 2, /* the header and a totals row */
    MAX_TEXT = 32767,           /* Excel's limit for a cell, in characters */
    MIN_WIDTH = 6,
    HEADER_WIDTH = 16, /* a header longer than this wraps, unless the content is wider */
    MAX_WIDTH = 60,
};

/* DESIGN §8's column names and the headers the office reads. */
static const struct {
    const char *column, *header;
} headers[] = {
    {"affected_m2", "Diện tích thu hồi (m²)"},
    {"affected_pct", "Tỷ lệ thu hồi (%)"},
    {"area_ha", "Diện tích (ha)"},
    {"area_legal", "Diện tích pháp lý (m²)"},
    {"area_legal_m2", "Diện tích theo hồ sơ (m²)"},
    {"area_m2", "Diện tích (m²)"},
    {"as_of", "Ngày số liệu"},
    {"basis", "Căn cứ số liệu"},
    {"cluster", "Cụm CN"},
    {"clusters", "Số cụm"},
    {"clusters_meeting_target", "Số cụm đạt mục tiêu"},
    {"code", "Mã"},
    {"commune", "Mã xã"},
    {"conforming", "Phù hợp quy hoạch"},
    {"date", "Ngày"},
    {"detail_vi", "Diễn giải"},
    {"deviation_pct", "Chênh lệch (%)"},
    {"ellipsoidal_m2", "Diện tích trên elipxoit (m²)"},
    {"expansion_ha", "Diện tích mở rộng (ha)"},
    {"fid", "ID"},
    {"figure", "Chỉ tiêu"},
    {"gap_lots", "Số lô còn thiếu để đạt mục tiêu"},
    {"gap_m2", "Diện tích còn thiếu để đạt mục tiêu (m²)"},
    {"industrial_lots", "Số lô đất công nghiệp"},
    {"landuse", "Loại đất hiện trạng"},
    {"landuse_name", "Tên loại đất"},
    {"layer", "Lớp dữ liệu"},
    {"lease_end", "Ngày kết thúc thuê"},
    {"lease_start", "Ngày bắt đầu thuê"},
    {"leasable_m2", "Diện tích đất CN cho thuê (m²)"},
    {"leased", "Đã cho thuê"},
    {"leased_lots", "Số lô đã cho thuê"},
    {"leased_m2", "Diện tích đã cho thuê (m²)"},
    {"limit", "Ngưỡng quy định"},
    {"lot_no", "Số lô"},
    {"message", "Nội dung (tiếng Anh)"},
    {"message_vi", "Nội dung"},
    {"name", "Tên"},
    {"occupancy_pct", "Tỷ lệ lấp đầy (%)"},
    {"other_fid", "ID liên quan"},
    {"other_layer", "Lớp liên quan"},
    {"owner", "Chủ sử dụng"},
    {"parcel_area_m2", "Diện tích thửa (m²)"},
    {"parcel_id", "Mã thửa"},
    {"parcel_no", "Số thửa"},
    {"parcels", "Số thửa"},
    {"passes", "Kết quả"},
    {"plan_code", "Loại đất quy hoạch"},
    {"plan_name", "Tên loại đất quy hoạch"},
    {"planned_ha", "Diện tích quy hoạch (ha)"},
    {"protected", "Đất cần bảo vệ"},
    {"quarter", "Quý"},
    {"remnant_m2", "Diện tích còn lại (m²)"},
    {"remnant_small", "Phần còn lại nhỏ"},
    {"scope", "Phạm vi"},
    {"severity", "Mức độ"},
    {"share_pct", "Tỷ lệ (%)"},
    {"sheet", "Tờ bản đồ"},
    {"small_remnants", "Số thửa có phần còn lại nhỏ"},
    {"status", "Hiện trạng"},
    {"target_met", "Đạt mục tiêu"},
    {"target_pct", "Mục tiêu lấp đầy (%)"},
    {"tenant", "Bên thuê"},
    {"test", "Tiêu chí"},
    {"typical_lot_m2", "Diện tích lô điển hình (m²)"},
    {"unit", "Đơn vị"},
    {"unleased_m2", "Diện tích chưa cho thuê (m²)"},
    {"use", "Chức năng"},
    {"value", "Giá trị"},
    /* x, y are easting, northing: named so, since a Vietnamese survey's X is the northing */
    {"x", "Tọa độ E (m)"},
    {"y", "Tọa độ N (m)"},
};

/* The closed vocabularies of DESIGN §4 and §7, in Vietnamese; other values pass. */
static const struct {
    const char *column, *value, *vi;
} words[] = {
    {"basis", "both figures above", "cả hai chỉ tiêu trên"},
    {"basis", "either figure above", "một trong hai chỉ tiêu trên"},
    {"basis", "lease register", "sổ theo dõi cho thuê đất"},
    {"basis", "lease register and lots", "sổ cho thuê đất và các lô đất"},
    {"basis", "plan", "quy hoạch"},
    {"basis", "surveyed boundary", "ranh giới đo đạc"},
    {"basis", "surveyed boundary and lots", "ranh giới đo đạc và các lô đất"},
    {"code", "AREA_DEVIATION", "Diện tích sai lệch"},
    {"code", "AREA_LEGAL_MISMATCH", "Diện tích khác hồ sơ"},
    {"code", "CLUSTER_OVERLAP", "Cụm chồng lấn"},
    {"code", "DUPLICATE_ID", "Trùng mã"},
    {"code", "EMPTY_GEOMETRY", "Không có hình học"},
    {"code", "INVALID_GEOMETRY", "Hình học không hợp lệ"},
    {"code", "LOT_OUTSIDE_CLUSTER", "Lô nằm ngoài cụm"},
    {"code", "LOT_OVERLAP", "Lô chồng lấn"},
    {"code", "LOT_WRONG_CLUSTER", "Lô thuộc cụm khác"},
    {"code", "MARKER_MISMATCH", "Mốc giới lệch"},
    {"code", "NOT_POLYGON", "Không phải vùng"},
    {"code", "PARCEL_GAP", "Khe hở giữa các thửa"},
    {"code", "PARCEL_OVERLAP", "Thửa chồng lấn"},
    {"code", "PROTECTED_LAND", "Chiếm đất cần bảo vệ"},
    {"code", "SLIVER", "Mảnh vụn"},
    {"figure", "area after expansion", "diện tích sau mở rộng"},
    {"figure", "average occupancy of the existing clusters",
     "tỷ lệ lấp đầy bình quân các cụm hiện có"},
    {"figure", "cluster area", "diện tích cụm"},
    {"figure", "may a new cluster be set up", "được thành lập cụm mới"},
    {"figure", "may be expanded", "được mở rộng"},
    {"figure", "occupancy", "tỷ lệ lấp đầy"},
    {"figure", "service lots / cluster area", "đất dịch vụ / diện tích cụm"},
    {"figure", "unleased industrial land of the existing clusters",
     "đất công nghiệp chưa cho thuê của các cụm hiện có"},
    {"landuse", "*", "Cộng"},
    {"layer", "clusters", "cụm công nghiệp"},
    {"layer", "communes", "xã"},
    {"layer", "lots", "lô đất"},
    {"layer", "markers", "mốc giới"},
    {"layer", "parcels", "thửa đất"},
    {"layer", "plan", "quy hoạch"},
    {"other_layer", "clusters", "cụm công nghiệp"},
    {"other_layer", "lots", "lô đất"},
    {"other_layer", "markers", "mốc giới"},
    {"other_layer", "parcels", "thửa đất"},
    {"other_layer", "plan", "quy hoạch"},
    {"scope", "district", "toàn huyện"},
    {"scope", "existing clusters", "các cụm hiện có"},
    {"scope", "new clusters", "các cụm thành lập mới"},
    {"severity", "error", "lỗi"},
    {"severity", "warning", "cảnh báo"},
    {"status", "existing", "hiện có"},
    {"status", "new", "thành lập mới"},
    {"status", "reserve", "dự trữ"},
    {"test", "expansion", "Mở rộng cụm"},
    {"test", "new_cluster", "Thành lập cụm mới"},
    {"test", "services", "Đất dịch vụ"},
    {"test", "size", "Quy mô"},
    {"use", "green", "cây xanh"},
    {"use", "industrial", "công nghiệp"},
    {"use", "none", "chưa phân lô"},
    {"use", "road", "giao thông"},
    {"use", "service", "dịch vụ"},
    {"use", "utility", "hạ tầng kỹ thuật"},
};

/* Yes / no, worded for the column. */
static const char *yes_no(const char *column, bool v)
{
    if (strcmp(column, "passes") == 0 || strcmp(column, "target_met") == 0)
        return v ? "đạt" : "không đạt";
    return v ? "có" : "không";
}

const char *ccn_xlsx_header(const char *column)
{
    for (size_t i = 0; i < sizeof headers / sizeof *headers; i++)
        if (strcmp(headers[i].column, column) == 0)
            return headers[i].header;
    return column;
}

/* A value as the office reads it: the closed vocabularies in Vietnamese, a
 * quarter "2021-Q1" as "Quý I/2021", a limit "> 10 and <= 75" as "> 10 và ≤ 75";
 * buf holds what is made here. */
static const char *translate(const char *column, const char *value, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(words[i].column, column) == 0 && strcmp(words[i].value, value) == 0)
            return words[i].vi;
    static const char *const roman[] = {"I", "II", "III", "IV"};
    if (strcmp(column, "quarter") == 0 && strlen(value) == 7 && value[4] == '-' &&
        value[5] == 'Q' && value[6] >= '1' && value[6] <= '4') {
        snprintf(buf, size, "Quý %s/%.4s", roman[value[6] - '1'], value);
        return buf;
    }
    if (strcmp(column, "limit") == 0) {
        size_t k = 0;
        for (const char *p = value; *p && k + 8 < size; p++) {
            if (strncmp(p, " and ", 5) == 0) {
                k += (size_t)snprintf(buf + k, size - k, " và ");
                p += 4;
            } else if (strncmp(p, "<=", 2) == 0 || strncmp(p, ">=", 2) == 0) {
                k += (size_t)snprintf(buf + k, size - k, "%s", *p == '<' ? "≤" : "≥");
                p++;
            } else {
                buf[k++] = *p;
            }
        }
        buf[k] = '\0';
        return buf;
    }
    return value;
}

const char *ccn_xlsx_value(const char *column, const char *value, char *buf, size_t size)
{
    return translate(column, value, buf, size);
}

/* Code points of UTF-8 text: what a column's width is counted in. */
static int codepoints(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* One output column: a table column, or the hectare figure of one. */
typedef struct {
    int src;      /* column of the table */
    bool ha;      /* m² / 10⁴ of src */
    char *header; /* owned */
    double width; /* in Excel character units */
} out_col;

typedef struct {
    out_col *cols;
    int n;
    int header_lines; /* the header row's height, in lines of text */
    int unit;         /* the table's "unit" column (a value's unit), or -1 */
} plan;

/* Width a header needs on one line: bold text is about 10 % wider, and the
 * autofilter's button takes about 2 characters. */
static double header_width(const char *header) { return codepoints(header) * 1.1 + 3; }

static void plan_free(plan *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->cols[i].header);
    free(p->cols);
    p->cols = NULL;
    p->n = 0;
}

/* "Diện tích (m²)" -> "Diện tích (ha)"; an unknown X_m2 -> "X_m2 (ha)". */
static char *ha_header(const char *column)
{
    const char *h = ccn_xlsx_header(column);
    const char *m2 = strstr(h, "(m²)");
    size_t n = strlen(h) + 8;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (m2)
        snprintf(s, n, "%.*s(ha)%s", (int)(m2 - h), h, m2 + strlen("(m²)"));
    else
        snprintf(s, n, "%s (ha)", h);
    return s;
}

/* The hectare twin of an X_m2 column is X_ha. */
static bool has_ha_twin(const ccn_table *t, const char *column)
{
    size_t n = strlen(column);
    char twin[128];
    if (n - 2 >= sizeof twin - 2)
        return false;
    snprintf(twin, sizeof twin, "%.*sha", (int)(n - 2), column);
    return ccn_table_col(t, twin) >= 0;
}

/* A number as Excel will show it with grouping ("#,##0.000"): its width. */
static int number_width(double v, int decimals)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    const char *dot = strchr(buf, '.');
    int int_digits = (int)(dot ? dot - buf : (ptrdiff_t)strlen(buf)) - (buf[0] == '-');
    return (int)strlen(buf) + (int_digits > 0 ? (int_digits - 1) / 3 : 0);
}

static int clamp_decimals(int d) { return d < 0 ? 0 : d > MAX_DECIMALS ? MAX_DECIMALS : d; }

/* The decimals a number is shown with (the cell keeps the whole figure):
 * hectares 2, m² 1, percentages 1, a figure in "value" by its unit, any
 * other as the table gives it. */
static int shown_decimals(const ccn_table *t, const plan *p, int64_t r, const out_col *c)
{
    const char *column = ccn_table_column(t, c->src);
    if (c->ha || ends_with(column, "_ha"))
        return HA_DECIMALS;
    if (ends_with(column, "_m2"))
        return M2_DECIMALS;
    if (ends_with(column, "_pct"))
        return PCT_DECIMALS;
    if (strcmp(column, "value") == 0 && p->unit >= 0 &&
        ccn_table_type(t, r, p->unit) == CCN_CELL_TEXT) {
        const char *unit = ccn_table_text(t, r, p->unit);
        if (strcmp(unit, "ha") == 0)
            return HA_DECIMALS;
        if (strcmp(unit, "%") == 0)
            return PCT_DECIMALS;
        if (strcmp(unit, "m²") == 0)
            return M2_DECIMALS;
    }
    return clamp_decimals(ccn_table_decimals(t, r, c->src));
}

static int cell_width(const ccn_table *t, const plan *p, int64_t r, const out_col *c)
{
    const char *column = ccn_table_column(t, c->src);
    char buf[256];
    switch (ccn_table_type(t, r, c->src)) {
    case CCN_CELL_NULL: return 0;
    case CCN_CELL_BOOL: return codepoints(yes_no(column, false));
    case CCN_CELL_INT:
        if (c->ha)
            return number_width(ccn_table_number(t, r, c->src) / 1e4, HA_DECIMALS);
        return snprintf(NULL, 0, "%.0f", ccn_table_number(t, r, c->src)); /* format "0" */
    case CCN_CELL_REAL: {
        double v = ccn_table_number(t, r, c->src);
        return number_width(c->ha ? v / 1e4 : v, shown_decimals(t, p, r, c));
    }
    case CCN_CELL_TEXT: {
        const char *s = ccn_table_text(t, r, c->src);
        if (ccn_date_valid(s))
            return 10;
        return codepoints(translate(column, s, buf, sizeof buf));
    }
    }
    return 0;
}

static bool listed(const char *const *list, const char *column)
{
    for (; list && *list; list++)
        if (strcmp(*list, column) == 0)
            return true;
    return false;
}

static ccn_status plan_sheet(ccn_ctx *ctx, const ccn_xlsx_sheet *sheet, plan *p)
{
    const ccn_table *t = sheet->table;
    int ncols = ccn_table_cols(t);
    p->unit = ccn_table_col(t, "unit");
    p->cols = calloc((size_t)ncols * 2 + 1, sizeof *p->cols);
    if (!p->cols)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (int c = 0; c < ncols; c++) {
        const char *column = ccn_table_column(t, c);
        if (listed(sheet->hide, column))
            continue;
        out_col *o = &p->cols[p->n++];
        o->src = c;
        o->header = strdup(ccn_xlsx_header(column));
        if (!o->header)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        if (ends_with(column, "_m2") && !has_ha_twin(t, column)) {
            o = &p->cols[p->n++];
            o->src = c;
            o->ha = true;
            o->header = ha_header(column);
            if (!o->header)
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        }
    }
    for (int i = 0; i < p->n; i++) {
        out_col *o = &p->cols[i];
        int w = 0;
        for (int64_t r = 0; r < ccn_table_rows(t); r++) {
            int k = cell_width(t, p, r, o);
            if (k > w)
                w = k;
        }
        /* The content sets the width; a long header wraps onto more lines
         * rather than widen a column of short numbers beyond HEADER_WIDTH. */
        double hw = header_width(o->header);
        double width = (double)w + 2;
        if (width < hw)
            width = hw < HEADER_WIDTH ? hw : width > HEADER_WIDTH ? width : HEADER_WIDTH;
        o->width = width < MIN_WIDTH ? MIN_WIDTH : width > MAX_WIDTH ? MAX_WIDTH : width;
        int lines = (int)ceil(hw / o->width);
        if (lines > p->header_lines)
            p->header_lines = lines;
    }
    return CCN_OK;
}

/* The formats of one workbook; libxlsxwriter owns them. [1] is the totals row's. */
typedef struct {
    lxw_format *header, *integer[2], *date, *issuer, *title, *subtitle, *total_label;
    lxw_format *real[2][MAX_DECIMALS + 1];
} formats;

static void make_formats(lxw_workbook *wb, formats *f)
{
    f->issuer = workbook_add_format(wb);
    format_set_bold(f->issuer);
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->subtitle = workbook_add_format(wb);
    format_set_italic(f->subtitle);
    f->total_label = workbook_add_format(wb);
    format_set_bold(f->total_label);
    format_set_top(f->total_label, LXW_BORDER_THIN);
    f->header = workbook_add_format(wb);
    format_set_bold(f->header);
    format_set_bg_color(f->header, 0xDDEBF7);
    format_set_bottom(f->header, LXW_BORDER_THIN);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->header);
    for (int k = 0; k < 2; k++) {
        f->integer[k] = workbook_add_format(wb);
        format_set_num_format(f->integer[k], "0");
    }
    f->date = workbook_add_format(wb);
    format_set_num_format(f->date, "dd/mm/yyyy");
    for (int d = 0; d <= MAX_DECIMALS; d++) {
        char code[32] = "#,##0";
        if (d > 0) {
            size_t k = strlen(code);
            code[k++] = '.';
            for (int i = 0; i < d; i++)
                code[k++] = '0';
            code[k] = '\0';
        }
        for (int k = 0; k < 2; k++) {
            f->real[k][d] = workbook_add_format(wb);
            format_set_num_format(f->real[k][d], code);
        }
    }
    format_set_bold(f->integer[1]);
    format_set_top(f->integer[1], LXW_BORDER_THIN);
    for (int d = 0; d <= MAX_DECIMALS; d++) {
        format_set_bold(f->real[1][d]);
        format_set_top(f->real[1][d], LXW_BORDER_THIN);
    }
}

/* The next code point of UTF-8 text (advancing *s), lower-cased the way
 * Excel compares sheet names, for ASCII and Vietnamese letters: Latin-1,
 * Latin Extended-A (Đ), Ơ, Ư and the Latin Extended Additional block. */
static unsigned next_folded(const unsigned char **s)
{
    const unsigned char *p = *s;
    unsigned c = *p++;
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (more)
        c &= 0x3F >> more;
    for (; more > 0 && (*p & 0xC0) == 0x80; more--)
        c = (c << 6) | (*p++ & 0x3F);
    *s = p;
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 0x20;
    if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) || c == 0x1A0 || c == 0x1AF ||
         (c >= 0x1EA0 && c <= 0x1EF9)) && c % 2 == 0)
        return c + 1;
    if (c == 0x1AF)
        return 0x1B0;
    return c;
}

static bool same_sheet_name(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *q)
        if (next_folded(&p) != next_folded(&q))
            return false;
    return !*p && !*q;
}

/* Excel's rules for a sheet name, checked here so that libxlsxwriter (which
 * would print a warning) never sees a bad one. */
static ccn_status check_sheet_name(ccn_ctx *ctx, const ccn_xlsx_sheet *sheets, size_t i)
{
    const char *name = sheets[i].name;
    if (!name || !*name)
        return ccn_error(ctx, CCN_ERR_INPUT, "sheet %zu has no name", i + 1);
    if (codepoints(name) > LXW_SHEETNAME_MAX)
        return ccn_error(ctx, CCN_ERR_INPUT, "sheet name '%s' is longer than %d characters", name,
                         LXW_SHEETNAME_MAX);
    if (strpbrk(name, "[]:*?/\\") || name[0] == '\'' || name[strlen(name) - 1] == '\'')
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "sheet name '%s' has a character Excel refuses ([]:*?/\\ or an edge ')",
                         name);
    for (size_t j = 0; j < i; j++)
        if (same_sheet_name(sheets[j].name, name))
            return ccn_error(ctx, CCN_ERR_INPUT, "two sheets are named '%s'", name);
    return CCN_OK;
}

/* Cut text to Excel's cell limit at a code-point boundary; buf holds the copy. */
static const char *fit_text(ccn_ctx *ctx, const char *s, char **buf)
{
    if (codepoints(s) <= MAX_TEXT)
        return s;
    size_t k = 0;
    for (int n = 0; s[k]; k++) {
        if (((unsigned char)s[k] & 0xC0) != 0x80 && ++n > MAX_TEXT)
            break;
    }
    free(*buf);
    *buf = strndup(s, k);
    ccn_warn(ctx, "a text of %d characters was cut to Excel's %d", codepoints(s), MAX_TEXT);
    return *buf ? *buf : "";
}

static lxw_error write_cell(ccn_ctx *ctx, lxw_worksheet *ws, const formats *f,
                            const ccn_table *t, const plan *p, int64_t r, const out_col *o,
                            lxw_row_t row, lxw_col_t col, char **scratch)
{
    const char *column = ccn_table_column(t, o->src);
    ccn_cell_type type = ccn_table_type(t, r, o->src);
    if (type == CCN_CELL_NULL)
        return LXW_NO_ERROR;
    if (o->ha) {
        if (type != CCN_CELL_INT && type != CCN_CELL_REAL)
            return LXW_NO_ERROR;
        return worksheet_write_number(ws, row, col, ccn_table_number(t, r, o->src) / 1e4,
                                      f->real[0][HA_DECIMALS]);
    }
    switch (type) {
    case CCN_CELL_BOOL:
        return worksheet_write_string(ws, row, col,
                                      yes_no(column, ccn_table_number(t, r, o->src) != 0), NULL);
    case CCN_CELL_INT:
        return worksheet_write_number(ws, row, col, ccn_table_number(t, r, o->src), f->integer[0]);
    case CCN_CELL_REAL:
        return worksheet_write_number(ws, row, col, ccn_table_number(t, r, o->src),
                                      f->real[0][shown_decimals(t, p, r, o)]);
    case CCN_CELL_TEXT: {
        const char *s = ccn_table_text(t, r, o->src);
        char buf[256];
        if (ccn_date_valid(s) && strncmp(s, "1900", 4) > 0) {
            lxw_datetime dt = {.year = (int)strtol(s, NULL, 10),
                               .month = (int)strtol(s + 5, NULL, 10),
                               .day = (int)strtol(s + 8, NULL, 10)};
            return worksheet_write_datetime(ws, row, col, &dt, f->date);
        }
        return worksheet_write_string(ws, row, col,
                                      fit_text(ctx, translate(column, s, buf, sizeof buf), scratch),
                                      NULL);
    }
    case CCN_CELL_NULL: break;
    }
    return LXW_NO_ERROR;
}

/* "dd/mm/yyyy" of an ISO date (or the text itself). */
static const char *dmy(const char *iso, char buf[16])
{
    if (!iso || !ccn_date_valid(iso))
        return iso ? iso : "";
    snprintf(buf, 16, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    return buf;
}

/* Issuing body, title and the date of the figures above the table. */
static lxw_error write_title(lxw_worksheet *ws, const formats *f, const ccn_xlsx_book *book,
                             const ccn_xlsx_sheet *sheet)
{
    char line[512], date[16];
    lxw_error err = worksheet_write_string(ws, 0, 0, book->issuer ? book->issuer : "", f->issuer);
    if (!err)
        err = worksheet_write_string(ws, 1, 0, sheet->title ? sheet->title : sheet->name, f->title);
    snprintf(line, sizeof line, "Số liệu tính đến ngày %s", dmy(book->as_of, date));
    if (!err && book->as_of)
        err = worksheet_write_string(ws, 2, 0, line, f->subtitle);
    return err;
}

/* The totals row under the data: "Tổng cộng" and a SUBTOTAL of each column
 * listed in sheet->totals (and of its hectare twin), its value cached so
 * a reader that does not calculate still shows it. */
static lxw_error write_totals(lxw_worksheet *ws, const formats *f, const ccn_xlsx_sheet *sheet,
                              const plan *p, lxw_row_t first, lxw_row_t last)
{
    const ccn_table *t = sheet->table;
    lxw_row_t row = last + 1;
    lxw_error err = worksheet_write_string(ws, row, 0, "Tổng cộng", f->total_label);
    for (int i = 0; i < p->n && !err; i++) {
        const out_col *o = &p->cols[i];
        if (!listed(sheet->totals, ccn_table_column(t, o->src))) {
            if (i > 0)
                err = worksheet_write_blank(ws, row, (lxw_col_t)i, f->total_label);
            continue;
        }
        double sum = 0;
        int decimals = 0;
        bool real = o->ha;
        for (int64_t r = 0; r < ccn_table_rows(t); r++) {
            ccn_cell_type type = ccn_table_type(t, r, o->src);
            if (type != CCN_CELL_INT && type != CCN_CELL_REAL)
                continue;
            sum += ccn_table_number(t, r, o->src) / (o->ha ? 1e4 : 1);
            if (type == CCN_CELL_REAL) {
                real = true;
                int d = shown_decimals(t, p, r, o);
                decimals = d > decimals ? d : decimals;
            }
        }
        if (o->ha)
            decimals = HA_DECIMALS;
        char range[32], formula[64];
        lxw_rowcol_to_range(range, first, (lxw_col_t)i, last, (lxw_col_t)i);
        snprintf(formula, sizeof formula, "=SUBTOTAL(9,%s)", range);
        err = worksheet_write_formula_num(ws, row, (lxw_col_t)i, formula,
                                          real ? f->real[1][decimals] : f->integer[1], sum);
    }
    return err;
}

/* Print on A4 landscape, one page wide, the header row on every page, page
 * numbers at the foot. */
static lxw_error print_setup(lxw_worksheet *ws, lxw_row_t header)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
    lxw_error err = worksheet_set_footer(ws, "&CTrang &P/&N");
    return err ? err : worksheet_repeat_rows(ws, header, header);
}

static ccn_status write_sheet(ccn_ctx *ctx, lxw_workbook *wb, const formats *f,
                              const ccn_xlsx_book *book, const ccn_xlsx_sheet *sheet)
{
    const ccn_table *t = sheet->table;
    plan p = {0};
    char *scratch = NULL;
    ccn_status st = plan_sheet(ctx, sheet, &p);
    if (st)
        goto done;
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet->name);
    if (!ws) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "cannot add sheet '%s'", sheet->name);
        goto done;
    }
    lxw_row_t header = book ? TITLE_ROWS : 0, first = header + 1;
    int64_t rows = ccn_table_rows(t);
    lxw_row_t last = (lxw_row_t)(header + rows);
    lxw_error err = LXW_NO_ERROR;
    for (int i = 0; i < p.n && !err; i++)
        err = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, p.cols[i].width, NULL);
    /* before any row: in constant-memory mode a range above the last row
     * written is refused */
    worksheet_freeze_panes(ws, first, 0);
    if (!err && p.n > 0)
        err = worksheet_autofilter(ws, header, 0, last, (lxw_col_t)(p.n - 1));
    if (!err && book)
        err = write_title(ws, f, book, sheet);
    if (!err)
        err = worksheet_set_row(ws, header, 15.0 * (p.header_lines > 0 ? p.header_lines : 1) + 5,
                                NULL);
    for (int i = 0; i < p.n && !err; i++)
        err = worksheet_write_string(ws, header, (lxw_col_t)i, p.cols[i].header, f->header);
    for (int64_t r = 0; r < rows && !err; r++) {
        for (int i = 0; i < p.n && !err; i++)
            err = write_cell(ctx, ws, f, t, &p, r, &p.cols[i], (lxw_row_t)(first + r),
                             (lxw_col_t)i, &scratch);
        if (r % 4096 == 4095)
            ccn_progress(ctx, sheet->name, (long)r + 1, (long)rows);
    }
    if (!err && sheet->totals && rows > 0 && p.n > 0)
        err = write_totals(ws, f, sheet, &p, first, last);
    if (!err && book)
        err = print_setup(ws, header);
    if (err)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "sheet '%s': %s", sheet->name, lxw_strerror(err));
done:
    free(scratch);
    plan_free(&p);
    return st;
}

ccn_status ccn_xlsx_write(ccn_ctx *ctx, const char *path, const ccn_xlsx_book *book,
                          const ccn_xlsx_sheet *sheets, size_t n)
{
    ccn_status st = CCN_OK;
    ccn_output *out = NULL;
    lxw_workbook *wb = NULL;
    if (n == 0)
        return ccn_error(ctx, CCN_ERR_INPUT, "a workbook needs at least one sheet");
    for (size_t i = 0; i < n; i++) {
        if ((st = check_sheet_name(ctx, sheets, i)))
            return st;
        if (!sheets[i].table)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "sheet '%s' has no table", sheets[i].name);
        if (ccn_table_rows(sheets[i].table) > MAX_ROWS)
            return ccn_error(ctx, CCN_ERR_INPUT,
                             "sheet '%s' would have %lld rows; a sheet holds %d", sheets[i].name,
                             (long long)ccn_table_rows(sheets[i].table), MAX_ROWS);
        if (ccn_table_cols(sheets[i].table) * 2 > LXW_COL_MAX)
            return ccn_error(ctx, CCN_ERR_INPUT, "sheet '%s' has too many columns", sheets[i].name);
    }
    /* The temporary file first (output.h): libxlsxwriter reports an
     * unwritable path only when it closes the workbook, and prints on
     * stderr when it does. It rewrites the file, which exists and is ours. */
    if ((st = ccn_output_open(ctx, path, &out)))
        return st;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    wb = workbook_new_opt(ccn_output_tmp(out), &opt);
    if (!wb) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "cannot start the workbook '%s'", path);
        goto done;
    }
    lxw_doc_properties props = {.title = (char *)"Báo cáo cụm công nghiệp",
                                .author = (char *)"ccn"};
    workbook_set_properties(wb, &props);
    formats f = {0};
    make_formats(wb, &f);
    for (size_t i = 0; i < n && !st; i++)
        st = write_sheet(ctx, wb, &f, book, &sheets[i]);
    lxw_error err = workbook_close(wb); /* frees wb, even on failure */
    wb = NULL;
    if (!st && err)
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", path, lxw_strerror(err));
    if (!st) {
        st = ccn_output_commit(ctx, out);
        out = NULL;
    }
done:
    ccn_output_abort(out);
    return st;
}
