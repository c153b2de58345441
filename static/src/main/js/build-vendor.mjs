// Bundles the browser libraries that artifact frames import into one folder of content-hashed
// files, served from the sandbox origin under /_vitrine/vendor/ so that no artifact needs a CDN.
//
//   node src/main/js/build-vendor.mjs <output folder>
//
// The output folder gets, besides the bundles, a manifest.json of this shape (file names are
// relative to the folder):
//
//   {
//     "imports":  { "react": "react-HASH.js", "react/jsx-runtime": "react-jsx-runtime-HASH.js", ... },
//     "tailwind": { "file": "tailwind-HASH.js", "module": false },
//     "mermaid":  { "file": "mermaid-HASH.js",  "module": true }
//   }
//
// "imports" becomes the frame's import map: every value is an ES module. "tailwind" and
// "mermaid" are loaded by URL; "module" says whether the <script> needs type="module".
// Tailwind's browser build is a classic script on purpose: it must run in <head> before the body
// is parsed, so its MutationObserver sees every element, and a classic script also needs no CORS.
//
// The bundles run in an opaque-origin frame whose CSP has no 'unsafe-eval', connect-src 'none'
// and worker-src 'none': nothing here may fetch, start a worker or compile code at load time.
// Features that do need eval stay unusable there (lodash's _.template, papaparse's worker mode).
import * as esbuild from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Bare specifiers artifact code may import; each becomes one import-map entry.
const IMPORTS = [
  'react', 'react/jsx-runtime', 'react-dom', 'react-dom/client',
  'recharts', 'lucide-react', 'd3', 'three', 'lodash', 'papaparse', 'mathjs',
  'chart.js', 'chart.js/auto',
];
// Loaded by URL, but built with IMPORTS so that it shares their chunks (d3 above all).
const MERMAID = 'mermaid';
const TAILWIND = '@tailwindcss/browser';

// Artifacts are shown in the viewer's own browser, not only in our test Chromium.
const TARGET = ['chrome120', 'firefox121', 'safari17'];
const STATIC_DIR = fileURLToPath(new URL('../../..', import.meta.url));
const requireHere = createRequire(path.join(STATIC_DIR, 'package.json'));
const ENTRY_NAMESPACE = 'vitrine-entry';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node build-vendor.mjs <output folder>');
  process.exit(2);
}
await rm(outDir, { recursive: true, force: true });

const specifiers = [...IMPORTS, MERMAID];
const entries = await entrySources(specifiers);
const modules = await esbuild.build({
  entryPoints: Object.fromEntries(specifiers.map((specifier) => [fileStem(specifier), `${ENTRY_NAMESPACE}:${specifier}`])),
  plugins: [virtualEntries(entries)],
  absWorkingDir: STATIC_DIR,
  outdir: outDir,
  bundle: true,
  // One build with splitting puts React in one shared chunk, so react, react-dom, recharts and
  // lucide-react all see the same instance (two Reacts break hooks).
  splitting: true,
  format: 'esm',
  minify: true,
  target: TARGET,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  logLevel: 'warning',
});
const tailwind = await esbuild.build({
  entryPoints: { tailwind: requireHere.resolve(TAILWIND) },
  absWorkingDir: STATIC_DIR,
  outdir: outDir,
  minify: true,
  target: TARGET,
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});

const moduleFiles = new Map();
for (const [file, output] of Object.entries(modules.metafile.outputs)) {
  if (output.entryPoint) moduleFiles.set(output.entryPoint.slice(ENTRY_NAMESPACE.length + 1), path.basename(file));
}
const manifest = {
  imports: Object.fromEntries(IMPORTS.map((specifier) => [specifier, moduleFiles.get(specifier)])),
  tailwind: { file: path.basename(Object.keys(tailwind.metafile.outputs)[0]), module: false },
  mermaid: { file: moduleFiles.get(MERMAID), module: true },
};
await writeFile(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

// An entry module per specifier that re-exports the package under its real export names.
// `export * from` works for ES modules, but for a CommonJS package (react, lodash, papaparse...)
// esbuild cannot know the names at build time and the ESM output would export nothing but
// default. For those the names come from the exports object node gets when it loads the package.
async function entrySources(specs) {
  const formats = await entryFormats(specs);
  // React picks its production or development file by NODE_ENV; read the one that gets bundled.
  process.env.NODE_ENV = 'production';
  return new Map(specs.map((specifier) => {
    const quoted = JSON.stringify(specifier);
    const { format, hasDefault } = formats.get(specifier);
    if (format === 'cjs') {
      const names = Object.keys(requireHere(specifier)).filter((name) => IDENTIFIER.test(name) && name !== 'default' && name !== '__esModule');
      return [specifier, `import mod from ${quoted};\nexport const { ${names.join(', ')} } = mod;\nexport default mod;\n`];
    }
    const reexportDefault = hasDefault ? `export { default } from ${quoted};\n` : '';
    return [specifier, `export * from ${quoted};\n${reexportDefault}`];
  }));
}

// Which file esbuild picks for a specifier (browser field, "module", export conditions) decides
// its format, so ask esbuild: bundle only each entry file itself and read the metafile.
async function entryFormats(specs) {
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(specs.map((specifier) => [fileStem(specifier), specifier])),
    absWorkingDir: STATIC_DIR,
    outdir: 'probe',
    bundle: true,
    write: false,
    format: 'esm',
    metafile: true,
    logLevel: 'error',
    plugins: [{
      name: 'entry-file-only',
      setup(build) {
        build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'entry-point' ? undefined : { external: true }));
      },
    }],
  });
  const outputs = result.metafile.outputs;
  return new Map(specs.map((specifier) => {
    const output = outputs[`probe/${fileStem(specifier)}.js`];
    return [specifier, { format: result.metafile.inputs[output.entryPoint].format, hasDefault: output.exports.includes('default') }];
  }));
}

function virtualEntries(sources) {
  return {
    name: 'virtual-entries',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${ENTRY_NAMESPACE}:`) }, (args) => ({
        path: args.path.slice(ENTRY_NAMESPACE.length + 1),
        namespace: ENTRY_NAMESPACE,
      }));
      build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => ({
        contents: sources.get(args.path),
        resolveDir: STATIC_DIR,
        loader: 'js',
      }));
    },
  };
}

function fileStem(specifier) {
  return specifier.replaceAll('/', '-');
}
