/* reportdoc — the report document: what it says, section by section.
 * The OOXML is docx.c's business; this file only words the figures. */
#include "reportdoc.h"

#include "admin.h"
#include "district.h"
#include "docx.h"
#include "outdir.h"
#include "vnum.h"
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A4 portrait, Decree 30's margins; the text is 165 mm wide. */
enum { TOP_MM = 20, BOTTOM_MM = 20, LEFT_MM = 30, RIGHT_MM = 15, MAX_LIST = 100 };
#define TEXT_MM 165.0

static const ccn_docx_style body = {.align = CCN_DOCX_BOTH, .first_line_mm = 10, .after_pt = 6};
static const ccn_docx_style heading = {.bold = true, .keep_next = true, .before_pt = 6,
                                       .after_pt = 6, .first_line_mm = 10};
static const ccn_docx_style cell = {.size_pt = 13};
static const ccn_docx_style cell_num = {.size_pt = 13, .align = CCN_DOCX_RIGHT};
static const ccn_docx_style cell_mid = {.size_pt = 13, .align = CCN_DOCX_CENTER};
static const ccn_docx_style cell_head = {.size_pt = 13, .bold = true, .align = CCN_DOCX_CENTER};
static const ccn_docx_style caption = {.align = CCN_DOCX_CENTER, .italic = true, .size_pt = 13,
                                       .after_pt = 12};

/* One run of the writer: the document and the workspace's words. */
typedef struct {
    ccn_docx *doc;
    ccn_store *store;
    const ccn_reportdoc_data *data;
} writer;

static void para(writer *w, const ccn_docx_style *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void para(writer *w, const ccn_docx_style *s, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ccn_docx_para(w->doc, s, buf);
}

/* Figures in Vietnamese notation; each call its own buffer (8 in turn). */
static const char *num(double v, int decimals)
{
    static _Thread_local char bufs[8][64];
    static _Thread_local int k;
    char *b = bufs[k++ % 8];
    if (isnan(v))
        return "—";
    return ccn_vnum(v, decimals, b, 64);
}

static const char *cell_text(const ccn_table *t, int64_t r, const char *column)
{
    int c = ccn_table_col(t, column);
    return c >= 0 && ccn_table_type(t, r, c) == CCN_CELL_TEXT ? ccn_table_text(t, r, c) : NULL;
}

static double cell_number(const ccn_table *t, int64_t r, const char *column)
{
    int c = ccn_table_col(t, column);
    if (c < 0)
        return NAN;
    ccn_cell_type type = ccn_table_type(t, r, c);
    return type == CCN_CELL_INT || type == CCN_CELL_REAL || type == CCN_CELL_BOOL
               ? ccn_table_number(t, r, c)
               : NAN;
}

/* A three-valued answer: 1, 0, or -1 when the cell is empty. */
static int cell_bool(const ccn_table *t, int64_t r, const char *column)
{
    int c = ccn_table_col(t, column);
    if (c < 0 || ccn_table_type(t, r, c) != CCN_CELL_BOOL)
        return -1;
    return ccn_table_number(t, r, c) != 0;
}

static const char *vocab(const char *column, const char *value)
{
    static _Thread_local char bufs[4][256];
    static _Thread_local int k;
    return value ? ccn_xlsx_value(column, value, bufs[k++ % 4], 256) : "";
}

static const char *answer(int v) { return v < 0 ? "chưa xác định" : v ? "đạt" : "không đạt"; }

/* ---- the head of the document --------------------------------------------- */

/* The area as the document's text names it (admin.h), into buf. */
static const char *area_name(ccn_store *store, const char *date, char *buf, size_t size)
{
    char *area = ccn_admin_area(store, date);
    snprintf(buf, size, "%s", area && *area ? area : "địa bàn");
    free(area);
    return buf;
}

/* ccn_meta's value of key, or fallback; the caller frees. */
static char *meta(writer *w, const char *key, const char *fallback)
{
    char *v = ccn_store_meta(w->store, key);
    if (!v && fallback)
        v = strdup(fallback);
    return v;
}

/* "Thanh Hóa, ngày 04 tháng 12 năm 2026": Decree 30 writes a day below 10
 * and the months January and February with a leading zero. */
static void date_line(const char *place, const char *iso, char *buf, size_t size)
{
    int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
    snprintf(buf, size, "%s, ngày %02d tháng %s%d năm %d", place, d, m <= 2 ? "0" : "", m, y);
}

/* Decree 30 draws a line under the motto as long as the motto: in Times New
 * Roman Bold 14 pt it is 12.20 em (the sum of its glyphs' widths) = 60.2 mm. */
#define MOTTO_MM 60.0

/* The line under the issuing body: 1/3 to 1/2 of its name (Decree 30), here
 * 0.4 of it, the name's width taken as 0.7 em a capital letter. */
static double issuer_rule_mm(const char *name, double size_pt)
{
    size_t letters = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        letters += (*p & 0xC0) != 0x80; /* UTF-8: a character per lead byte */
    return 0.4 * letters * 0.7 * size_pt * 25.4 / 72;
}

static void header_block(writer *w, const char *subject)
{
    char *parent = meta(w, "issuer_parent", ""), *issuer = meta(w, "issuer", "");
    char *abbr = meta(w, "issuer_abbr", ""), *place = meta(w, "place", "");
    char line[256];
    static const double widths[] = {65, 100};
    ccn_docx *d = w->doc;
    ccn_docx_table_begin(d, 2, widths, false);
    ccn_docx_row_begin(d, false);
    ccn_docx_cell_begin(d);
    ccn_docx_style s = {.align = CCN_DOCX_CENTER, .size_pt = 13};
    ccn_docx_para(d, &s, parent ? parent : "");
    s.bold = true;
    ccn_docx_para(d, &s, issuer ? issuer : "");
    ccn_docx_rule(d, issuer_rule_mm(issuer ? issuer : "", s.size_pt));
    s.bold = false;
    s.before_pt = 6;
    snprintf(line, sizeof line, "Số: ......../BC-%s", abbr && *abbr ? abbr : "...");
    ccn_docx_para(d, &s, line);
    ccn_docx_cell_end(d);
    ccn_docx_cell_begin(d);
    ccn_docx_style n = {.align = CCN_DOCX_CENTER, .bold = true, .size_pt = 13};
    ccn_docx_para(d, &n, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    n.size_pt = 14;
    ccn_docx_para(d, &n, "Độc lập - Tự do - Hạnh phúc");
    ccn_docx_rule(d, MOTTO_MM);
    ccn_docx_style dl = {.align = CCN_DOCX_CENTER, .italic = true, .before_pt = 6};
    date_line(place && *place ? place : "......", w->data->issued, line, sizeof line);
    ccn_docx_para(d, &dl, line);
    ccn_docx_cell_end(d);
    ccn_docx_row_end(d);
    ccn_docx_table_end(d);
    ccn_docx_style kind = {.align = CCN_DOCX_CENTER, .bold = true, .before_pt = 18};
    ccn_docx_para(d, &kind, "BÁO CÁO");
    ccn_docx_style subj = {.align = CCN_DOCX_CENTER, .bold = true, .after_pt = 12};
    ccn_docx_para(d, &subj, subject);
    free(parent);
    free(issuer);
    free(abbr);
    free(place);
}

/* ---- tables ------------------------------------------------------------------ */

static void table_head(writer *w, int n, const double *widths, const char *const *heads)
{
    ccn_docx_table_begin(w->doc, n, widths, true);
    ccn_docx_row_begin(w->doc, true);
    for (int i = 0; i < n; i++)
        ccn_docx_cell(w->doc, &cell_head, heads[i]);
    ccn_docx_row_end(w->doc);
}

static void table_end(writer *w)
{
    ccn_docx_table_end(w->doc);
    static const ccn_docx_style gap = {.after_pt = 6};
    ccn_docx_para(w->doc, &gap, "");
}

/* ---- 1. boundary checks ---------------------------------------------------- */

static void section_checks(writer *w)
{
    const ccn_table *t = w->data->findings;
    para(w, &heading, "1. Kiểm tra ranh giới, hình học và mốc giới");
    int64_t n = t ? ccn_table_rows(t) : 0, errors = 0;
    for (int64_t r = 0; r < n; r++)
        errors += cell_text(t, r, "severity") && strcmp(cell_text(t, r, "severity"), "error") == 0;
    if (n == 0) {
        para(w, &body, "Kiểm tra ranh giới các cụm, lô đất, thửa đất, quy hoạch và mốc giới: "
                       "không phát hiện lỗi.");
        return;
    }
    para(w, &body,
         "Kiểm tra ranh giới các cụm, lô đất, thửa đất, quy hoạch và mốc giới phát hiện %lld "
         "lỗi và %lld cảnh báo, tổng hợp theo loại như sau:",
         (long long)errors, (long long)(n - errors));
    /* counts by code, in the order the check sorts them */
    static const double wc[] = {15, 85, 35, 30};
    static const char *const hc[] = {"STT", "Loại", "Mức độ", "Số lượng"};
    table_head(w, 4, wc, hc);
    int k = 0;
    for (int64_t r = 0; r < n;) {
        const char *code = cell_text(t, r, "code");
        int64_t e = r;
        while (e < n && code && cell_text(t, e, "code") && strcmp(cell_text(t, e, "code"), code) == 0)
            e++;
        if (e == r)
            e = r + 1;
        char no[24], count[32];
        snprintf(no, sizeof no, "%d", ++k);
        snprintf(count, sizeof count, "%lld", (long long)(e - r));
        ccn_docx_row_begin(w->doc, false);
        ccn_docx_cell(w->doc, &cell_mid, no);
        ccn_docx_cell(w->doc, &cell, vocab("code", code));
        ccn_docx_cell(w->doc, &cell_mid, vocab("severity", cell_text(t, r, "severity")));
        ccn_docx_cell(w->doc, &cell_num, count);
        ccn_docx_row_end(w->doc);
        r = e;
    }
    table_end(w);
    if (errors == 0)
        return;
    para(w, &body, "Danh sách lỗi cần xử lý%s:",
         errors > MAX_LIST ? " (100 lỗi đầu; danh sách đầy đủ trong bảng tính bao_cao.xlsx)" : "");
    static const double wl[] = {15, 45, 105};
    static const char *const hl[] = {"STT", "Loại", "Nội dung"};
    table_head(w, 3, wl, hl);
    k = 0;
    for (int64_t r = 0; r < n && k < MAX_LIST; r++) {
        if (!cell_text(t, r, "severity") || strcmp(cell_text(t, r, "severity"), "error") != 0)
            continue;
        char no[16];
        snprintf(no, sizeof no, "%d", ++k);
        const char *msg = cell_text(t, r, "message_vi");
        ccn_docx_row_begin(w->doc, false);
        ccn_docx_cell(w->doc, &cell_mid, no);
        ccn_docx_cell(w->doc, &cell, vocab("code", cell_text(t, r, "code")));
        ccn_docx_cell(w->doc, &cell, msg ? msg : "");
        ccn_docx_row_end(w->doc);
    }
    table_end(w);
}

/* ---- 2. areas against the plan ----------------------------------------------- */

static void section_areas(writer *w)
{
    const ccn_table *t = w->data->areas;
    double tol = ccn_district_tolerance(w->store, "area_deviation_pct", 1);
    para(w, &heading, "2. Diện tích các cụm công nghiệp so với quy hoạch");
    int64_t n = ccn_table_rows(t);
    int surveyed = 0, off = 0;
    char names[512] = "";
    for (int64_t r = 0; r < n; r++) {
        double dev = cell_number(t, r, "deviation_pct");
        if (isnan(cell_number(t, r, "area_m2")))
            continue;
        surveyed++;
        if (!isnan(dev) && fabs(dev) > tol) {
            size_t k = strlen(names);
            snprintf(names + k, sizeof names - k, "%s%s (%s%s %%)", off ? ", " : "",
                     cell_text(t, r, "code"), dev > 0 ? "+" : "", num(dev, 1));
            off++;
        }
    }
    if (off)
        para(w, &body,
             "Diện tích đo trên bản đồ (hệ tọa độ VN-2000) của %d cụm đã có ranh giới; %d cụm "
             "chênh lệch quá %s %% so với diện tích quy hoạch: %s.",
             surveyed, off, num(tol, -1), names);
    else
        para(w, &body,
             "Diện tích đo trên bản đồ (hệ tọa độ VN-2000) của %d cụm đã có ranh giới đều "
             "không chênh lệch quá %s %% so với diện tích quy hoạch.",
             surveyed, num(tol, -1));
    static const double wd[] = {12, 18, 55, 27, 27, 26};
    static const char *const hd[] = {"STT", "Mã", "Tên cụm", "Quy hoạch (ha)", "Đo đạc (ha)",
                                     "Chênh lệch (%)"};
    table_head(w, 6, wd, hd);
    double planned = 0, measured = 0;
    for (int64_t r = 0; r < n; r++) {
        char no[24];
        snprintf(no, sizeof no, "%lld", (long long)r + 1);
        double p = cell_number(t, r, "planned_ha"), a = cell_number(t, r, "area_ha");
        planned += isnan(p) ? 0 : p;
        measured += isnan(a) ? 0 : a;
        ccn_docx_row_begin(w->doc, false);
        ccn_docx_cell(w->doc, &cell_mid, no);
        ccn_docx_cell(w->doc, &cell, cell_text(t, r, "code"));
        ccn_docx_cell(w->doc, &cell, cell_text(t, r, "name"));
        ccn_docx_cell(w->doc, &cell_num, num(p, 2));
        ccn_docx_cell(w->doc, &cell_num, num(a, 2));
        ccn_docx_cell(w->doc, &cell_num, num(cell_number(t, r, "deviation_pct"), 1));
        ccn_docx_row_end(w->doc);
    }
    ccn_docx_row_begin(w->doc, false);
    ccn_docx_cell(w->doc, &cell, "");
    ccn_docx_cell(w->doc, &cell, "");
    ccn_docx_style bold = cell_head;
    ccn_docx_cell(w->doc, &bold, "Tổng cộng");
    bold.align = CCN_DOCX_RIGHT;
    ccn_docx_cell(w->doc, &bold, num(planned, 2));
    ccn_docx_cell(w->doc, &bold, num(measured, 2));
    ccn_docx_cell(w->doc, &cell, "");
    ccn_docx_row_end(w->doc);
    table_end(w);
}

/* ---- 3. plan conformity and protected land ------------------------------------ */

static void section_plan(writer *w)
{
    const ccn_table *t = w->data->overlay;
    para(w, &heading, "3. Sự phù hợp với quy hoạch sử dụng đất và đất cần bảo vệ");
    if (!t) {
        para(w, &body, "Chưa có dữ liệu quy hoạch sử dụng đất trong cơ sở dữ liệu: chưa đối "
                       "chiếu được.");
        return;
    }
    int64_t n = ccn_table_rows(t);
    char protected_list[1024] = "";
    int nprot = 0;
    for (int64_t r = 0; r < n; r++) {
        if (cell_bool(t, r, "protected") != 1)
            continue;
        size_t k = strlen(protected_list);
        snprintf(protected_list + k, sizeof protected_list - k, "%scụm %s chiếm %s ha đất %s",
                 nprot++ ? "; " : "", cell_text(t, r, "cluster"),
                 num(cell_number(t, r, "area_m2") / 1e4, 2), cell_text(t, r, "plan_code"));
    }
    para(w, &body,
         "Đối chiếu ranh giới từng cụm với quy hoạch sử dụng đất: phần diện tích nằm trên đất "
         "quy hoạch cụm công nghiệp (SKN) là phù hợp. %s%s%s",
         nprot ? "Có cụm chồng lên đất cần bảo vệ (đất trồng lúa, rừng phòng hộ, rừng đặc dụng): "
               : "Không cụm nào chồng lên đất cần bảo vệ (đất trồng lúa, rừng phòng hộ, rừng đặc "
                 "dụng).",
         protected_list, nprot ? "." : "");
    static const double wd[] = {18, 20, 62, 25, 20, 20};
    static const char *const hd[] = {"Cụm", "Mã đất QH", "Loại đất quy hoạch", "Diện tích (ha)",
                                     "Tỷ lệ (%)", "Phù hợp"};
    table_head(w, 6, wd, hd);
    for (int64_t r = 0; r < n; r++) {
        const char *code = cell_text(t, r, "plan_code"), *name = cell_text(t, r, "plan_name");
        int ok = cell_bool(t, r, "conforming"), prot = cell_bool(t, r, "protected");
        ccn_docx_row_begin(w->doc, false);
        ccn_docx_cell(w->doc, &cell, cell_text(t, r, "cluster"));
        ccn_docx_cell(w->doc, &cell_mid, code ? code : "—");
        char label[256];
        snprintf(label, sizeof label, "%s%s", code ? (name ? name : "") : "Chưa có quy hoạch",
                 prot == 1 ? " (đất cần bảo vệ)" : "");
        ccn_docx_cell(w->doc, &cell, label);
        ccn_docx_cell(w->doc, &cell_num, num(cell_number(t, r, "area_m2") / 1e4, 2));
        ccn_docx_cell(w->doc, &cell_num, num(cell_number(t, r, "share_pct"), 1));
        ccn_docx_cell(w->doc, &cell_mid, ok < 0 ? "" : ok ? "có" : "không");
        ccn_docx_row_end(w->doc);
    }
    table_end(w);
}

/* ---- 4. site clearance ------------------------------------------------------- */

static void section_clearance(writer *w)
{
    const ccn_table *t = w->data->clearance;
    para(w, &heading, "4. Giải phóng mặt bằng");
    if (!t) {
        para(w, &body, "Chưa có dữ liệu bản đồ địa chính trong cơ sở dữ liệu: chưa lập được "
                       "danh sách thửa đất phải thu hồi.");
        return;
    }
    int64_t n = ccn_table_rows(t);
    double parcels = 0, affected = 0;
    for (int64_t r = 0; r < n; r++) {
        const char *use = cell_text(t, r, "landuse");
        if (use && strcmp(use, "*") == 0) {
            parcels += cell_number(t, r, "parcels");
            affected += cell_number(t, r, "affected_m2");
        }
    }
    para(w, &body,
         "Các cụm chiếm %s thửa đất với tổng diện tích phải thu hồi %s ha; tổng hợp theo cụm và "
         "loại đất hiện trạng (dòng \"Cộng\" là tổng của cụm):",
         num(parcels, 0), num(affected / 1e4, 2));
    static const double wd[] = {18, 20, 57, 20, 30, 20};
    static const char *const hd[] = {"Cụm", "Mã đất", "Loại đất hiện trạng", "Số thửa",
                                     "Thu hồi (ha)", "Tỷ lệ (%)"};
    table_head(w, 6, wd, hd);
    for (int64_t r = 0; r < n; r++) {
        const char *use = cell_text(t, r, "landuse");
        bool total = use && strcmp(use, "*") == 0;
        ccn_docx_style c = cell, cn = cell_num;
        c.bold = cn.bold = total;
        ccn_docx_row_begin(w->doc, false);
        ccn_docx_cell(w->doc, &c, cell_text(t, r, "cluster"));
        ccn_docx_cell(w->doc, &c, total ? "" : use ? use : "—");
        ccn_docx_cell(w->doc, &c, total ? "Cộng" : cell_text(t, r, "landuse_name"));
        ccn_docx_cell(w->doc, &cn, num(cell_number(t, r, "parcels"), 0));
        ccn_docx_cell(w->doc, &cn, num(cell_number(t, r, "affected_m2") / 1e4, 2));
        ccn_docx_cell(w->doc, &cn, num(cell_number(t, r, "share_pct"), 1));
        ccn_docx_row_end(w->doc);
    }
    table_end(w);
}

/* ---- 5. occupancy ------------------------------------------------------------ */

static void section_occupancy(writer *w, ccn_ctx *ctx)
{
    const ccn_table *t = w->data->occupancy;
    char day[16];
    ccn_vdate(w->data->as_of, day, sizeof day);
    para(w, &heading, "5. Tỷ lệ lấp đầy so với mục tiêu");
    int64_t n = ccn_table_rows(t);
    int with_target = 0, met = 0;
    char good[512] = "", short_[512] = "";
    for (int64_t r = 0; r < n; r++) {
        int m = cell_bool(t, r, "target_met");
        if (m < 0)
            continue;
        with_target++;
        met += m;
        char *list = m ? good : short_;
        size_t k = strlen(list);
        snprintf(list + k, 512 - k, "%s%s %s %%", *list ? ", " : "", cell_text(t, r, "cluster"),
                 num(cell_number(t, r, "occupancy_pct"), 1));
    }
    para(w, &body,
         "Mục tiêu của kế hoạch: cụm hiện có lấp đầy 80 %%, cụm thành lập mới 30 %%. Đến ngày %s, "
         "%d trên %d cụm có đất công nghiệp đạt mục tiêu%s%s%s%s%s.",
         day, met, with_target, *good ? " (" : "", good, *good ? ")" : "",
         *short_ ? "; chưa đạt: " : "", short_);
    static const double wd[] = {16, 27, 27, 27, 20, 20, 28};
    static const char *const hd[] = {"Cụm", "Hiện trạng", "Đất CN cho thuê (ha)",
                                     "Đã cho thuê (ha)", "Lấp đầy (%)", "Mục tiêu (%)", "Kết quả"};
    table_head(w, 7, wd, hd);
    for (int64_t r = 0; r < n; r++) {
        ccn_docx_row_begin(w->doc, false);
        ccn_docx_cell(w->doc, &cell, cell_text(t, r, "cluster"));
        ccn_docx_cell(w->doc, &cell, vocab("status", cell_text(t, r, "status")));
        ccn_docx_cell(w->doc, &cell_num, num(cell_number(t, r, "leasable_m2") / 1e4, 2));
        ccn_docx_cell(w->doc, &cell_num, num(cell_number(t, r, "leased_m2") / 1e4, 2));
        ccn_docx_cell(w->doc, &cell_num, num(cell_number(t, r, "occupancy_pct"), 1));
        ccn_docx_cell(w->doc, &cell_num, num(cell_number(t, r, "target_pct"), 0));
        int m = cell_bool(t, r, "target_met");
        ccn_docx_cell(w->doc, &cell_mid, m < 0 ? "" : answer(m));
        ccn_docx_row_end(w->doc);
    }
    table_end(w);
    if (w->data->chart_png && ccn_docx_image(w->doc, ctx, w->data->chart_png, TEXT_MM) == CCN_OK)
        para(w, &caption, "Biểu đồ: Tỷ lệ lấp đầy các cụm theo quý so với mục tiêu");
}

/* ---- 6. Decree 32/2024 ------------------------------------------------------- */

static const struct {
    const char *test, *title;
} decree_tests[] = {
    {"size", "Quy mô cụm công nghiệp (trên 10 ha và không quá 75 ha)"},
    {"services", "Tỷ lệ đất dịch vụ trong cụm (không quá 10 %)"},
    {"expansion", "Điều kiện mở rộng cụm (lấp đầy từ 60 %, sau mở rộng không quá 75 ha)"},
    {"new_cluster", "Điều kiện thành lập cụm mới trên địa bàn"},
};

/* The paragraph of one test, from its rows: who passes, who does not. */
static void decree_paragraph(writer *w, const char *test)
{
    const ccn_table *t = w->data->decree;
    char pass[512] = "", fail[512] = "", unknown[256] = "";
    int npass = 0, nfail = 0;
    for (int64_t r = 0; r < ccn_table_rows(t); r++) {
        const char *tt = cell_text(t, r, "test");
        if (!tt || strcmp(tt, test) != 0)
            continue;
        bool answer_row = isnan(cell_number(t, r, "value")) && !cell_text(t, r, "unit");
        if (strcmp(test, "size") != 0 && strcmp(test, "services") != 0 && !answer_row)
            continue; /* expansion and new cluster: the answer row speaks */
        int ok = cell_bool(t, r, "passes");
        const char *who = cell_text(t, r, "cluster");
        char item[160];
        if (strcmp(test, "new_cluster") == 0)
            snprintf(item, sizeof item, "trên địa bàn");
        else if (answer_row)
            snprintf(item, sizeof item, "%s", who ? who : "");
        else
            snprintf(item, sizeof item, "%s (%s %s)", who ? who : "",
                     num(cell_number(t, r, "value"),
                         cell_text(t, r, "unit") && strcmp(cell_text(t, r, "unit"), "ha") == 0 ? 2 : 1),
                     cell_text(t, r, "unit") ? cell_text(t, r, "unit") : "");
        char *list = ok == 1 ? pass : ok == 0 ? fail : unknown;
        size_t cap = ok < 0 ? sizeof unknown : sizeof pass, k = strlen(list);
        snprintf(list + k, cap - k, "%s%s", *list ? ", " : "", item);
        npass += ok == 1;
        nfail += ok == 0;
    }
    if (strcmp(test, "new_cluster") == 0) {
        para(w, &body, "Kết quả: %s thành lập cụm công nghiệp mới trên địa bàn%s.",
             npass ? "đủ điều kiện" : nfail ? "chưa đủ điều kiện" : "chưa xác định được",
             npass || nfail ? " theo số liệu các cụm hiện có" : "");
        return;
    }
    bool expansion = strcmp(test, "expansion") == 0;
    if (!npass && !nfail && !*unknown) {
        para(w, &body, "Không có cụm nào thuộc diện xem xét.");
        return;
    }
    char text[1600] = "Kết quả:";
    size_t k = strlen(text);
    if (npass)
        k += (size_t)snprintf(text + k, sizeof text - k, " %s: %s",
                              expansion ? "đủ điều kiện mở rộng" : "đạt", pass);
    if (nfail && k < sizeof text)
        k += (size_t)snprintf(text + k, sizeof text - k, "%s %s: %s", npass ? ";" : "",
                              expansion ? "chưa đủ điều kiện mở rộng" : "không đạt", fail);
    if (*unknown && k < sizeof text)
        snprintf(text + k, sizeof text - k, "%s chưa xác định (thiếu số liệu): %s",
                 npass || nfail ? ";" : "", unknown);
    para(w, &body, "%s.", text);
}

static void section_decree(writer *w)
{
    const ccn_table *t = w->data->decree;
    para(w, &heading, "6. Đối chiếu các tiêu chí của Nghị định 32/2024/NĐ-CP");
    for (size_t k = 0; k < sizeof decree_tests / sizeof *decree_tests; k++) {
        const char *test = decree_tests[k].test;
        int64_t rows = 0;
        for (int64_t r = 0; r < ccn_table_rows(t); r++)
            rows += cell_text(t, r, "test") && strcmp(cell_text(t, r, "test"), test) == 0;
        ccn_docx_style sub = heading;
        sub.bold = false;
        sub.italic = true;
        para(w, &sub, "6.%zu. %s", k + 1, decree_tests[k].title);
        if (rows == 0) {
            para(w, &body, "Không có cụm nào thuộc diện xem xét.");
            continue;
        }
        decree_paragraph(w, test);
        static const double wd[] = {16, 38, 22, 22, 20, 47};
        static const char *const hd[] = {"Cụm", "Chỉ tiêu", "Giá trị", "Ngưỡng", "Kết quả",
                                         "Diễn giải"};
        table_head(w, 6, wd, hd);
        for (int64_t r = 0; r < ccn_table_rows(t); r++) {
            if (!cell_text(t, r, "test") || strcmp(cell_text(t, r, "test"), test) != 0)
                continue;
            const char *unit = cell_text(t, r, "unit");
            double v = cell_number(t, r, "value");
            char value[64] = "";
            if (!isnan(v))
                snprintf(value, sizeof value, "%s %s", num(v, unit && !strcmp(unit, "ha") ? 2 : 1),
                         unit ? unit : "");
            const char *limit = cell_text(t, r, "limit");
            const char *detail = cell_text(t, r, "detail_vi");
            ccn_docx_row_begin(w->doc, false);
            ccn_docx_cell(w->doc, &cell, cell_text(t, r, "cluster") ? cell_text(t, r, "cluster")
                                                                     : "Toàn địa bàn");
            ccn_docx_cell(w->doc, &cell, vocab("figure", cell_text(t, r, "figure")));
            ccn_docx_cell(w->doc, &cell_num, value);
            ccn_docx_cell(w->doc, &cell_mid, limit ? vocab("limit", limit) : "");
            ccn_docx_cell(w->doc, &cell_mid, answer(cell_bool(t, r, "passes")));
            ccn_docx_cell(w->doc, &cell, detail ? detail : "");
            ccn_docx_row_end(w->doc);
        }
        table_end(w);
    }
}

/* ---- recipients and signature --------------------------------------------------- */

static void signature(writer *w)
{
    static const double widths[] = {80, 85};
    ccn_docx *d = w->doc;
    ccn_docx_table_begin(d, 2, widths, false);
    ccn_docx_row_begin(d, false);
    ccn_docx_cell_begin(d);
    ccn_docx_style to = {.bold = true, .italic = true, .size_pt = 12, .before_pt = 12};
    ccn_docx_para(d, &to, "Nơi nhận:");
    ccn_docx_style item = {.size_pt = 11};
    /* "- X;" each, the last (the archive, "Lưu: VT, …") ending with "." */
    char key[32], line[512];
    snprintf(key, sizeof key, "recipient_1");
    char *v = ccn_store_meta(w->store, key);
    for (int i = 2; v; i++) {
        snprintf(key, sizeof key, "recipient_%d", i);
        char *next = ccn_store_meta(w->store, key);
        snprintf(line, sizeof line, "- %s%s", v, next ? ";" : ".");
        ccn_docx_para(d, &item, line);
        free(v);
        v = next;
    }
    ccn_docx_cell_end(d);
    ccn_docx_cell_begin(d);
    char *authority = meta(w, "signer_authority", NULL), *title = meta(w, "signer_title", "");
    char *name = meta(w, "signer_name", "");
    ccn_docx_style sig = {.align = CCN_DOCX_CENTER, .bold = true, .before_pt = 12};
    if (authority && *authority)
        ccn_docx_para(d, &sig, authority);
    sig.before_pt = 0;
    ccn_docx_para(d, &sig, title ? title : "");
    ccn_docx_style space = {.after_pt = 60};
    ccn_docx_para(d, &space, "");
    ccn_docx_para(d, &sig, name ? name : "");
    ccn_docx_cell_end(d);
    ccn_docx_row_end(d);
    ccn_docx_table_end(d);
    ccn_docx_para(d, NULL, ""); /* a body does not end with a table */
    free(authority);
    free(title);
    free(name);
}

static ccn_status annex_maps(writer *w, ccn_ctx *ctx)
{
    if (w->data->nmaps == 0)
        return CCN_OK;
    /* Landscape pages, a map a page, as large as the page allows: 170 mm of
     * height hold a 220 mm wide map (156 mm high) and its caption; the first
     * page, under the annex's heading, a 195 mm one (the old portrait pages
     * held two maps 165 mm wide). */
    ccn_docx_landscape(w->doc);
    ccn_docx_style annex = {.align = CCN_DOCX_CENTER, .bold = true, .after_pt = 6};
    para(w, &annex, "PHỤ LỤC\nBẢN ĐỒ CÁC CỤM CÔNG NGHIỆP");
    for (size_t i = 0; i < w->data->nmaps; i++) {
        ccn_status st = ccn_docx_image(w->doc, ctx, w->data->map_pngs[i], i ? 220 : 195);
        if (st)
            return st;
        para(w, &caption, "Hình %zu. %s", i + 1, w->data->map_titles[i]);
    }
    return CCN_OK;
}

ccn_status ccn_reportdoc_write(ccn_store *store, const ccn_reportdoc_data *data, const char *path)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    writer w = {.doc = ccn_docx_new(TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM), .store = store,
                .data = data};
    if (!w.doc)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    char *issuer = meta(&w, "issuer_name", NULL); /* as a sentence names it */
    if (!issuer)
        issuer = meta(&w, "issuer", "");
    char area[256], subject[512], day[16];
    area_name(store, data->as_of, area, sizeof area);
    ccn_vdate(data->as_of, day, sizeof day);
    snprintf(subject, sizeof subject,
             "Tình hình các cụm công nghiệp trên %s\n(số liệu đến ngày %s)", area, day);
    header_block(&w, subject);
    para(&w, &body,
         "Trên cơ sở dữ liệu ranh giới, lô đất, bản đồ địa chính, quy hoạch sử dụng đất và sổ "
         "theo dõi cho thuê đất của các cụm công nghiệp, %s%sbáo cáo tình hình các cụm công "
         "nghiệp trên %s đến ngày %s như sau:",
         issuer && *issuer ? issuer : "", issuer && *issuer ? " " : "", area, day);
    section_checks(&w);
    section_areas(&w);
    section_plan(&w);
    section_clearance(&w);
    section_occupancy(&w, ctx);
    section_decree(&w);
    para(&w, &body, "Trên đây là báo cáo tình hình các cụm công nghiệp trên %s./.", area);
    signature(&w);
    ccn_status st = annex_maps(&w, ctx);
    if (!st) {
        char title[640];
        snprintf(title, sizeof title, "Báo cáo tình hình các cụm công nghiệp trên %s", area);
        st = ccn_docx_write(w.doc, ctx, path, title);
    }
    free(issuer);
    ccn_docx_free(w.doc);
    return st;
}

/* ---- the PDF ------------------------------------------------------------------ */

/* The program's path if name is an executable on PATH, into buf. */
static bool on_path(const char *name, char *buf, size_t size)
{
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, size, "%.*s/%s", (int)n, p, name);
        if (n > 0 && access(buf, X_OK) == 0)
            return true;
        p += n + (p[n] == ':');
    }
    return false;
}

ccn_status ccn_reportdoc_pdf(ccn_ctx *ctx, const char *docx_path, int timeout_s, bool *made)
{
    *made = false;
    char soffice[4096], profile[] = "/tmp/ccn-soffice-XXXXXX", env[4200], outdir[4096];
    if (!on_path("soffice", soffice, sizeof soffice))
        return CCN_OK;
    if (!mkdtemp(profile))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "cannot make a LibreOffice profile folder");
    /* a private profile: two conversions at once do not share one */
    snprintf(env, sizeof env, "-env:UserInstallation=file://%s", profile);
    snprintf(outdir, sizeof outdir, "%s", docx_path);
    char *slash = strrchr(outdir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(outdir, sizeof outdir, ".");
    char *argv[] = {soffice, "--headless", "--norestore", "--nologo", env, "--convert-to", "pdf",
                    "--outdir", outdir, (char *)docx_path, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, soffice, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    ccn_status st = CCN_OK;
    if (rc != 0) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "cannot run %s: %s", soffice, strerror(rc));
        goto done;
    }
    int status = 0;
    struct timespec pause = {0, 100 * 1000 * 1000};
    for (long waited = 0;; waited += 100) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "LibreOffice: %s", strerror(errno));
            goto done;
        }
        if (waited >= timeout_s * 1000L) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            st = ccn_error(ctx, CCN_ERR_INTERNAL,
                           "LibreOffice did not convert '%s' to PDF within %d s", docx_path,
                           timeout_s);
            goto done;
        }
        nanosleep(&pause, NULL);
    }
    char pdf[4096];
    snprintf(pdf, sizeof pdf, "%s", docx_path);
    char *dot = strrchr(pdf, '.');
    if (dot)
        snprintf(dot, sizeof pdf - (size_t)(dot - pdf), ".pdf");
    struct stat sb;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(pdf, &sb) != 0 || sb.st_size == 0)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "LibreOffice could not convert '%s' to PDF (exit %d)",
                       docx_path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    else
        *made = true;
done:
    ccn_outdir_remove_tree(profile);
    return st;
}
