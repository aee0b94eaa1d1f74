#!/usr/bin/env node
// Copies the pinned front-end libraries from frontend/node_modules into
// crossing/web/static/vendor/ (committed, so the app works fully offline with
// no CDN), writes vendor/README.md, and regenerates
// crossing/web/static/geo/border-region.geojson.
//
// Usage (from the repo root or from frontend/):
//   npm ci --prefix frontend      # or: cd frontend && npm ci
//   node frontend/vendor.mjs      # or: cd frontend && node vendor.mjs
//
// Idempotent: the managed vendor sub-folders are rebuilt from scratch, and
// files whose content is unchanged are not rewritten.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { writeBorderGeojson } from "./border_geojson.mjs";

const FRONTEND_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(FRONTEND_DIR, "..");
const NODE_MODULES = path.join(FRONTEND_DIR, "node_modules");
const VENDOR_DIR = path.join(REPO_ROOT, "crossing", "web", "static", "vendor");
const require = createRequire(path.join(FRONTEND_DIR, "package.json"));

// target sub-folder -> files to copy ([source relative to the package, target name]).
// Source maps are copied because the minified files reference them
// (`sourceMappingURL`), and Django's ManifestStaticFilesStorage fails
// collectstatic on a referenced file that is missing.
const PACKAGES = [
  {
    pkg: "htmx.org",
    dir: "htmx",
    files: [
      ["dist/htmx.min.js", "htmx.min.js"],
      ["LICENSE", "LICENSE"],
    ],
  },
  {
    pkg: "leaflet",
    dir: "leaflet",
    files: [
      ["dist/leaflet.js", "leaflet.js"],
      ["dist/leaflet.js.map", "leaflet.js.map"],
      ["dist/leaflet.css", "leaflet.css"],
      ["dist/images/*", "images/"],
      ["LICENSE", "LICENSE"],
    ],
  },
  {
    pkg: "chart.js",
    dir: "chartjs",
    files: [
      ["dist/chart.umd.min.js", "chart.umd.min.js"],
      ["dist/chart.umd.min.js.map", "chart.umd.min.js.map"],
      ["LICENSE.md", "LICENSE"],
    ],
    // chart.umd.min.js bundles @kurkle/color (MIT); ship its licence too.
    extra: [{ pkg: "@kurkle/color", files: [["LICENSE.md", "LICENSE-kurkle-color"]] }],
  },
  {
    // The intelligence compartment's interactive graph (issue 6).
    pkg: "cytoscape",
    dir: "cytoscape",
    files: [
      ["dist/cytoscape.min.js", "cytoscape.min.js"],
      ["LICENSE", "LICENSE"],
    ],
  },
];

function die(msg) {
  console.error(`vendor.mjs: ${msg}`);
  process.exit(1);
}

function pkgRoot(name) {
  const root = path.join(NODE_MODULES, ...name.split("/"));
  if (!fs.existsSync(path.join(root, "package.json"))) {
    die(`${name} is not installed; run \`npm ci\` in frontend/ first`);
  }
  return root;
}

function pkgJson(name) {
  return JSON.parse(fs.readFileSync(path.join(pkgRoot(name), "package.json"), "utf8"));
}

// Fail loudly if node_modules does not match the exact pins in package.json.
function checkPins() {
  const manifest = JSON.parse(fs.readFileSync(path.join(FRONTEND_DIR, "package.json"), "utf8"));
  for (const [name, want] of Object.entries(manifest.dependencies)) {
    const have = pkgJson(name).version;
    if (have !== want) die(`${name} is ${have} in node_modules but package.json pins ${want}; run \`npm ci\` in frontend/`);
  }
  return manifest.dependencies;
}

function writeIfChanged(dest, buf) {
  if (fs.existsSync(dest) && fs.readFileSync(dest).equals(buf)) return false;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, buf);
  return true;
}

// Expand one [src, dest] spec into concrete [srcPath, destPath] pairs.
function expand(root, [src, dest], outDir) {
  if (src.endsWith("/*")) {
    const dir = path.join(root, src.slice(0, -2));
    return fs.readdirSync(dir).sort()
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .map((f) => [path.join(dir, f), path.join(outDir, dest, f)]);
  }
  return [[path.join(root, src), path.join(outDir, dest)]];
}

// Remove files in dir that are not in keep (then empty folders).
function prune(dir, keep) {
  if (!fs.existsSync(dir)) return;
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) {
      prune(p, keep);
      if (fs.readdirSync(p).length === 0) fs.rmdirSync(p);
    } else if (!keep.has(p)) {
      fs.rmSync(p);
      console.log(`removed stale ${path.relative(REPO_ROOT, p)}`);
    }
  }
}

function vendor() {
  checkPins();
  const rows = [];
  for (const spec of PACKAGES) {
    const outDir = path.join(VENDOR_DIR, spec.dir);
    const pairs = [];
    for (const f of spec.files) pairs.push(...expand(pkgRoot(spec.pkg), f, outDir));
    for (const ex of spec.extra ?? []) {
      for (const f of ex.files) pairs.push(...expand(pkgRoot(ex.pkg), f, outDir));
    }
    const keep = new Set();
    let changed = 0;
    for (const [src, dest] of pairs) {
      if (!fs.existsSync(src)) die(`missing ${path.relative(REPO_ROOT, src)}`);
      const buf = fs.readFileSync(src);
      if (buf.length === 0) die(`empty ${path.relative(REPO_ROOT, src)}`);
      if (writeIfChanged(dest, buf)) changed++;
      keep.add(dest);
    }
    prune(outDir, keep);
    const meta = pkgJson(spec.pkg);
    console.log(`${spec.pkg}@${meta.version} -> ${path.relative(REPO_ROOT, outDir)}/ (${pairs.length} files, ${changed} updated)`);
    rows.push({
      pkg: spec.pkg,
      version: meta.version,
      license: meta.license,
      dir: spec.dir,
      files: pairs.map(([, d]) => path.relative(outDir, d).split(path.sep).join("/")),
      extra: (spec.extra ?? []).map((ex) => `${ex.pkg} (${pkgJson(ex.pkg).license}, bundled in the dist file)`),
    });
  }
  return rows;
}

function readme(rows) {
  const atlas = pkgJson("world-atlas");
  const topo = pkgJson("topojson-client");
  const lines = [
    "# Vendored front-end libraries",
    "",
    "Crossing must run fully offline (border posts), so no CDN is used: these",
    "files are copied from pinned npm packages (`frontend/package.json`,",
    "`frontend/package-lock.json`) and committed. Do not edit them by hand.",
    "",
    "| Package | Version | Licence | Folder | Files |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) =>
      `| ${r.pkg} | ${r.version} | ${r.license}${r.extra.length ? `; includes ${r.extra.join(", ")}` : ""} | \`${r.dir}/\` | ${r.files.map((f) => `\`${f}\``).join(", ")} |`),
    "",
    "Build-time only (not copied here): world-atlas " + atlas.version + " (" + atlas.license +
      "; data: Natural Earth, public domain) and topojson-client " + topo.version + " (" + topo.license +
      "), used to generate `../geo/border-region.geojson`.",
    "",
    "Source maps (`*.map`) are kept because the minified files reference them and",
    "Django's `ManifestStaticFilesStorage` rejects references to missing files.",
    "",
    "## Regenerate",
    "",
    "From the repo root (needs Node >= 18 and the npm registry, once):",
    "",
    "```sh",
    "npm ci --prefix frontend && node frontend/vendor.mjs",
    "```",
    "",
    "To upgrade a library: change its exact version in `frontend/package.json`,",
    "run `npm install` in `frontend/`, then `node frontend/vendor.mjs`, and commit",
    "`frontend/package*.json` together with this folder and `../geo/`.",
    "",
  ];
  return lines.join("\n");
}

const rows = vendor();
writeIfChanged(path.join(VENDOR_DIR, "README.md"), Buffer.from(readme(rows)));
writeBorderGeojson();
