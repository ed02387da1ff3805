# export_fixture.sh — sourced by cli_export.sh and cli_map.sh (after lib.sh):
# export_ws NAME builds a workspace from tests/data/export and prints its path.
#
# The fixture (EPSG:5897, by hand): cluster HT is the rectangle 561000–561800 ×
# 2189000–2189875 (70 ha), its exterior ring written clockwise on purpose. Its
# lots: CN-01…CN-04 south of road GT-01 (200 m × 420 m = 84,000 m² each),
# CN-05, CN-06 (industrial), DV-01 (service), CX-01 (green) north of it; 6
# industrial lots = 504,000 m². NUA: 564800–565250 × 2183300–2183750 with two
# vacant industrial lots. Leases (leases.sql): CN-01 from 2022-03-01 running;
# CN-02 2023-01-01 to 2025-12-31; CN-03 2021-06-01 to 2023-12-31; CN-05 from
# 2024-07-01. So on 2024-06-30 HT has CN-01 + CN-02 leased = 168,000 m² =
# 33.3333 %; on 2024-07-01 also CN-05: 252,000 m² = 50 %.
# Parcels: 101 (plain), 102 (clockwise exterior, counter-clockwise hole), 103
# (a MultiPolygon), 13/7 (a bow-tie), 14/55 and 14/56 inside HT (55's owner
# has a quote and a backslash; 56 has null owner and area).

export_ws() {
    local ws
    ws=$(new_ws "${1:-export}")
    local d=$DATA/export
    for layer in clusters lots parcels plan communes; do
        "$CCN" import "$ws" "$d/$layer.geojson" --as "$layer" -q >/dev/null ||
            { echo "fixture import of $layer failed" >&2; exit 3; }
    done
    sql_script "$ws" <"$d/leases.sql" || { echo "fixture leases failed" >&2; exit 3; }
    echo "$ws"
}
