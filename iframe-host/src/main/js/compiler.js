// The compiler GraalJS runs: Sucrase turns one TSX artifact into an ES module, and
// es-module-lexer lists what that module imports. build-compiler.mjs bundles this file with
// its two dependencies into one classic script that defines a global function.
//
// Contract with ComponentCompiler.java (keep both sides in step):
//   vitrineCompile(source) returns either
//     {code, imports: [{specifier, line, column}], hasDefaultExport}
//   or, when the source does not parse,
//     {error: {message, line, column}}
//   Lines and columns are 1-based and refer to the artifact's own source. A dynamic import
//   whose module name is not a string literal has specifier null.
//   Anything else thrown is a bug of ours, not of the artifact.
import { parse as lexModule } from 'es-module-lexer/js';
import { transform } from 'sucrase';

const OPTIONS = Object.freeze({
  transforms: ['jsx', 'typescript'],
  jsxRuntime: 'automatic',
  production: true,
  // Browsers running the artifact understand modern syntax: keep it as written.
  disableESTransforms: true,
});

function compile(source) {
  let code;
  try {
    code = transform(source, OPTIONS).code;
  } catch (e) {
    if (e && e.loc) {
      return { error: { message: withoutPosition(e.message), line: e.loc.line, column: e.loc.column } };
    }
    throw e;
  }
  const [imports, exports] = lexModule(code);
  const sourceLines = source.split('\n');
  const lineStarts = lineStartsOf(code);
  const listed = [];
  for (const entry of imports) {
    if (entry.type === 'import-meta') {
      continue;
    }
    const specifier = typeof entry.specifier === 'string' && !entry.glob ? entry.specifier : null;
    listed.push({ specifier, ...sourcePosition(code, lineStarts, sourceLines, entry) });
  }
  return {
    code,
    imports: listed,
    hasDefaultExport: exports.some((e) => e.name === 'default' && !e.typeOnly),
  };
}

// Sucrase appends its 1-based "(line:column)" to messages; the position travels separately.
function withoutPosition(message) {
  return String(message).replace(/ \(\d+:\d+\)$/, '');
}

function lineStartsOf(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

// Sucrase keeps every line where it was but not every column: stripped types shorten a
// line and the automatic JSX runtime prepends its own import to line 1. A module name is
// copied verbatim, so look for the same literal on the same line of the source; only an
// import Sucrase added itself (react/jsx-runtime) keeps its compiled column.
function sourcePosition(code, lineStarts, sourceLines, entry) {
  // A static import's start/end exclude the quotes, a dynamic import's include them; a
  // computed dynamic import is located by its "import(" so the column does not land on
  // some earlier use of the same variable.
  const quoted = entry.type !== 'dynamic';
  const computed = !quoted && entry.specifier === undefined;
  const literalStart = quoted ? entry.start - 1 : computed ? entry.dynamicStart - 'import'.length : entry.start;
  const literal = code.slice(literalStart, quoted ? entry.end + 1 : entry.end);
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= literalStart) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  const line = low + 1;
  const found = line <= sourceLines.length ? sourceLines[line - 1].indexOf(literal) : -1;
  return { line, column: (found !== -1 ? found : literalStart - lineStarts[low]) + 1 };
}

globalThis.vitrineCompile = compile;
