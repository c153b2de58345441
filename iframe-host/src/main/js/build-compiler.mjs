// Bundles src/main/js/compiler.js with Sucrase and es-module-lexer (from node_modules, as
// pinned in package-lock.json) into one classic script for GraalJS:
//   node src/main/js/build-compiler.mjs <output directory>
// writes <output directory>/dev/vitrine/frame/compiler/compiler.js. Maven runs it in
// generate-resources after `npm ci`; see README.md, "TSX compiler".
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [outputDirectory] = process.argv.slice(2);
if (!outputDirectory) {
  console.error('usage: node src/main/js/build-compiler.mjs <output directory>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(outputDirectory, 'dev', 'vitrine', 'frame', 'compiler', 'compiler.js');
mkdirSync(dirname(outfile), { recursive: true });

await build({
  entryPoints: [join(here, 'compiler.js')],
  outfile,
  bundle: true,
  // A classic script: GraalJS evaluates it once per context, and it defines a global.
  format: 'iife',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  // Whitespace and syntax only: the profiler's histograms keep Sucrase's function names.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
