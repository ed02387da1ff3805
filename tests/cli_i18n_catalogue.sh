#!/bin/bash
# cli_i18n_catalogue — every library-message pattern of the CLI's table
# (library_messages[] in src/cli/i18n.c) has a Vietnamese translation in
# po/vi.po: present, not empty, not fuzzy, with the same conversions in the
# same order (translate() fills them in by position, and skips a pattern whose
# translation has another count). The patterns are taken from the table alone
# by xgettext, the translations looked up by msgcmp and msgfmt.
source "$(dirname "$0")/lib.sh"
SRC=$ROOT/src/cli/i18n.c
PO=$ROOT/po/vi.po

# The table, alone, as a C file xgettext reads.
sed -n '/^static const char \*const library_messages\[\] = {$/,/^};$/p' "$SRC" >"$TMP/table.c"
n=$(grep -c 'N_(' "$TMP/table.c")
[ "$n" -gt 300 ] && ok || bad "the table has $n patterns (expected the whole table, over 300)"
xgettext --language=C --keyword=N_ --from-code=UTF-8 -o "$TMP/table.pot" "$TMP/table.c" || exit 3
ids=$(grep -c '^msgid ' "$TMP/table.pot")
# (the pot's header is a msgid too; a pattern written twice is one msgid)
expect_eq "$((ids - 1))" "$n" "(patterns in the table = distinct msgids)"

# msgcmp counts an untranslated or fuzzy entry as missing (and warns of the
# catalogue's other messages, "not used" by the table).
run msgcmp "$PO" "$TMP/table.pot"
expect_rc 0
expect_eq "$(grep -c 'not defined' <<<"$err")" 0 "(msgcmp: every pattern translated)"

# The table's entries from vi.po, checked as a catalogue of their own:
# c-format conversions alike (msgfmt -c), none empty.
msgmerge -q --no-fuzzy-matching -o "$TMP/table.po" "$PO" "$TMP/table.pot" || exit 3
run msgfmt -c --statistics -o /dev/null "$TMP/table.po"
expect_rc 0
expect_eq "$err" "$n translated messages." "(msgfmt -c on the table's translations)"

# The values go in by position: the English's conversions in its order
# (msgfmt -c lets two %f trade places).
run python3 "$TESTS_DIR/po_order.py" "$TMP/table.po"
expect_rc 0
expect_eq "$out" "" "(translations whose values would land in other places)"

# The whole catalogue: nothing fuzzy or untranslated, no format error.
run msgfmt -c --statistics -o /dev/null "$PO"
expect_rc 0
grep -q 'fuzzy\|untranslated' <<<"$err" && bad "vi.po: $err" || ok

# A translation that says nothing but the English would pass the above:
# only the patterns whose Vietnamese is the English on purpose (a CSV column
# named before its reason, kept as the file names it) may be so.
same=$(msgattrib --no-obsolete "$TMP/table.po" |
    awk '/^msgid /{id=$0; sub(/^msgid /,"",id); next} /^msgstr /{s=$0; sub(/^msgstr /,"",s); if (s == id && s != "\"\"") print id}')
expect_eq "$(tr '\n' ' ' <<<"$same")" '"cluster: %s" "lot_no: %s" "tenant: %s" "start_date: %s" "end_date: %s" "on: %s" ' \
    "(translations equal to their English)"
finish
