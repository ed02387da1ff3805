/* separation — nodes cut off from a root by a wall (see separation.h). */
#include "separation.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

typedef struct {
    uint32_t *first; /* n + 1: each node's slice of to[] and via[] */
    uint32_t *to, *via; /* the node across, and the edge */
} adjacency;

static bool adjacency_build(adjacency *a, size_t n, const uint32_t *edges, size_t ne)
{
    a->first = calloc(n + 2, sizeof *a->first);
    a->to = malloc((2 * ne + 1) * sizeof *a->to);
    a->via = malloc((2 * ne + 1) * sizeof *a->via);
    if (!a->first || !a->to || !a->via)
        return false;
    for (size_t k = 0; k < ne; k++)
        if (edges[2 * k] != edges[2 * k + 1]) /* a loop joins nothing */
            a->first[edges[2 * k] + 2]++, a->first[edges[2 * k + 1] + 2]++;
    for (size_t v = 0; v < n; v++)
        a->first[v + 2] += a->first[v + 1];
    for (size_t k = 0; k < ne; k++) {
        uint32_t u = edges[2 * k], v = edges[2 * k + 1];
        if (u == v)
            continue;
        uint32_t p = a->first[u + 1]++, q = a->first[v + 1]++;
        a->to[p] = v, a->via[p] = (uint32_t)k;
        a->to[q] = u, a->via[q] = (uint32_t)k;
    }
    return true;
}

static void adjacency_free(adjacency *a)
{
    free(a->first);
    free(a->to);
    free(a->via);
}

/* The blocks of the root's component: block[e] for each of its edges (NONE
 * elsewhere); *nblocks of them. Depth-first from the root with an explicit
 * stack; an edge goes on the edge stack as it is first followed, and a block
 * is popped off it when a child's low point does not reach above its
 * parent. */
static bool blocks(const adjacency *a, size_t n, size_t ne, uint32_t root, uint32_t *block,
                   uint32_t *nblocks)
{
    uint32_t *disc = calloc(n + 1, sizeof *disc), *low = malloc((n + 1) * sizeof *low);
    uint32_t *node = malloc((n + 1) * sizeof *node), *up = malloc((n + 1) * sizeof *up);
    uint32_t *next = malloc((n + 1) * sizeof *next), *estack = malloc((ne + 1) * sizeof *estack);
    bool ok = disc && low && node && up && next && estack;
    for (size_t e = 0; ok && e < ne; e++)
        block[e] = NONE;
    uint32_t time = 1, nb = 0;
    size_t sp = 0, es = 0;
    if (ok) {
        disc[root] = low[root] = time++;
        node[0] = root, up[0] = NONE, next[0] = a->first[root], sp = 1;
    }
    while (ok && sp > 0) {
        uint32_t v = node[sp - 1];
        if (next[sp - 1] < a->first[v + 1]) {
            uint32_t k = next[sp - 1]++, w = a->to[k], e = a->via[k];
            if (e == up[sp - 1])
                continue;
            if (disc[w] == 0) {
                estack[es++] = e;
                disc[w] = low[w] = time++;
                node[sp] = w, up[sp] = e, next[sp] = a->first[w], sp++;
            } else if (disc[w] < disc[v]) { /* back to an ancestor */
                estack[es++] = e;
                if (disc[w] < low[v])
                    low[v] = disc[w];
            }
            continue;
        }
        sp--;
        if (sp == 0)
            break;
        uint32_t u = node[sp - 1];
        if (low[v] < low[u])
            low[u] = low[v];
        if (low[v] >= disc[u]) { /* u cuts v's subtree off: a block ends at edge u-v */
            uint32_t e;
            do
                block[e = estack[--es]] = nb;
            while (e != up[sp]);
            nb++;
        }
    }
    free(disc), free(low), free(node), free(up), free(next), free(estack);
    *nblocks = nb;
    return ok;
}

ccn_status ccn_separation(ccn_ctx *ctx, size_t n, const uint32_t *edges, size_t ne,
                          const uint8_t *wall, uint32_t root, uint8_t *cut)
{
    if (n >= NONE || ne >= NONE / 2 || root >= n)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "too large a graph: %zu nodes, %zu edges", n, ne);
    adjacency a = {0};
    uint32_t *block = malloc((ne + 1) * sizeof *block), nb = 0;
    uint32_t *bfirst = NULL, *bedge = NULL, *queue = NULL;
    uint8_t *seen = NULL, *bseen = NULL;
    bool ok = block && adjacency_build(&a, n, edges, ne) && blocks(&a, n, ne, root, block, &nb);
    /* Each block's edges, to walk the tree of blocks. */
    if (ok) {
        bfirst = calloc((size_t)nb + 2, sizeof *bfirst);
        bedge = malloc((ne + 1) * sizeof *bedge);
        queue = malloc((n + 1) * sizeof *queue);
        seen = calloc(n + 1, 1);
        bseen = calloc((size_t)nb + 1, 1);
        ok = bfirst && bedge && queue && seen && bseen;
    }
    if (ok) {
        for (size_t e = 0; e < ne; e++)
            if (block[e] != NONE)
                bfirst[block[e] + 2]++;
        for (size_t b = 0; b < nb; b++)
            bfirst[b + 2] += bfirst[b + 1];
        for (size_t e = 0; e < ne; e++)
            if (block[e] != NONE)
                bedge[bfirst[block[e] + 1]++] = (uint32_t)e;
        /* Down from the root, breadth first: a block is entered from its
         * cut node nearest the root, and its nodes are cut off when that
         * node is, or is a wall. */
        memset(cut, 1, n); /* not reached: no path at all */
        size_t head = 0, tail = 0;
        queue[tail++] = root, seen[root] = 1, cut[root] = 0;
        while (head < tail) {
            uint32_t v = queue[head++];
            for (uint32_t k = a.first[v]; k < a.first[v + 1]; k++) {
                uint32_t b = block[a.via[k]];
                if (b == NONE || bseen[b])
                    continue;
                bseen[b] = 1;
                uint8_t off = cut[v] || (wall[v] && v != root);
                for (uint32_t q = bfirst[b]; q < bfirst[b + 1]; q++)
                    for (int end = 0; end < 2; end++) {
                        uint32_t w = edges[2 * (size_t)bedge[q] + end];
                        if (!seen[w])
                            seen[w] = 1, cut[w] = off, queue[tail++] = w;
                    }
            }
        }
    }
    adjacency_free(&a);
    free(block), free(bfirst), free(bedge), free(queue), free(seen), free(bseen);
    return ok ? CCN_OK : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
}
