#!/usr/bin/env node
// Builds crossing/web/static/geo/border-region.geojson from world-atlas
// (Natural Earth 1:50m Admin 0 countries, public domain) with topojson-client.
//
// Output: a GeoJSON FeatureCollection (RFC 7946 winding: exterior rings
// counter-clockwise) of the full outlines of Myanmar, Thailand, Laos and
// Cambodia, coordinates rounded to 3 decimals (~100 m). All four countries lie
// inside lon 92..108, lat 5..29, so no clipping is done.
//
// Run from anywhere:  node frontend/border_geojson.mjs
// (also run by frontend/vendor.mjs). Deterministic and idempotent.

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const FRONTEND_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(FRONTEND_DIR, "..");
const require = createRequire(path.join(FRONTEND_DIR, "package.json"));

export const GEO_DIR = path.join(REPO_ROOT, "crossing", "web", "static", "geo");
export const OUTPUT = path.join(GEO_DIR, "border-region.geojson");

// world-atlas uses ISO 3166-1 numeric codes (as strings) for feature ids.
const COUNTRIES = [
  { id: "104", name: "Myanmar", iso_a3: "MMR" },
  { id: "764", name: "Thailand", iso_a3: "THA" },
  { id: "418", name: "Laos", iso_a3: "LAO" },
  { id: "116", name: "Cambodia", iso_a3: "KHM" },
];

const DECIMALS = 3;
const FACTOR = 10 ** DECIMALS;
const round = (v) => {
  const r = Math.round(v * FACTOR) / FACTOR;
  return Object.is(r, -0) ? 0 : r;
};

// Shoelace sum; > 0 means counter-clockwise in lon/lat.
function signedArea(ring) {
  let s = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s / 2;
}

// Round, drop consecutive duplicates, keep closed; null if degenerate.
function cleanRing(ring, exterior) {
  const out = [];
  for (const [x, y] of ring) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length > 1) {
    const a = out[0];
    const b = out[out.length - 1];
    if (a[0] !== b[0] || a[1] !== b[1]) out.push([a[0], a[1]]);
  }
  if (out.length < 4) return null;
  const area = signedArea(out);
  if (area === 0) return null;
  // RFC 7946: exterior rings CCW, holes CW.
  if ((exterior && area < 0) || (!exterior && area > 0)) out.reverse();
  return out;
}

function cleanPolygon(rings) {
  const ext = cleanRing(rings[0], true);
  if (!ext) return null;
  const holes = rings.slice(1).map((r) => cleanRing(r, false)).filter(Boolean);
  return [ext, ...holes];
}

function cleanGeometry(geom) {
  const polys =
    geom.type === "Polygon" ? [geom.coordinates]
    : geom.type === "MultiPolygon" ? geom.coordinates
    : null;
  if (!polys) throw new Error(`unexpected geometry type ${geom.type}`);
  const cleaned = polys.map(cleanPolygon).filter(Boolean);
  if (cleaned.length === 0) throw new Error("geometry vanished after rounding");
  return cleaned.length === 1
    ? { type: "Polygon", coordinates: cleaned[0] }
    : { type: "MultiPolygon", coordinates: cleaned };
}

function bboxOf(features) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const poly of polys) for (const ring of poly) for (const [x, y] of ring) {
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x > x1) x1 = x;
      if (y > y1) y1 = y;
    }
  }
  return [x0, y0, x1, y1];
}

export function buildBorderGeojson() {
  const topojson = require("topojson-client");
  const topology = require("world-atlas/countries-50m.json");
  const byId = new Map(topology.objects.countries.geometries.map((g) => [String(g.id), g]));

  const features = COUNTRIES.map(({ id, name, iso_a3 }) => {
    const obj = byId.get(id);
    if (!obj) throw new Error(`world-atlas countries-50m has no feature with id ${id} (${name})`);
    const f = topojson.feature(topology, obj);
    return {
      type: "Feature",
      id: iso_a3,
      properties: { name, iso_a3 },
      geometry: cleanGeometry(f.geometry),
    };
  });

  // One feature per line: small, but still diffable.
  const head = JSON.stringify({ type: "FeatureCollection", bbox: bboxOf(features) }).slice(0, -1);
  return `${head},"features":[\n${features.map((f) => JSON.stringify(f)).join(",\n")}\n]}\n`;
}

export function writeBorderGeojson({ log = console.log } = {}) {
  const text = buildBorderGeojson();
  const parsed = JSON.parse(text); // sanity check
  if (parsed.features.length !== COUNTRIES.length) throw new Error("wrong feature count");
  fs.mkdirSync(GEO_DIR, { recursive: true });
  const old = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, "utf8") : null;
  if (old !== text) fs.writeFileSync(OUTPUT, text);
  log(`${old === text ? "unchanged" : "wrote"} ${path.relative(REPO_ROOT, OUTPUT)} ` +
      `(${parsed.features.length} features, ${Buffer.byteLength(text)} bytes)`);

  // Attribution / licence next to the data.
  const lic = path.join(GEO_DIR, "README.md");
  const atlasVersion = require("world-atlas/package.json").version;
  const readme = `# geo/

\`border-region.geojson\`: country outlines of Myanmar (MMR), Thailand (THA),
Laos (LAO) and Cambodia (KHM) as a GeoJSON FeatureCollection. Each feature has
properties \`{"name", "iso_a3"}\`; coordinates are WGS84 lon/lat rounded to
${DECIMALS} decimals.

Source: [Natural Earth](https://www.naturalearthdata.com/) 1:50m Admin 0
countries (public domain), via the npm package world-atlas@${atlasVersion}
(countries-50m.json, ISC licence), converted with topojson-client.

Generated file, do not edit by hand. Regenerate from the repo root with:

    npm ci --prefix frontend && node frontend/vendor.mjs
`;
  const oldReadme = fs.existsSync(lic) ? fs.readFileSync(lic, "utf8") : null;
  if (oldReadme !== readme) fs.writeFileSync(lic, readme);
  return parsed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeBorderGeojson();
}
