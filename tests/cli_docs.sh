#!/bin/bash
# cli_docs — the documentation lists the options the program takes. For every
# command of `ccn --help`, the options its `--help` shows (usage and option
# lines) are in its entry of the manual page (docs/ccn.1) and in its line of
# README.md's command synopsis, and every option those two name is one its
# --help knows; the options of DESIGN §5 exist; the Vietnamese --help shows
# the same options, and no line of it is left in English. -q, --format and -o of
# a report command (a table in csv or json) are left out: the manual page and
# the README say once that every report takes them.
source "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES LANG

mkdir -p "$TMP/help"
run "$CCN" --help
expect_rc 0
commands=$(awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' \
    <<<"$out")
[ "$(wc -w <<<"$commands")" -ge 16 ] && ok || bad "ccn --help lists too few commands: $commands"
for c in $commands; do
    "$CCN" "$c" --help >"$TMP/help/$c.en" 2>&1 || bad "ccn $c --help failed"
    LANGUAGE=vi "$CCN" "$c" --help >"$TMP/help/$c.vi" 2>&1 || bad "LANGUAGE=vi ccn $c --help failed"
done

run python3 - "$TMP/help" "$ROOT/docs/ccn.1" "$ROOT/README.md" "$ROOT/docs/design.md" $commands <<'EOF'
import re, sys

helpdir, man_path, readme_path, design_path, commands = (sys.argv[1], sys.argv[2], sys.argv[3],
                                                         sys.argv[4], sys.argv[5:])
OPT = re.compile(r'(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])')
problems = []

def options(text):
    return set(OPT.findall(text))

def help_options(text):
    """The options of the usage lines and of the option lines (their first column),
    and the long name of each short one ('-o, --output FILE': -o stands for both)."""
    shown, alias, lines = set(), {}, text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == '':
            break
        shown |= options(line)           # the usage block
    for line in lines:
        s = line.lstrip()
        if s.startswith('-'):
            first = OPT.findall(re.split(r'\s{2,}', s)[0])
            shown |= set(first)
            if len(first) == 2 and len(first[0]) == 2:
                alias[first[1]] = first[0]
    return shown, alias

def man_entries(path):
    text = open(path, encoding='utf-8').read()
    text = text.replace('\\-', '-')
    text = re.sub(r'\\f[IRBP]', '', text)
    entries, lines = {}, text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r'\.B (\w+)\b(.*)', line)
        if i > 0 and lines[i - 1] == '.TP' and m and m.group(1) in commands:
            tag = [line]
            for nxt in lines[i + 1:]:
                if not nxt.startswith('['):
                    break
                tag.append(nxt)
            entries[m.group(1)] = ' '.join(tag)
    return entries

def synopsis(path, start, stop):
    """Each command's lines in the first code block after the heading START."""
    text = open(path, encoding='utf-8').read()
    block = text[text.index(start):]
    block = block[block.index('```') + 3:]
    block = block[:block.index('```')]
    entries, cur = {}, None
    for line in block.splitlines():
        m = re.match(r'ccn (\w+) ', line)
        if m:
            cur = m.group(1)
            entries[cur] = entries.get(cur, '') + ' ' + re.split(r'\s{3,}', line)[0]
        elif cur and line.strip().startswith(('[', '(')):
            entries[cur] += ' ' + re.split(r'\s{3,}', line.strip())[0]
    return entries

man = man_entries(man_path)
readme = synopsis(readme_path, '## Commands', '')
design = synopsis(design_path, '## 5. Commands', '')
for doc, entries in (('docs/ccn.1', man), ('README.md', readme), ('design.md §5', design)):
    for c in set(entries) - set(commands):
        problems.append(f'{doc} names a command ccn --help does not list: {c}')
for c in commands:
    en = open(f'{helpdir}/{c}.en', encoding='utf-8').read()
    vi = open(f'{helpdir}/{c}.vi', encoding='utf-8').read()
    (shown, alias), known = help_options(en), options(en)
    report = 'table' in en and 'csv' in en and 'json' in en and c != 'export'
    generic = {'-q', '--quiet', '--help'} | ({'--format', '-o', '--output'} if report else set())
    for doc, entries, complete in (('docs/ccn.1', man, True), ('README.md', readme, True),
                                   ('design.md §5', design, False)):
        if c not in entries:
            if complete:
                problems.append(f'{doc} has no entry for {c}')
            continue
        named = options(entries[c])
        named |= {long for long, short in alias.items() if short in named}
        if complete:
            for o in sorted(shown - generic - named):
                problems.append(f'{doc}: {c} lacks {o} (in ccn {c} --help)')
        for o in sorted(named - known):
            problems.append(f'{doc}: {c} names {o}, which ccn {c} --help does not know')
    if help_options(vi)[0] != shown:
        problems.append(f'LANGUAGE=vi ccn {c} --help shows other options: '
                        f'{sorted(help_options(vi)[0] ^ shown)}')
    # A line of prose left in English: four or more English words and no Vietnamese letter.
    words = re.compile(r'\b(the|of|and|a|an|is|to|with|or|for|in|by|its|this|from|each|'
                       r'every|which|when|not|default|file|layer|cluster|clusters|write|'
                       r'only)\b')
    for line in vi.splitlines():
        prose = re.sub(OPT, '', line)
        prose = re.sub(r'[\w.-]*_[\w.]*|[A-Z][A-Z0-9_]+|\S*/\S*|\S+\.\w+', '', prose)
        if len(words.findall(prose)) >= 4 and not re.search(r'[À-ỹĐđ]', prose):
            problems.append(f'LANGUAGE=vi ccn {c} --help: English left: {line.strip()}')
print('\n'.join(problems))
sys.exit(1 if problems else 0)
EOF
problems=$out out=
[ "$rc" = 0 ] && ok || bad "the documentation and --help disagree:"$'\n'"$problems"

# Every command takes -q ("accepted, as by every command", init --help): each --help says so
# (lookup took it without a word).
for c in $commands; do
    grep -qE '^ +-q, --quiet' "$TMP/help/$c.en" && ok || bad "ccn $c --help does not show -q"
done

# bash completion offers every option --help shows (-o and -q stand for --output and --quiet).
source "$ROOT/scripts/ccn.bash-completion"
for c in $commands; do
    case $c in
    lease) COMP_WORDS=(ccn lease ws list -) ;;
    grant) COMP_WORDS=(ccn grant ws viewer role -) ;;
    *) COMP_WORDS=(ccn "$c" ws -) ;;
    esac
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMPREPLY=()
    _ccn
    offered=" ${COMPREPLY[*]} "
    offered=${offered/ -o / -o --output }
    offered=${offered/ -q / -q --quiet }
    for o in $(awk 'NR == 1, /^$/ { print } /^ *-/ { sub(/^ */, ""); split($0, a, /  +/); print a[1] }' \
        "$TMP/help/$c.en" | grep -oE '(^|[^a-z0-9-])(--[a-z][a-z0-9-]*|-[a-zA-Z])\b' |
        grep -oE -- '-+[a-zA-Z][a-z0-9-]*' | sort -u); do
        [[ $offered == *" $o "* ]] && ok || bad "bash completion of ccn $c lacks $o"
    done
done
# after occupancy's --district (a flag, not init's folder) the next option is completed
COMP_WORDS=(ccn occupancy ws --district --w) COMP_CWORD=4 COMPREPLY=()
_ccn
[ "${COMPREPLY[*]}" = --wide ] && ok || bad "ccn occupancy ws --district --w<TAB>: '${COMPREPLY[*]}'"

# Every usage message is in Vietnamese under LANGUAGE=vi (README, "Tiếng Việt"): the
# first line of a command run without its arguments is not the English one.
for args in $commands "copy --digest a b"; do
    en=$("$CCN" $args 2>&1 >/dev/null | head -1)
    vi=$(LANGUAGE=vi "$CCN" $args 2>&1 >/dev/null | head -1)
    [ -n "$en" ] && [ "$en" != "$vi" ] && ok || bad "LANGUAGE=vi ccn $args: '$vi' is English"
done

# The general sentences the exclusions above rely on.
grep -q -- '--format table|csv|json' "$ROOT/README.md" && ok || bad "README: --format not said"
grep -q -- '\\-\\-format " table|csv|json"' "$ROOT/docs/ccn.1" && ok || bad "ccn.1: --format not said"
finish
