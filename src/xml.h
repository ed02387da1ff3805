/* xml — one escaping writer for the XML ccn writes (QGIS styles and
 * projects): markup goes in through ccn_xml_raw (a format string that holds
 * no outside text), every outside string through ccn_xml_text or the %s
 * arguments of ccn_xml_attrf, which escape it. Text that leaves ccn is
 * escaped where it lands, here.
 *
 * Ownership: a ccn_xml is freed with ccn_xml_free; ccn_xml_take hands its
 * buffer to the caller (free). Out of memory is sticky: later calls do
 * nothing and ccn_xml_take returns NULL. */
#ifndef CCN_XML_H
#define CCN_XML_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ccn_xml ccn_xml;

ccn_xml *ccn_xml_new(void);
void ccn_xml_free(ccn_xml *x);

/* Markup, printf-style; the arguments are trusted (numbers, names of ccn). */
void ccn_xml_raw(ccn_xml *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Outside text, escaped for an element's content or an attribute value. */
void ccn_xml_text(ccn_xml *x, const char *s);
/* Markup whose %s arguments are all outside text: each is escaped. Only %s
 * is allowed in fmt (and %% for a percent sign). */
void ccn_xml_attrf(ccn_xml *x, const char *fmt, ...);

const char *ccn_xml_data(const ccn_xml *x); /* NUL-terminated; NULL after out of memory */
size_t ccn_xml_len(const ccn_xml *x);
bool ccn_xml_failed(const ccn_xml *x);
char *ccn_xml_take(ccn_xml *x); /* the buffer, and frees x */

#endif
