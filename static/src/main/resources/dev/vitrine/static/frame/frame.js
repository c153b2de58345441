// Vitrine frame runtime: the first script of every artifact document.
//
// 1. Reports failures of the artifact's own code to the embedding page. The artifact runs in
//    the same realm and can send look-alike messages, so the embedder treats them as display-only.
// 2. Provides window.storage with the call and result shapes of Claude's artifact storage.
//    This realm holds no credential and cannot reach the network (connect-src 'none'): each
//    call travels over a MessageChannel that the embedding page's bridge hands over after
//    every load of this frame, and the bridge performs it with a viewer token the chat
//    backend minted for one artifact and one viewer.
(() => {
  const CALL_TIMEOUT_MS = 15000;
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

  class StorageError extends Error {
    constructor(code, message) {
      super(message);
      this.name = 'StorageError';
      this.code = code;
    }
  }

  const standalone = window.parent === window;
  let port = null;
  let unavailable = standalone ? 'this artifact is not embedded, so it has no storage' : null;
  let nextId = 1;
  const queued = [];
  const pending = new Map();

  const fail = (entry, code, message) => {
    clearTimeout(entry.timer);
    entry.reject(new StorageError(code, message));
  };

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (port || event.source !== window.parent || !data || data.vitrine !== 1 || data.type !== 'bridge' || !event.ports[0]) return;
    if (data.storage !== true) {
      unavailable = 'the page embedding this artifact offers no storage';
      for (const message of queued.splice(0)) fail(pending.get(message.id), 'storage_unavailable', unavailable);
      pending.clear();
      return;
    }
    port = event.ports[0];
    port.onmessage = ({ data: reply }) => {
      const entry = reply && pending.get(reply.id);
      if (!entry) return;
      pending.delete(reply.id);
      clearTimeout(entry.timer);
      if (reply.ok) {
        entry.resolve(reply.result);
      } else {
        const error = reply.error || {};
        entry.reject(new StorageError(String(error.code || 'storage_error'), String(error.message || 'storage call failed')));
      }
    };
    for (const message of queued.splice(0)) port.postMessage(message);
  });

  const call = (request) => new Promise((resolve, reject) => {
    if (unavailable) {
      reject(new StorageError('storage_unavailable', unavailable));
      return;
    }
    const id = nextId++;
    const entry = { resolve, reject };
    entry.timer = setTimeout(() => {
      pending.delete(id);
      reject(new StorageError('timeout', 'the storage bridge did not answer in time'));
    }, CALL_TIMEOUT_MS);
    pending.set(id, entry);
    const message = { id, ...request };
    if (port) port.postMessage(message); else queued.push(message);
  });

  const requireString = (name, value) => {
    if (typeof value !== 'string') {
      throw new TypeError(`window.storage: ${name} must be a string (store objects with JSON.stringify)`);
    }
    return value;
  };

  const storage = {
    async get(key, shared = false) {
      const result = await call({ op: 'get', key: requireString('key', key), shared: shared === true });
      return { key: result.key, value: result.value, shared: result.shared };
    },
    async set(key, value, shared = false) {
      const result = await call({ op: 'set', key: requireString('key', key), value: requireString('value', value), shared: shared === true });
      return { key: result.key, value, shared: result.shared };
    },
    async delete(key, shared = false) {
      const result = await call({ op: 'delete', key: requireString('key', key), shared: shared === true });
      return { key: result.key, deleted: result.deleted, shared: result.shared };
    },
    async list(prefix = '', shared = false) {
      const result = await call({ op: 'list', prefix: requireString('prefix', prefix ?? ''), shared: shared === true });
      return { keys: result.keys, prefix: result.prefix, shared: result.shared };
    },
  };
  Object.defineProperty(window, 'storage', { value: Object.freeze(storage), enumerable: true });
})();
