// Vitrine frame runtime: the first script of every artifact document. It tells the
// embedding page about failures of the artifact's own code. The artifact runs in the same
// realm and can send look-alike messages, so the embedder treats these as display-only.
(() => {
  const post = (message) => window.parent.postMessage({ vitrine: 1, ...message }, '*');
  const text = (value) => String(value).slice(0, 2000);

  window.addEventListener('error', (event) => {
    post({
      type: 'error',
      kind: 'uncaught',
      message: text(event.message || 'script error'),
      line: Number(event.lineno) || 0,
      column: Number(event.colno) || 0,
    });
  });
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    post({ type: 'error', kind: 'unhandled-rejection', message: text(reason && reason.message ? reason.message : reason) });
  });
  window.addEventListener('securitypolicyviolation', (event) => {
    post({ type: 'blocked', directive: text(event.effectiveDirective), blocked: text(event.blockedURI) });
  });
  window.addEventListener('DOMContentLoaded', () => post({ type: 'ready' }));
})();
