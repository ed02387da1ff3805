/* textpool — strings kept in blocks and freed all at once.
 *
 * For the many short strings of a report (a table's cells, the messages of
 * 287,000 findings): one malloc per 64 KiB instead of one per string, and
 * no free per string.
 *
 * Ownership: a zeroed ccn_textpool is empty; the strings it hands out live
 * until ccn_textpool_reset or ccn_textpool_free. */
#ifndef CCN_TEXTPOOL_H
#define CCN_TEXTPOOL_H

#include <stddef.h>

typedef struct ccn_textpool_block ccn_textpool_block;
typedef struct {
    ccn_textpool_block *head; /* the newest block */
} ccn_textpool;

/* Room for n bytes; NULL when out of memory. */
char *ccn_textpool_room(ccn_textpool *p, size_t n);
/* A copy of s; NULL when out of memory. */
char *ccn_textpool_strdup(ccn_textpool *p, const char *s);
/* Every string dropped; the newest block kept for the next ones. */
void ccn_textpool_reset(ccn_textpool *p);
void ccn_textpool_free(ccn_textpool *p);
/* from's strings moved into p (they live as long as p's); from left empty. */
void ccn_textpool_adopt(ccn_textpool *p, ccn_textpool *from);

#endif
