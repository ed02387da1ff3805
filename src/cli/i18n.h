/* i18n — the CLI's messages through GNU gettext (text domain "ccn").
 *
 * A message is written once, in English, in the code, marked _("…") (or
 * N_("…") where it must stay a constant), and translated in po/vi.po beside
 * it, as coreutils and GDAL's apps do. The build compiles po/vi.po with
 * msgfmt into build/share/locale/vi/LC_MESSAGES/ccn.mo; an install puts it in
 * <prefix>/share/locale. cli_i18n_init finds the catalogue relative to the
 * program (/proc/self/exe), like the district data (prefix.h).
 *
 * Vietnamese when LANGUAGE, LC_ALL, LC_MESSAGES or LANG asks for it
 * (LANGUAGE=vi, LANG=vi_VN.UTF-8), English otherwise. A machine without the
 * vi_VN locale generated still gets Vietnamese: the locale falls back to
 * C.UTF-8 and the language the environment names is handed to gettext
 * through LANGUAGE, which glibc honours for any locale but "C".
 *
 * Library messages come through the context in English; cli_fail,
 * cli_warnings and the commands that print a library's list of problems pass
 * them through cli_i18n_message, which matches them against the library's
 * formats (i18n.c) and words them in the user's language. */
#ifndef CCN_CLI_I18N_H
#define CCN_CLI_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

#define _(s) gettext(s)
#define N_(s) s

/* Set the locale and bind the text domain; call first thing in main. */
void cli_i18n_init(void);

/* Whether the CLI speaks Vietnamese: the catalogue gettext found says so
 * (its header's "Language: vi"); English when none was found. */
bool cli_i18n_vietnamese(void);

/* msg in the user's language: its translation, or a library message
 * matched against the known patterns and re-worded into buf; else msg. */
const char *cli_i18n_message(const char *msg, char *buf, size_t size);

#endif
