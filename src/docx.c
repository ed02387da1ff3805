/* docx — WordprocessingML built as text, zipped with libzip.
 *
 * The body is one growing buffer of XML; images wait in a list until the
 * zip is written. Units: WordprocessingML measures the page in twentieths
 * of a point (twips, 1 mm = 56.7), font sizes in half-points, drawings in
 * EMU (1 mm = 36,000). */
#include "docx.h"

#include "output.h"
#include "outtext.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

enum { MAX_COLS = 16 };

typedef struct {
    char *name;          /* media/imageN.png */
    unsigned char *data; /* the PNG file */
    size_t size;
} image;

struct ccn_docx {
    char *xml;            /* the body so far */
    size_t len, cap;
    bool oom;             /* an allocation failed: ccn_docx_write says so */
    double margin[4];     /* top, bottom, left, right, mm */
    image *images;
    size_t nimages;
    int ncols, col;       /* the table being built */
    double widths[MAX_COLS];
    ccn_docx_style para;  /* the open paragraph's style, for its runs */
    bool header_row;      /* the open row is a header row: its cells shaded */
    double cell_mm;       /* the open cell's text width; 0 outside a table */
    bool landscape;       /* the portrait pages are closed: landscape from here on */
    bool layout_table;    /* the open table has no borders: its cells align at the top */
};

static long twips(double mm) { return (long)(mm * 1440 / 25.4 + 0.5); }
static long emu(double mm) { return (long)(mm * 36000 + 0.5); }

static void put(ccn_docx *d, const char *s, size_t n)
{
    if (d->oom)
        return;
    if (d->len + n + 1 > d->cap) {
        size_t cap = d->cap ? d->cap : 65536;
        while (d->len + n + 1 > cap)
            cap *= 2;
        char *x = realloc(d->xml, cap);
        if (!x) {
            d->oom = true;
            return;
        }
        d->xml = x;
        d->cap = cap;
    }
    memcpy(d->xml + d->len, s, n);
    d->len += n;
    d->xml[d->len] = '\0';
}

static void puts_(ccn_docx *d, const char *s) { put(d, s, strlen(s)); }

static void putf(ccn_docx *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(ccn_docx *d, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(d, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Whether the space at s[i] binds its neighbours on one line, as Vietnamese
 * typesetting keeps them: a figure and its unit ("4,5 %", "50,41 ha",
 * "2,10 m", "9.949,8 m²") and a comparison and its figure ("≤ 75", "> 10").
 * The writer puts a no-break space there: no line starts with "%)." or "75". */
static bool binds(const char *s, size_t i, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i == 0 || i + 1 >= n)
        return false;
    const unsigned char *next = u + i + 1;
    size_t left = n - i - 1;
    if (u[i - 1] >= '0' && u[i - 1] <= '9') {
        bool ha = left >= 2 && next[0] == 'h' && next[1] == 'a' &&
                  (left == 2 || (next[2] < 0x80 && !isalpha(next[2])));
        return next[0] == '%' || ha ||
               (next[0] == 'm' && (left == 1 || (next[1] < 0x80 && !isalpha(next[1])) ||
                                   (left >= 3 && next[1] == 0xC2 && next[2] == 0xB2)));
    }
    bool compares = u[i - 1] == '<' || u[i - 1] == '>' ||
                    (i >= 3 && u[i - 3] == 0xE2 && u[i - 2] == 0x89 &&
                     (u[i - 1] == 0xA4 || u[i - 1] == 0xA5)); /* ≤ ≥ */
    return compares && next[0] >= '0' && next[0] <= '9';
}

/* The one XML-escaping writer: text content and attribute values alike.
 * Control characters XML 1.0 forbids are dropped; a byte of ill-formed
 * UTF-8 becomes U+FFFD (outtext.h), so the document stays well formed;
 * a space that binds (above) becomes a no-break space. */
static void xml_text(ccn_docx *d, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            int k = ccn_outtext_utf8_seq((const unsigned char *)s + i);
            if (k > 0 && i + (size_t)k <= n) {
                i += (size_t)k - 1;
            } else {
                put(d, s + start, i - start);
                puts_(d, "\xEF\xBF\xBD");
                start = i + 1;
            }
            continue;
        }
        const char *esc = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
                        : c == '"' ? "&quot;" : c == ' ' && binds(s, i, n) ? "\xC2\xA0" : NULL;
        bool drop = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        if (esc || drop) {
            put(d, s + start, i - start);
            if (esc)
                puts_(d, esc);
            start = i + 1;
        }
    }
    put(d, s + start, n - start);
}

ccn_docx *ccn_docx_new(double top_mm, double bottom_mm, double left_mm, double right_mm)
{
    ccn_docx *d = calloc(1, sizeof *d);
    if (d) {
        d->margin[0] = top_mm;
        d->margin[1] = bottom_mm;
        d->margin[2] = left_mm;
        d->margin[3] = right_mm;
    }
    return d;
}

void ccn_docx_free(ccn_docx *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nimages; i++) {
        free(d->images[i].name);
        free(d->images[i].data);
    }
    free(d->images);
    free(d->xml);
    free(d);
}

static void run_props(ccn_docx *d, const ccn_docx_style *s, bool bold, bool italic)
{
    double size = s && s->size_pt > 0 ? s->size_pt : 14;
    puts_(d, "<w:rPr>");
    if (bold)
        puts_(d, "<w:b/>");
    if (italic)
        puts_(d, "<w:i/>");
    if (size != 14) /* CT_RPr's order: b, i, …, sz, szCs */
        putf(d, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", (int)(size * 2 + 0.5),
             (int)(size * 2 + 0.5));
    puts_(d, "</w:rPr>");
}

void ccn_docx_para_begin(ccn_docx *d, const ccn_docx_style *s)
{
    static const char *const jc[] = {"left", "center", "right", "both"};
    static const ccn_docx_style plain = {0};
    if (!s)
        s = &plain;
    puts_(d, "<w:p><w:pPr>");
    if (s->keep_next)
        puts_(d, "<w:keepNext/>");
    if (s->page_break_before)
        puts_(d, "<w:pageBreakBefore/>");
    putf(d, "<w:spacing w:before=\"%d\" w:after=\"%d\"/>", (int)(s->before_pt * 20),
         (int)(s->after_pt * 20));
    if (s->first_line_mm > 0)
        putf(d, "<w:ind w:firstLine=\"%ld\"/>", twips(s->first_line_mm));
    putf(d, "<w:jc w:val=\"%s\"/>", jc[s->align]);
    run_props(d, s, s->bold, s->italic); /* the paragraph mark's look */
    puts_(d, "</w:pPr>");
    d->para = *s;
}

void ccn_docx_run(ccn_docx *d, const char *text, bool bold, bool italic)
{
    const ccn_docx_style *s = &d->para;
    const char *p = text ? text : "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        puts_(d, "<w:r>");
        run_props(d, s, bold || s->bold, italic || s->italic);
        puts_(d, "<w:t xml:space=\"preserve\">");
        xml_text(d, p, n);
        puts_(d, "</w:t>");
        if (nl)
            puts_(d, "<w:br/>");
        puts_(d, "</w:r>");
        if (!nl)
            break;
        p = nl + 1;
    }
}

void ccn_docx_para_end(ccn_docx *d) { puts_(d, "</w:p>"); }

void ccn_docx_para(ccn_docx *d, const ccn_docx_style *s, const char *text)
{
    ccn_docx_para_begin(d, s);
    if (text && *text)
        ccn_docx_run(d, text, false, false);
    ccn_docx_para_end(d);
}

void ccn_docx_table_begin(ccn_docx *d, int ncols, const double *widths_mm, bool borders)
{
    d->ncols = ncols < MAX_COLS ? ncols : MAX_COLS;
    d->layout_table = !borders;
    double total = 0;
    for (int i = 0; i < d->ncols; i++)
        total += d->widths[i] = widths_mm[i];
    putf(d, "<w:tbl><w:tblPr><w:tblW w:w=\"%ld\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>",
         twips(total));
    if (borders) {
        puts_(d, "<w:tblBorders>");
        static const char *const sides[] = {"top", "left", "bottom", "right", "insideH",
                                            "insideV"};
        for (int i = 0; i < 6; i++)
            putf(d, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
                 sides[i]);
        puts_(d, "</w:tblBorders>");
    }
    puts_(d, "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/>"
             "<w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>");
    for (int i = 0; i < d->ncols; i++)
        putf(d, "<w:gridCol w:w=\"%ld\"/>", twips(d->widths[i]));
    puts_(d, "</w:tblGrid>");
}

void ccn_docx_row_begin(ccn_docx *d, bool header)
{
    puts_(d, "<w:tr><w:trPr><w:cantSplit/>");
    if (header)
        puts_(d, "<w:tblHeader/>");
    puts_(d, "</w:trPr>");
    d->col = 0;
    d->header_row = header;
}

void ccn_docx_cell_begin(ccn_docx *d)
{
    double w = d->col < d->ncols ? d->widths[d->col] : 20;
    putf(d, "<w:tc><w:tcPr><w:tcW w:w=\"%ld\" w:type=\"dxa\"/>", twips(w));
    if (d->header_row)
        puts_(d, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7EEF7\"/>");
    /* A figure table centres its cells; the blocks of a letter start at the
     * top, "Nơi nhận:" level with the signer's authority (Decree 30). */
    putf(d, "<w:vAlign w:val=\"%s\"/></w:tcPr>", d->layout_table ? "top" : "center");
    d->col++;
    d->cell_mm = w - 2; /* less the cell margins, 1 mm a side */
}

void ccn_docx_cell_end(ccn_docx *d)
{
    puts_(d, "</w:tc>");
    d->cell_mm = 0;
}

void ccn_docx_rule(ccn_docx *d, double length_mm)
{
    double page = d->landscape ? 297 : 210; /* A4's width, as its section turns it */
    double room = d->cell_mm > 0 ? d->cell_mm : page - d->margin[2] - d->margin[3];
    double side = room > length_mm ? (room - length_mm) / 2 : 0;
    /* An empty paragraph 1 pt high whose bottom border is the line: it sits
     * under the line above in any font, where an underline crosses the dot
     * below Vietnamese letters (the ạ of "Hạnh phúc"). */
    putf(d,
         "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"0\""
         " w:color=\"000000\"/></w:pBdr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\""
         " w:lineRule=\"exact\"/><w:ind w:left=\"%ld\" w:right=\"%ld\"/><w:rPr><w:sz w:val=\"2\"/>"
         "<w:szCs w:val=\"2\"/></w:rPr></w:pPr></w:p>",
         twips(side), twips(side));
}

void ccn_docx_cell(ccn_docx *d, const ccn_docx_style *s, const char *text)
{
    ccn_docx_cell_begin(d);
    ccn_docx_para(d, s, text);
    ccn_docx_cell_end(d);
}

void ccn_docx_row_end(ccn_docx *d) { puts_(d, "</w:tr>"); }

void ccn_docx_table_end(ccn_docx *d)
{
    puts_(d, "</w:tbl>"); /* the caller ends the body with a paragraph, as Word wants */
    d->ncols = 0;
}

/* ---- images ---------------------------------------------------------------- */

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

ccn_status ccn_docx_image(ccn_docx *d, ccn_ctx *ctx, const char *png_path, double width_mm)
{
    FILE *f = fopen(png_path, "rb");
    unsigned char *data = NULL;
    long n = -1;
    if (!f)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot read '%s': %s", png_path, strerror(errno));
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 24 && fseek(f, 0, SEEK_SET) == 0 &&
        (data = malloc((size_t)n)) && fread(data, 1, (size_t)n, f) == (size_t)n) {
        fclose(f);
    } else {
        fclose(f);
        free(data);
        return ccn_error(ctx, n >= 0 && n < 24 ? CCN_ERR_INPUT : CCN_ERR_INTERNAL,
                         "cannot read '%s'", png_path);
    }
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned long w = be32(data + 16), h = be32(data + 20);
    if (memcmp(data, sig, 8) != 0 || memcmp(data + 12, "IHDR", 4) != 0 || w == 0 || h == 0) {
        free(data);
        return ccn_error(ctx, CCN_ERR_INPUT, "'%s' is not a PNG image", png_path);
    }
    image *grown = realloc(d->images, (d->nimages + 1) * sizeof *grown);
    if (!grown) {
        free(data);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    d->images = grown;
    size_t k = d->nimages;
    char name[64];
    snprintf(name, sizeof name, "media/image%zu.png", k + 1);
    d->images[k] = (image){.name = strdup(name), .data = data, .size = (size_t)n};
    if (!d->images[k].name) {
        free(data);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    d->nimages++;
    long cx = emu(width_mm), cy = emu(width_mm * (double)h / (double)w);
    static const ccn_docx_style centred = {.align = CCN_DOCX_CENTER, .after_pt = 3,
                                           .keep_next = true};
    ccn_docx_para_begin(d, &centred);
    putf(d,
         "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
         "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:docPr id=\"%zu\" name=\"Hình %zu\"/>"
         "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
         "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
         "<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
         "<pic:nvPicPr><pic:cNvPr id=\"%zu\" name=\"image%zu.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
         "<pic:blipFill><a:blip r:embed=\"rIdImg%zu\"/><a:stretch><a:fillRect/></a:stretch>"
         "</pic:blipFill>",
         cx, cy, k + 1, k + 1, k + 1, k + 1, k + 1);
    putf(d,
         "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm>"
         "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"
         "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
         cx, cy);
    ccn_docx_para_end(d);
    return CCN_OK;
}

/* ---- the package ----------------------------------------------------------- */

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Default Extension=\"png\" ContentType=\"image/png\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "</Types>";

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "</Relationships>";

/* The page number (Decree 30/2020/NĐ-CP, appendix I: Arabic numerals, 13–14
 * pt upright, centred in the top margin, not on the first page: the section
 * sets titlePg and gives the first page no header). */
static const char header[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
    "<w:r><w:t>2</w:t></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>";

/* Times New Roman 14 pt, Vietnamese, single spacing, for every paragraph. */
static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
    "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/>"
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
    "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
    "<w:tblPr><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>";

static ccn_status add_part(ccn_ctx *ctx, zip_t *z, const char *name, const void *data,
                           size_t size, bool stored)
{
    zip_source_t *src = zip_source_buffer(z, data, size, 0);
    zip_int64_t idx = src ? zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
    if (idx < 0) {
        if (src)
            zip_source_free(src);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "zip: %s: %s", name, zip_strerror(z));
    }
    if (stored) /* PNG is compressed already */
        zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    return CCN_OK;
}

/* A section's properties: A4 portrait or landscape, the margins, the page
 * number in the header. The first section numbers from 1 and has no number
 * on its first page; a later one goes on numbering, on every page. */
static void section_props(char *buf, size_t size, const ccn_docx *d, bool landscape, bool first)
{
    snprintf(buf, size,
             "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
             "<w:pgSz w:w=\"%d\" w:h=\"%d\"%s/>"
             "<w:pgMar w:top=\"%ld\" w:right=\"%ld\" w:bottom=\"%ld\" w:left=\"%ld\""
             " w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>%s</w:sectPr>",
             landscape ? 16838 : 11906, landscape ? 11906 : 16838,
             landscape ? " w:orient=\"landscape\"" : "", twips(d->margin[0]), twips(d->margin[3]),
             twips(d->margin[1]), twips(d->margin[2]),
             first ? "<w:pgNumType w:start=\"1\"/><w:titlePg/>" : "");
}

void ccn_docx_landscape(ccn_docx *d)
{
    if (d->landscape)
        return;
    char props[640];
    section_props(props, sizeof props, d, false, true);
    puts_(d, "<w:p><w:pPr>"); /* the portrait pages end with this paragraph */
    puts_(d, props);
    puts_(d, "</w:pPr></w:p>");
    d->landscape = true;
}

/* document.xml's head and tail around the body, and the relationships of
 * the images, as one malloc'd string each. */
static char *document_xml(const ccn_docx *d)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
        " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
        " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
        " xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>";
    char props[640], tail[680];
    section_props(props, sizeof props, d, d->landscape, !d->landscape);
    snprintf(tail, sizeof tail, "%s</w:body></w:document>", props);
    size_t n = strlen(head) + d->len + strlen(tail) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", head, d->xml ? d->xml : "", tail);
    return s;
}

static char *document_rels(const ccn_docx *d)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>";
    size_t n = sizeof head + 256 * (d->nimages + 1);
    char *s = malloc(n);
    if (!s)
        return NULL;
    size_t k = (size_t)snprintf(s, n, "%s", head);
    for (size_t i = 0; i < d->nimages; i++)
        k += (size_t)snprintf(s + k, n - k,
                              "<Relationship Id=\"rIdImg%zu\" Type=\"http://schemas.openxmlformats"
                              ".org/officeDocument/2006/relationships/image\" Target=\"%s\"/>",
                              i + 1, d->images[i].name);
    snprintf(s + k, n - k, "</Relationships>");
    return s;
}

static char *core_xml(const char *title)
{
    ccn_docx t = {0}; /* the escaping writer, on a scratch buffer */
    puts_(&t, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
              "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
              "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
              "<dc:title>");
    xml_text(&t, title ? title : "", title ? strlen(title) : 0);
    puts_(&t, "</dc:title><dc:creator>ccn</dc:creator><dc:language>vi-VN</dc:language>"
              "</cp:coreProperties>");
    if (t.oom) {
        free(t.xml);
        return NULL;
    }
    return t.xml;
}

ccn_status ccn_docx_write(ccn_docx *d, ccn_ctx *ctx, const char *path, const char *title)
{
    if (d->oom)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory building '%s'", path);
    ccn_status st = CCN_OK;
    char *doc = document_xml(d), *rels = document_rels(d), *core = core_xml(title);
    ccn_output *out = NULL; /* libzip writes its own file: a folder of ours (output.h) */
    const char *tmp = NULL;
    zip_t *z = NULL;
    if (!doc || !rels || !core) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_output_open_dir(ctx, path, &out)))
        goto done;
    if (!(tmp = ccn_output_part(out, NULL))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    int err = 0;
    if (!(z = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &err))) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        goto done;
    }
    if ((st = add_part(ctx, z, "[Content_Types].xml", content_types, strlen(content_types),
                       false)) ||
        (st = add_part(ctx, z, "_rels/.rels", package_rels, strlen(package_rels), false)) ||
        (st = add_part(ctx, z, "docProps/core.xml", core, strlen(core), false)) ||
        (st = add_part(ctx, z, "word/document.xml", doc, strlen(doc), false)) ||
        (st = add_part(ctx, z, "word/_rels/document.xml.rels", rels, strlen(rels), false)) ||
        (st = add_part(ctx, z, "word/styles.xml", styles, strlen(styles), false)) ||
        (st = add_part(ctx, z, "word/header1.xml", header, strlen(header), false)))
        goto done;
    for (size_t i = 0; i < d->nimages && !st; i++) {
        char name[80];
        snprintf(name, sizeof name, "word/%s", d->images[i].name);
        st = add_part(ctx, z, name, d->images[i].data, d->images[i].size, true);
    }
    if (st)
        goto done;
    if (zip_close(z) != 0) { /* the buffers are read here */
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", path, zip_strerror(z));
        goto done;
    }
    z = NULL;
    st = ccn_output_commit(ctx, out);
    out = NULL;
done:
    if (z)
        zip_discard(z);
    ccn_output_abort(out);
    free(doc);
    free(rels);
    free(core);
    return st;
}
