/* docx — an editable Word document (Office Open XML, WordprocessingML),
 * written with libzip: the one module that knows OOXML.
 *
 * A document is built front to back: paragraphs (one style each, runs of
 * bold / italic text inside), tables (cells holding paragraphs), PNG images,
 * page breaks; ccn_docx_write zips it with its parts ([Content_Types].xml,
 * the relationships, styles.xml, the images). The page is A4 portrait (landscape after
 * ccn_docx_landscape) with
 * the margins given (Decree 30/2020/NĐ-CP: top and bottom 20–25 mm, left
 * 30–35 mm, right 15–20 mm), the text Times New Roman, in Vietnamese.
 *
 * All text goes through one XML-escaping writer (xml_text in docx.c): the
 * caller passes plain UTF-8. An allocation that fails is remembered and
 * reported by ccn_docx_write, so building calls need no error checks.
 *
 * Ownership: ccn_docx_new returns a document freed with ccn_docx_free;
 * text and images are copied in. */
#ifndef CCN_DOCX_H
#define CCN_DOCX_H

#include "ctx.h"

typedef struct ccn_docx ccn_docx;

typedef enum { CCN_DOCX_LEFT, CCN_DOCX_CENTER, CCN_DOCX_RIGHT, CCN_DOCX_BOTH } ccn_docx_align;

/* How a paragraph looks; a zeroed style is left-aligned 14 pt body text. */
typedef struct {
    ccn_docx_align align;
    bool bold, italic;
    double size_pt;         /* 0: 14 */
    double before_pt, after_pt; /* spacing; after 0: none */
    double first_line_mm;   /* first-line indent */
    bool keep_next;         /* keep with the next paragraph (a heading) */
    bool page_break_before;
} ccn_docx_style;

/* margins in mm: top, bottom, left, right. */
ccn_docx *ccn_docx_new(double top_mm, double bottom_mm, double left_mm, double right_mm);
void ccn_docx_free(ccn_docx *d);

/* A paragraph of text; '\n' in text is a line break within it. */
void ccn_docx_para(ccn_docx *d, const ccn_docx_style *s, const char *text);
/* A paragraph made of runs: begin, runs, end. */
void ccn_docx_para_begin(ccn_docx *d, const ccn_docx_style *s);
void ccn_docx_run(ccn_docx *d, const char *text, bool bold, bool italic);
void ccn_docx_para_end(ccn_docx *d);
/* A horizontal line length_mm long, centred in the open cell (or the text
 * width), in a paragraph of its own: Decree 30's line under the issuing body
 * and under the motto. */
void ccn_docx_rule(ccn_docx *d, double length_mm);

/* A table of ncols columns (widths in mm); borders false: a layout table
 * (the header block and the signature block of an official letter).
 * Rows hold cells; a cell holds paragraphs (ccn_docx_para between
 * cell_begin and cell_end) or one text (ccn_docx_cell). A header row
 * repeats on every page and is shaded. */
void ccn_docx_table_begin(ccn_docx *d, int ncols, const double *widths_mm, bool borders);
void ccn_docx_row_begin(ccn_docx *d, bool header);
void ccn_docx_cell_begin(ccn_docx *d);
void ccn_docx_cell_end(ccn_docx *d);
void ccn_docx_cell(ccn_docx *d, const ccn_docx_style *s, const char *text);
void ccn_docx_row_end(ccn_docx *d);
void ccn_docx_table_end(ccn_docx *d);

/* A PNG image width_mm wide (its height from its aspect), in a centred
 * paragraph of its own. CCN_ERR_INPUT if the file is not a readable PNG. */
ccn_status ccn_docx_image(ccn_docx *d, ccn_ctx *ctx, const char *png_path, double width_mm);

/* The pages from here on are A4 landscape (the annex of maps): a section
 * break, so what follows starts a new page; the page numbers go on. */
void ccn_docx_landscape(ccn_docx *d);

/* Write the document to path (a temporary name, then rename); title goes
 * into the document's properties. */
ccn_status ccn_docx_write(ccn_docx *d, ccn_ctx *ctx, const char *path, const char *title);

#endif
