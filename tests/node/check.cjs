// check.cjs — an independent judge of ccn's GeoJSON (RFC 7946).
//
//   node check.cjs FILE [--rings-only] [--coord ID]
//
// Runs @placemarkio/check-geojson (unless --rings-only: a 150 MB file is
// too much for its parser), then checks what that validator leaves out:
// every polygon's exterior ring is counter-clockwise and its holes clockwise
// (signed area on the lon/lat ring, as RFC 7946 §3.1.6 says), at most 7
// decimals, longitudes and latitudes in range, the collection's bbox holding
// every position. Rings of invalid polygons (self-intersecting: their signed
// area says nothing) are counted apart. --coord ID prints the first position
// of the feature with that id. Prints a summary; exits 1 on any problem.
"use strict";
const fs = require("fs");

const args = process.argv.slice(2);
const file = args[0];
const ringsOnly = args.includes("--rings-only");
const coordAt = args.indexOf("--coord");
const coordId = coordAt >= 0 ? Number(args[coordAt + 1]) : null;
const text = fs.readFileSync(file === "-" ? 0 : file, "utf8");

let problems = 0;
function problem(msg) {
  if (problems < 10) console.error("problem: " + msg);
  problems++;
}

if (!ringsOnly) {
  const { getIssues } = require("@placemarkio/check-geojson");
  const issues = getIssues(text);
  for (const i of issues) problem("check-geojson: " + i.message + " (at " + i.from + ")");
}

const doc = JSON.parse(text);
if (doc.type !== "FeatureCollection") problem("not a FeatureCollection");
if ("crs" in doc) problem("RFC 7946 has no crs member");

// Twice the signed area, relative to the first position (shoelace).
function area2(ring) {
  let a = 0;
  const [x0, y0] = ring[0];
  for (let i = 1; i + 1 < ring.length; i++) {
    const xi = ring[i][0] - x0, yi = ring[i][1] - y0;
    const xj = ring[i + 1][0] - x0, yj = ring[i + 1][1] - y0;
    a += xi * yj - xj * yi;
  }
  return a;
}

// A ring crosses itself if two of its non-adjacent edges intersect.
function selfIntersects(ring) {
  const n = ring.length - 1;
  const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  for (let i = 0; i < n; i++)
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const p = ring[i], q = ring[i + 1], r = ring[j], s = ring[j + 1];
      const d1 = cross(r, s, p), d2 = cross(r, s, q), d3 = cross(p, q, r), d4 = cross(p, q, s);
      if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return true;
    }
  return false;
}

const bbox = [Infinity, Infinity, -Infinity, -Infinity];
let features = 0, rings = 0, wrong = 0, invalidRings = 0, positions = 0;

function position(p) {
  positions++;
  const [x, y] = p;
  if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) problem("position out of range: " + p);
  for (const v of p) {
    const s = String(v);
    const dot = s.indexOf(".");
    if (dot >= 0 && s.length - dot - 1 > 7) problem("more than 7 decimals: " + s);
  }
  bbox[0] = Math.min(bbox[0], x), bbox[1] = Math.min(bbox[1], y);
  bbox[2] = Math.max(bbox[2], x), bbox[3] = Math.max(bbox[3], y);
}

function polygon(rs, id) {
  rs.forEach((ring, k) => {
    ring.forEach(position);
    rings++;
    if (selfIntersects(ring)) {
      invalidRings++;
      return;
    }
    const a = area2(ring);
    if (a === 0) return;
    if ((k === 0) !== (a > 0)) {
      wrong++;
      problem("feature " + id + ": " + (k === 0 ? "exterior ring clockwise" : "hole counter-clockwise"));
    }
  });
}

for (const f of doc.features || []) {
  features++;
  const g = f.geometry;
  if (coordId !== null && f.id === coordId && g) {
    let c = g.coordinates;
    while (Array.isArray(c[0])) c = c[0];
    console.log(c[0].toFixed(7) + " " + c[1].toFixed(7));
  }
  if (!g) continue;
  if (g.type === "Polygon") polygon(g.coordinates, f.id);
  else if (g.type === "MultiPolygon") g.coordinates.forEach((p) => polygon(p, f.id));
  else if (g.type === "Point") position(g.coordinates);
  else if (g.type === "MultiPoint") g.coordinates.forEach(position);
  else problem("feature " + f.id + ": unexpected type " + g.type);
}

if (positions > 0) {
  const b = doc.bbox;
  if (!Array.isArray(b) || b.length !== 4) problem("no bbox");
  else if (b[0] > bbox[0] || b[1] > bbox[1] || b[2] < bbox[2] || b[3] < bbox[3])
    problem("bbox " + b + " does not hold every position (" + bbox + ")");
  else if (b[0] !== bbox[0] || b[1] !== bbox[1] || b[2] !== bbox[2] || b[3] !== bbox[3])
    problem("bbox " + b + " is not the positions' extent (" + bbox + ")");
}

console.log(
  `${features} features, ${rings} rings, ${wrong} wound wrong, ` +
    `${invalidRings} rings of self-intersecting polygons not judged, ${problems} problems`
);
process.exit(problems ? 1 : 0);
