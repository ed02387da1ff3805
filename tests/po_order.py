#!/usr/bin/env python3
"""po_order.py FILE.po — print each entry whose translation does not have the
English's printf conversions in the English's order ("%.0s" may stand for a
dropped "%s"). ccn's CLI fills a library message's values into its translation
by position (src/cli/i18n.c), and msgfmt -c lets two conversions of one type
(two %f) trade places unnoticed."""
import re
import sys

CONVERSION = re.compile(r"%(?:%|[-+ #0-9.*]*[hlLqjzt]*[a-zA-Z])")


def text(quoted):
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted))


def conversions(s):
    return [c for c in CONVERSION.findall(s) if c != "%%"]


po = open(sys.argv[1], encoding="utf-8").read()
for msgid, msgstr in re.findall(r'\nmsgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', po):
    english, vietnamese = text(msgid), text(msgstr)
    a, b = conversions(english), conversions(vietnamese)
    if vietnamese and (len(a) != len(b) or
                       any(x != y and (x, y) != ("%s", "%.0s") for x, y in zip(a, b))):
        print(f"{english} -> {vietnamese}")
