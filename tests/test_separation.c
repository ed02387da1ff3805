/* separation: nodes cut off from a root by a single wall. Small graphs worked
 * out by hand (the shapes the gap search meets: a hole of one part, land
 * enclosed by two parts touching at points, an island part in a large
 * uncovered region), then thousands of random graphs against brute force:
 * take each wall out in turn and see whether the node still reaches the
 * root. */
#include "check.h"
#include "separation.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static ccn_ctx *ctx;

/* cut[] of the graph, edges given as pairs. */
static void separate(size_t n, const uint32_t *edges, size_t ne, const char *walls, uint32_t root,
                     uint8_t *cut)
{
    uint8_t wall[64] = {0};
    for (size_t v = 0; v < n; v++)
        wall[v] = walls[v] == 'W';
    CHECK(ccn_separation(ctx, n, edges, ne, wall, root, cut) == CCN_OK);
}

static void by_hand(void)
{
    uint8_t cut[16];
    /* The outside 0, a part 1, a gap 2 only the part borders: cut off. */
    const uint32_t path[] = {0, 1, 1, 2};
    separate(3, path, 2, "oWo", 0, cut);
    CHECK(cut[0] == 0 && cut[1] == 0 && cut[2] == 1);
    /* Two parts 1 and 2 touching at points, each along the outside 0 and
     * the land 3 between them: two ways out, no single wall. */
    const uint32_t diamond[] = {0, 1, 0, 2, 1, 3, 2, 3};
    separate(4, diamond, 4, "oWWo", 0, cut);
    CHECK(cut[3] == 0);
    /* Part 1 with a large uncovered region 2 in its hole; in it, parts 3
     * and 4 touching at points round land 5: 5 is in part 1's hole (every
     * way out passes 1), and so is 2. */
    const uint32_t nested[] = {0, 1, 1, 2, 2, 3, 2, 4, 3, 5, 4, 5};
    separate(6, nested, 6, "oWoWWo", 0, cut);
    CHECK(cut[2] == 1 && cut[5] == 1);
    /* The same, but region 2 is bordered by parts 1 and 6 that both reach
     * the outside: only region 2 itself, no wall, stands between 5 and the
     * outside. */
    const uint32_t open[] = {0, 1, 0, 6, 1, 2, 6, 2, 2, 3, 2, 4, 3, 5, 4, 5};
    separate(7, open, 8, "oWoWWoW", 0, cut);
    CHECK(cut[2] == 0 && cut[5] == 0);
    /* A triangle of a wall 1 and nodes 2, 3 hanging off the root by the
     * wall: both cut off; a node 4 with no edge at all: cut off (no way). */
    const uint32_t triangle[] = {0, 1, 1, 2, 2, 3, 3, 1};
    separate(5, triangle, 4, "oWooo", 0, cut);
    CHECK(cut[2] == 1 && cut[3] == 1 && cut[4] == 1);
    /* Repeated edges and loops change nothing; a wall at the root is none. */
    const uint32_t repeats[] = {0, 1, 1, 0, 1, 1, 1, 2, 2, 1, 0, 3};
    separate(4, repeats, 6, "WWoo", 0, cut);
    CHECK(cut[2] == 1 && cut[3] == 0);
}

/* Does v reach root with node skip taken out (skip == n: none)? */
static bool reaches(size_t n, const uint32_t *edges, size_t ne, uint32_t root, uint32_t v,
                    size_t skip)
{
    uint8_t seen[64] = {0};
    uint32_t queue[64];
    size_t head = 0, tail = 0;
    if (root == skip)
        return false;
    queue[tail++] = root, seen[root] = 1;
    while (head < tail) {
        uint32_t u = queue[head++];
        for (size_t e = 0; e < ne; e++)
            for (int end = 0; end < 2; end++) {
                uint32_t a = edges[2 * e + end], b = edges[2 * e + 1 - end];
                if (a == u && b != skip && !seen[b])
                    seen[b] = 1, queue[tail++] = b;
            }
    }
    (void)n;
    return seen[v];
}

static void against_brute_force(void)
{
    uint64_t state = 12345;
    size_t cases = 0, cut_off = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = 2 + (size_t)(check_uniform(&state) * 14);
        size_t ne = (size_t)(check_uniform(&state) * 2.5 * (double)n);
        uint32_t edges[2 * 64];
        char walls[64];
        for (size_t e = 0; e < ne; e++) {
            edges[2 * e] = (uint32_t)(check_uniform(&state) * (double)n);
            edges[2 * e + 1] = (uint32_t)(check_uniform(&state) * (double)n);
        }
        for (size_t v = 0; v < n; v++)
            walls[v] = check_uniform(&state) < 0.4 ? 'W' : 'o';
        uint32_t root = (uint32_t)(check_uniform(&state) * (double)n);
        uint8_t cut[64];
        separate(n, edges, ne, walls, root, cut);
        for (uint32_t v = 0; v < n; v++) {
            bool expected = !reaches(n, edges, ne, root, v, n);
            for (size_t w = 0; w < n && !expected; w++)
                expected = walls[w] == 'W' && w != v && w != root &&
                           !reaches(n, edges, ne, root, v, w);
            if (cut[v] != expected)
                fprintf(stderr, "round %d: node %u of %zu: cut %d, brute force %d\n", round, v,
                        n, cut[v], expected);
            CHECK(cut[v] == expected);
            cases++;
            cut_off += expected;
        }
    }
    printf("%zu nodes compared with brute force, %zu cut off\n", cases, cut_off);
    CHECK(cut_off > cases / 10 && cut_off < cases * 9 / 10); /* both answers tried */
}

int main(void)
{
    ctx = ccn_ctx_new();
    by_hand();
    against_brute_force();
    ccn_ctx_free(ctx);
    return check_summary();
}
