// Node half of CompileBenchmark.java: the same Sucrase (iframe-host/node_modules, pinned by
// package-lock.json) on the same file with the same options, so the JVM figures have a
// reference. Prints one JSON line per workload; the Java side parses it.
//   node src/test/js/sucrase-bench.cjs <file.tsx> <compiler.js bundle> <warm-up> <runs> <max seconds>
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { transform } = require(path.join(__dirname, '..', '..', '..', 'node_modules', 'sucrase'));

const [file, bundle, warmUpArg, runsArg, maxSecondsArg] = process.argv.slice(2);
if (!file || !bundle) {
  console.error('usage: node sucrase-bench.cjs <file.tsx> <compiler.js> <warm-up> <runs> <max seconds>');
  process.exit(2);
}
const source = fs.readFileSync(file, 'utf8');
const warmUp = Number(warmUpArg ?? 200);
const runs = Number(runsArg ?? 200);
const deadline = process.hrtime.bigint() + BigInt(Math.round(Number(maxSecondsArg ?? 60) * 1e9));
const options = { transforms: ['jsx', 'typescript'], jsxRuntime: 'automatic', production: true, disableESTransforms: true };

// The bundle GraalJS runs (Sucrase + es-module-lexer + import positions), in a fresh realm.
const realm = vm.createContext({});
vm.runInContext(fs.readFileSync(bundle, 'utf8'), realm, { filename: 'vitrine-compiler.js' });

function measure(name, once) {
  let warmed = 0;
  for (; warmed < warmUp && process.hrtime.bigint() < deadline; warmed++) {
    once(`${source}\n// warm-up ${warmed}\n`);
  }
  const times = [];
  for (let i = 0; i < runs && process.hrtime.bigint() < deadline; i++) {
    const input = `${source}\n// run ${i}\n`;
    const start = process.hrtime.bigint();
    once(input);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const at = (q) => times[Math.floor(times.length * q)];
  console.log(JSON.stringify({ name, warmUp: warmed, runs: times.length, p50: at(0.5), mean, p10: at(0.1), p90: at(0.9) }));
}

const first = process.hrtime.bigint();
transform(source, options);
console.log(JSON.stringify({ name: 'first', ms: Number(process.hrtime.bigint() - first) / 1e6 }));
measure('sucrase', (input) => transform(input, options));
measure('bundle', (input) => realm.vitrineCompile(input));
