/* textpool — strings kept in blocks and freed all at once. */
#include "textpool.h"

#include <stdlib.h>
#include <string.h>

struct ccn_textpool_block {
    ccn_textpool_block *next;
    size_t used, cap;
    char bytes[];
};

enum { BLOCK = 65536 };

char *ccn_textpool_room(ccn_textpool *p, size_t n)
{
    ccn_textpool_block *b = p->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > BLOCK - sizeof *b ? n : BLOCK - sizeof *b;
        if (!(b = malloc(sizeof *b + cap)))
            return NULL;
        *b = (ccn_textpool_block){p->head, 0, cap};
        p->head = b;
    }
    b->used += n;
    return b->bytes + b->used - n;
}

char *ccn_textpool_strdup(ccn_textpool *p, const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = ccn_textpool_room(p, n);
    return c ? memcpy(c, s, n) : NULL;
}

void ccn_textpool_reset(ccn_textpool *p)
{
    if (!p->head)
        return;
    for (ccn_textpool_block *b = p->head->next, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    p->head->next = NULL;
    p->head->used = 0;
}

void ccn_textpool_free(ccn_textpool *p)
{
    ccn_textpool_reset(p);
    free(p->head);
    p->head = NULL;
}

void ccn_textpool_adopt(ccn_textpool *p, ccn_textpool *from)
{
    if (!from->head)
        return;
    ccn_textpool_block *last = from->head;
    while (last->next)
        last = last->next;
    /* Behind p's newest block: p goes on filling that one. */
    if (p->head) {
        last->next = p->head->next;
        p->head->next = from->head;
    } else {
        p->head = from->head;
    }
    from->head = NULL;
}
