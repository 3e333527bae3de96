// Builds the mobile unit's app into dist/, which the gateway serves at /mobile/ (scripts/bootstrap
// runs it after `npm ci`): esbuild bundles the app (with idb and the shared search folding) and
// the service worker (with Workbox); Workbox's injectManifest then writes into the worker the
// list of the shell's files with their revisions, so a new build replaces the cached shell.
import { build } from "esbuild";
import { injectManifest } from "workbox-build";
import { copyFile, mkdir, rm } from "node:fs/promises";

const OUT = "dist";
const SHELL = ["index.html", "app.css", "manifest.webmanifest", "icon.svg"];

await rm(OUT, { recursive: true, force: true });
await rm("build", { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
const common = { bundle: true, minify: true, target: "chrome110", legalComments: "eof", logLevel: "warning" };
await build({ ...common, entryPoints: ["src/app.js"], format: "esm", outfile: `${OUT}/app.js` });
await build({
  ...common,
  entryPoints: ["src/sw.js"],
  format: "iife",
  outfile: "build/sw.js",
  define: { "process.env.NODE_ENV": '"production"' }, // Workbox without its development logging
});
for (const file of SHELL) await copyFile(`src/${file}`, `${OUT}/${file}`);
const { count, size, warnings } = await injectManifest({
  swSrc: "build/sw.js",
  swDest: `${OUT}/sw.js`,
  globDirectory: OUT,
  globPatterns: ["**/*.{html,js,css,webmanifest,svg}"],
  globIgnores: ["sw.js"],
});
await rm("build", { recursive: true, force: true });
for (const warning of warnings) console.warn(warning);
console.log(`mobile app: ${count} files precached (${size} bytes) in ${OUT}/`);
