/* test_vnum — figures and dates in Vietnamese notation (worked out by hand).
 * (The area's name before and after 1 July 2025: cli_report_doc.sh.) */
#include "check.h"
#include "vnum.h"

#include <math.h>

int main(void)
{
    char b[64];
    CHECK_STR(ccn_vnum(1234567.891, 1, b, sizeof b), "1.234.567,9");
    CHECK_STR(ccn_vnum(504114.477, 2, b, sizeof b), "504.114,48");
    CHECK_STR(ccn_vnum(999.95, 1, b, sizeof b), "1.000,0"); /* rounding carries into a group */
    CHECK_STR(ccn_vnum(50.4114, 2, b, sizeof b), "50,41");
    CHECK_STR(ccn_vnum(-2.4, 1, b, sizeof b), "-2,4");
    CHECK_STR(ccn_vnum(-0.04, 1, b, sizeof b), "0,0");       /* no "-0,0" */
    CHECK_STR(ccn_vnum(-1234.5, 0, b, sizeof b), "-1.234");  /* %.0f rounds half to even */
    CHECK_STR(ccn_vnum(12, 0, b, sizeof b), "12");
    CHECK_STR(ccn_vnum(0.08, -1, b, sizeof b), "0,08");
    CHECK_STR(ccn_vnum(100, -1, b, sizeof b), "100");
    CHECK_STR(ccn_vnum(NAN, 1, b, sizeof b), "nan");
    /* a figure as recorded: the fewest decimals that read back exactly */
    CHECK(ccn_vnum_decimals(1.234) == 3);
    CHECK(ccn_vnum_decimals(450) == 0);
    CHECK(ccn_vnum_decimals(1.25) == 2);
    CHECK(ccn_vnum_decimals(1234.5678) == 4);
    CHECK(ccn_vnum_decimals(0.1) == 1);
    CHECK_STR(ccn_vnum(1234.5678, ccn_vnum_decimals(1234.5678), b, sizeof b), "1.234,5678");
    CHECK_STR(ccn_vnum(1.234, ccn_vnum_decimals(1.234), b, sizeof b), "1,234");
    CHECK_STR(ccn_vdate("2025-12-31", b, sizeof b), "31/12/2025");
    CHECK_STR(ccn_vdate("2025-02-30", b, sizeof b), "2025-02-30"); /* not a date: as it is */
    return check_summary();
}
