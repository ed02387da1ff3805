#!/bin/bash
# cli_columns — the report commands print exactly the columns of DESIGN §8,
# in its order, in every format (CSV header, JSON keys, text-table header),
# on stdout and with -o; --wide appends the table's extra columns after them.
# The lists below are copied from /work/shared/DESIGN.md §8 (and the extras
# from the build before --wide, which printed them always). With LANG=vi the
# check's message column is in Vietnamese; with --wide message stays English
# and message_vi follows, whatever the language.
source "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8 # English, but where a run below asks for Vietnamese
unset LANGUAGE LC_MESSAGES
WS=$(sample_ws) || exit 3

check=severity,code,layer,fid,other_layer,other_fid,area_m2,x,y,message
overlay=cluster,plan_code,area_m2,share_pct
parcels=cluster,parcel_id,commune,sheet,parcel_no,landuse,owner,parcel_area_m2,affected_m2,affected_pct
occupancy=cluster,name,status,target_pct,leasable_m2,leased_m2,occupancy_pct,target_met
series=date,cluster,leased_m2,occupancy_pct
overlay_parcel=parcel_id,commune,sheet,parcel_no,landuse,plan_code,area_m2
occupancy_lot=cluster,lot_no,use,area_m2,leased,tenant,lease_start,lease_end
areas=code,name,status,planned_ha,area_m2,area_ha,ellipsoidal_m2,deviation_pct

json_keys() { python3 -c 'import json, sys; print(",".join(json.load(sys.stdin)[0]))' <<<"$out"; }
table_header() { head -1 <<<"$out" | awk '{ $1 = $1; print }' OFS=,; }

# same NAME EXPECTED COMMAND...: the columns of COMMAND in CSV, JSON and text
# on stdout, and in JSON written with -o.
same() {
    local name=$1 want=$2 rc_want=0
    shift 2
    [ "$2" = check ] && rc_want=1 # the sample has error-level findings
    run "$@" --format csv -q
    expect_eq "$rc" "$rc_want" "($name: exit code)"
    expect_eq "$(head -1 <<<"$out")" "$want" "($name, CSV header)"
    [ "$(wc -l <<<"$out")" -gt 1 ] && ok || bad "$name: no row"
    run "$@" --format json -q
    expect_eq "$(json_keys)" "$want" "($name, JSON keys)"
    run "$@" --format table -q
    expect_eq "$(table_header)" "$want" "($name, text-table header)"
    rm -f "$TMP/out.json"
    run "$@" --format json -q -o "$TMP/out.json"
    out=$(cat "$TMP/out.json")
    expect_eq "$(json_keys)" "$want" "($name, JSON written with -o)"
}

same "check" "$check" "$CCN" check "$WS"
same "check --wide" "$check,message_vi" "$CCN" check "$WS" --wide
same "overlay" "$overlay" "$CCN" overlay "$WS"
same "overlay --wide" "$overlay,plan_name,protected,conforming" "$CCN" overlay "$WS" --wide
same "parcels" "$parcels" "$CCN" parcels "$WS"
same "parcels --wide" "$parcels,remnant_m2,remnant_small,area_legal_m2" "$CCN" parcels "$WS" --wide
same "occupancy" "$occupancy" "$CCN" occupancy "$WS" --as-of 2025-12-31
same "occupancy --wide" \
    "$occupancy,gap_m2,gap_lots,typical_lot_m2,industrial_lots,leased_lots,as_of" \
    "$CCN" occupancy "$WS" --as-of 2025-12-31 --wide
same "series" "$series" "$CCN" occupancy "$WS" --series quarter --from 2025-Q1 --to 2025-Q4
same "series --wide" "$series,quarter,leasable_m2,target_pct,target_met" \
    "$CCN" occupancy "$WS" --series quarter --from 2025-Q1 --to 2025-Q4 --wide
# the outputs that have no extra columns: the same with --wide
same "overlay --by parcel" "$overlay_parcel" "$CCN" overlay "$WS" --by parcel --cluster DL3
same "overlay --by parcel --wide" "$overlay_parcel" "$CCN" overlay "$WS" --by parcel --cluster DL3 --wide
same "occupancy --by lot" "$occupancy_lot" "$CCN" occupancy "$WS" --by lot --as-of 2025-12-31
same "occupancy --by lot --wide" "$occupancy_lot" "$CCN" occupancy "$WS" --by lot --as-of 2025-12-31 --wide
same "areas" "$areas" "$CCN" areas "$WS"

# The extras are the same cells as before, after the same leading cells:
# the default output is the --wide one cut after its §8 columns.
for cmd in "check" "overlay" "parcels" "occupancy --as-of 2025-12-31" \
    "occupancy --series quarter --from 2025-Q1 --to 2025-Q4"; do
    # shellcheck disable=SC2086 # the words of cmd are arguments
    "$CCN" $cmd "$WS" --format json -q --wide >"$TMP/wide.json" 2>/dev/null
    "$CCN" $cmd "$WS" --format json -q >"$TMP/narrow.json" 2>/dev/null
    python3 - "$TMP/wide.json" "$TMP/narrow.json" <<'EOF' && ok || bad "$cmd: the default rows are not the --wide rows cut"
import json, sys
wide, narrow = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:3])
keys = list(narrow[0])
assert len(wide) == len(narrow) > 0
assert all(list(w)[:len(keys)] == keys and {k: w[k] for k in keys} == n for w, n in zip(wide, narrow))
EOF
done

# The check's message in the CLI's language; --wide keeps English + Vietnamese.
"$CCN" check "$WS" --format json -q --wide >"$TMP/wide.json" 2>/dev/null
for env in "LANG=vi_VN.UTF-8" "LANGUAGE=vi" "LC_ALL=vi_VN.UTF-8"; do
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES "$env" "$CCN" check "$WS" --format json -q >"$TMP/vi.json" 2>/dev/null
    python3 - "$TMP/wide.json" "$TMP/vi.json" <<'EOF' && ok || bad "$env: message is not message_vi"
import json, sys
wide, vi = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:3])
assert len(wide) == len(vi) > 0 and all(list(v) == list(w)[:10] for v, w in zip(vi, wide))
assert all(v["message"] == w["message_vi"] != w["message"] for v, w in zip(vi, wide))
EOF
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES "$env" "$CCN" check "$WS" --format json -q --wide >"$TMP/vi.json" 2>/dev/null
    cmp -s "$TMP/wide.json" "$TMP/vi.json" && ok || bad "$env --wide: not the same as in English"
done
# -o (written while the workspace is) and CSV follow the language as well
run env LANGUAGE=vi "$CCN" check "$WS" --format csv -q -o "$TMP/vi.csv"
expect_eq "$(head -1 "$TMP/vi.csv")" "$check"
grep -qF "Hình học không hợp lệ: lô đất HT/CN-10 — Tự cắt" "$TMP/vi.csv" && ok || bad "vi.csv: $(head -3 "$TMP/vi.csv")"
run env LANG=C "$CCN" check "$WS" --format csv -q
grep -qF '"lot HT/CN-10: Self-intersection; repaired with MakeValid' <<<"$out" && ok || bad "English message"
grep -qF "Hình học" <<<"$out" && bad "Vietnamese in an English run" || ok
# the workspace keeps both messages, whatever was printed
expect_eq "$(sql "$WS" "SELECT count(*) FROM findings WHERE message_vi LIKE 'Hình học không hợp lệ: lô đất HT/CN-10%' AND message LIKE 'lot HT/CN-10: Self-intersection%'")" 1

# --help says so; commands without extra columns do not take it.
for cmd in check overlay parcels occupancy; do
    run "$CCN" $cmd --help
    expect_out "--wide"
done
run "$CCN" areas "$WS" --wide
expect_rc 2

finish
