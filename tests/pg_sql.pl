#!/usr/bin/perl
# pg_sql.pl — the SQLite/SpatiaLite SQL of a CLI test as PostgreSQL/PostGIS
# runs it (tests/lib.sh's sql on a PostgreSQL workspace): SpatiaLite's
# function names get PostGIS's ST_ prefix, group_concat becomes string_agg,
# round works on numeric (so 500000.0 prints as in SQLite), hex on EWKB.
# Only what the tests use; a query it cannot translate fails loudly there.
use strict;
use warnings;
local $/;
my $s = <STDIN>;
my $names = join '|', qw(MakeValid GeomFromText AsText AsBinary GeomFromWKB MakePolygon
    ExteriorRing InteriorRingN GeometryN PointN NumPoints X Y Srid HausdorffDistance AsGeoJSON);
$s =~ s/(?<![A-Za-z_.])($names)\(/ST_$1(/g;
$s =~ s/(?<![A-Za-z_.])MakePoint\(/ST_Point(/g;
$s =~ s/(?<![A-Za-z_.])GUnion\(/ST_Union(/g;
$s =~ s/(?<![A-Za-z_.])CastToMulti(?:Polygon)?\(/ST_Multi(/g;
$s =~ s/(?<![A-Za-z_.])Area\(/ST_Area(/g;
$s =~ s/(?<![A-Za-z_.])Mbr(Min|Max)([XY])\(/ST_$2$1(/g;
$s =~ s/(?<![A-Za-z_.])char\(/chr(/g;
# f(A[, B]) -> the text made by $make->(A, B) (B undef without a second argument)
sub calls {
    my ($name, $make) = @_;
    while ($s =~ /(?<![A-Za-z_])\Q$name\E\(/g) {
        my $start = $-[0];
        my ($depth, $i, $comma, $q) = (1, pos($s), -1, 0);
        for (; $i < length $s; $i++) {
            my $c = substr $s, $i, 1;
            if ($c eq "'") { $q = !$q; next }
            next if $q;
            $depth++ if $c eq '(';
            $depth-- if $c eq ')';
            $comma = $i if $c eq ',' && $depth == 1 && $comma < 0;
            last if $depth == 0;
        }
        my $open = $start + length($name) + 1;
        my ($a, $b) = $comma < 0 ? (substr($s, $open, $i - $open), undef)
            : (substr($s, $open, $comma - $open), substr($s, $comma + 1, $i - $comma - 1));
        my $new = $make->($a, $b);
        substr($s, $start, $i - $start + 1) = $new;
        pos($s) = $start + length $new;
    }
}
calls('group_concat', sub { "string_agg(($_[0])::text, " . ($_[1] // "','") . ")" });
# round(REAL, N) prints 500000.0 in SQLite; numeric prints it alike in PostgreSQL
calls('round', sub { "round(($_[0])::numeric" . (defined $_[1] ? ", $_[1]" : "") . ")" });
# printf('%.Nf', X): numeric rounded to N places prints its N decimals too
calls('printf', sub {
    my ($fmt, $x) = @_;
    $fmt =~ /^\s*'%\.(\d+)f'\s*$/ or die "pg_sql.pl: printf format $fmt\n";
    "round(($x)::numeric, $1)";
});
calls('hex', sub { "upper(encode(($_[0])::bytea, 'hex'))" });
print $s;
