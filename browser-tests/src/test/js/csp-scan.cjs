// Runs Google's csp_evaluator over policies given on stdin as {"name": "policy", ...} and
// prints {"name": [{severity, severityName, directive, value, description}, ...], ...}.
// Both the default checks and the strict-CSP checks run.
'use strict';
const { CspEvaluator, DEFAULT_CHECKS, STRICTCSP_CHECKS } = require('csp_evaluator/dist/evaluator.js');
const { CspParser } = require('csp_evaluator/dist/parser.js');
const { Severity } = require('csp_evaluator/dist/finding.js');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const policies = JSON.parse(input);
  const report = {};
  for (const [name, policy] of Object.entries(policies)) {
    const evaluator = new CspEvaluator(new CspParser(policy).csp);
    report[name] = evaluator.evaluate(undefined, DEFAULT_CHECKS.concat(STRICTCSP_CHECKS)).map((finding) => ({
      severity: finding.severity,
      severityName: Severity[finding.severity],
      directive: finding.directive,
      value: finding.value || null,
      description: finding.description,
    }));
  }
  process.stdout.write(JSON.stringify(report));
});
