/* collate: the order lot numbers and codes are listed in. Each expected list
 * is sorted by hand from collate.h's rules (digit runs by value, letters in
 * the Vietnamese alphabet case aside, then tone, case, bytes). */
#include "check.h"
#include "collate.h"

#include <stdlib.h>

static int by_collate(const void *a, const void *b)
{
    return ccn_collate(*(const char *const *)a, *(const char *const *)b);
}

/* Sorting `in` (n strings) gives `want`; every pair compares consistently. */
static void sorts_to(const char **in, const char *const *want, size_t n)
{
    qsort(in, n, sizeof *in, by_collate);
    for (size_t i = 0; i < n; i++) {
        CHECK_STR(in[i], want[i]);
        for (size_t j = 0; j < n; j++) {
            int c = ccn_collate(want[i], want[j]);
            CHECK(i < j ? c < 0 : i > j ? c > 0 : c == 0);
        }
    }
}

int main(void)
{
    /* The brief's example: c before K, 2 before 10. */
    const char *a[] = {"KT-10", "cn-02", "KT-2", "KT-1"};
    const char *const a_want[] = {"cn-02", "KT-1", "KT-2", "KT-10"};
    sorts_to(a, a_want, 4);

    /* L2 < L10 < L100; a shorter prefix first; "L" before "L-1" (end first),
     * '-' before digits before letters. */
    const char *b[] = {"L100", "L10", "L2", "L", "L-1", "La", "L1a", "L1"};
    const char *const b_want[] = {"L", "L-1", "L1", "L1a", "L2", "L10", "L100", "La"};
    sorts_to(b, b_want, 8);

    /* Vietnamese letters: D < Đ < E, A < Ă < Â < B, O < Ô < Ơ < P, U < Ư < V. */
    const char *c[] = {"E1", "Đ1", "D9", "B", "Â", "Ă", "A", "P", "Ơ", "Ô", "O", "V", "Ư", "U"};
    const char *const c_want[] = {"A", "Ă", "Â", "B", "D9", "Đ1", "E1",
                                  "O", "Ô", "Ơ", "P", "U", "Ư", "V"};
    sorts_to(c, c_want, 14);

    /* Tones only break ties: "Ba" (no tone) < "Bà" < "Bả" < "Bã" < "Bá" < "Bạ",
     * and all before "Bb"; "Bá1" < "Ba2" since 1 < 2 decides first. */
    const char *d[] = {"Bb", "Bạ", "Bá", "Bã", "Bả", "Bà", "Ba", "Ba2", "Bá1"};
    const char *const d_want[] = {"Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Bá1", "Ba2", "Bb"};
    sorts_to(d, d_want, 9);

    /* Case breaks ties after tone, small first; leading zeros last of all:
     * "CN-02" and "CN-2" are equal but for the bytes, '0' < '2'. */
    const char *e[] = {"CN-2", "cn-2", "CN-02", "Cn-2", "CN-3"};
    const char *const e_want[] = {"cn-2", "Cn-2", "CN-02", "CN-2", "CN-3"};
    sorts_to(e, e_want, 5);

    /* Decomposed (NFD) letters weigh as precomposed (NFC) ones: "Ô-12" with
     * U+0302 after its O sorts after "Ô-3" (3 < 12), not with the O's before
     * it; "Bá1" with U+0301 before "Ba2"; "Ư" as U + U+031B between U and V.
     * The bytes break the last tie: 'a' (0x61) of the NFD "Bá" before the
     * 0xC3 of the NFC one. */
    const char *f[] = {"O\xcc\x82-12", "\xc3\x94-3", "O-20", "P", "Ba2", "Ba\xcc\x81" "1",
                       "B\xc3\xa1", "Ba\xcc\x81", "U\xcc\x9b", "V", "U9"};
    const char *const f_want[] = {"Ba\xcc\x81", "B\xc3\xa1", "Ba\xcc\x81" "1", "Ba2", "O-20",
                                  "\xc3\x94-3", "O\xcc\x82-12", "P", "U9", "U\xcc\x9b", "V"};
    sorts_to(f, f_want, 11);
    CHECK(ccn_collate("O\xcc\x82-3", "\xc3\x94-3") < 0); /* equal but for the bytes */

    /* NULL first; big numbers by value without overflow. */
    CHECK(ccn_collate(NULL, "A") < 0 && ccn_collate("A", NULL) > 0 && ccn_collate(NULL, NULL) == 0);
    CHECK(ccn_collate("9", "123456789012345678901234567890") < 0);
    CHECK(ccn_collate("123456789012345678901234567891", "123456789012345678901234567890") > 0);
    /* Invalid UTF-8 after every character, and not equal to anything else. */
    CHECK(ccn_collate("\xff", "z") > 0 && ccn_collate("\xff", "\xff") == 0);
    return check_summary();
}
