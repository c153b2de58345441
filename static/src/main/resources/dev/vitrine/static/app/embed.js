// Vitrine embed SDK: puts an artifact frame into a page the way the threat model needs it.
//
//   import { embedArtifact } from 'http://localhost:8080/static/embed.js';
//   // viewer = what your backend got from POST /v1/artifacts/{id}/viewers
//   const frame = embedArtifact(container, {
//     frameUrl: viewer.frameUrl, title: 'Chart',
//     storage: { url: viewer.storageUrl, token: viewer.token },
//     onMessage: (m) => ...,
//     onFix: (detail) => askTheModelToFix(detail),   // or listen for 'vitrine:fix' events
//   });
//   frame.requestFix(errorMessage);   // e.g. from a "Fix" button next to an error the frame reported
//   frame.destroy();
//
// The embedding page must also send `Content-Security-Policy: frame-src <sandbox origin>/f/`:
// only the parent's frame-src stops an artifact from navigating its own frame elsewhere; and
// its connect-src must allow the Vitrine app origin when storage is used.
//
// This module is the storage bridge: the artifact's window.storage calls arrive on a
// MessageChannel handed to the frame after each of its loads, and are performed here with the
// viewer token. The token names one artifact and one viewer; the frame never sees it.

/** Sandbox tokens of every artifact frame: script and form events, never allow-same-origin. */
export const FRAME_SANDBOX = 'allow-scripts allow-forms';

/** The DOM event of a fix request (see `requestFix` below). */
export const FIX_EVENT = 'vitrine:fix';

/** `/f/<id>/<version>`, or `/f/<id>/live/<version>` for the draft of a stream. */
const FRAME_PATH = /^\/f\/([^/]+)\/(live\/)?(\d+)$/;

/**
 * Creates a sandboxed iframe for `frameUrl` inside `container`.
 * `onMessage` receives the messages of the Vitrine runtime in that frame (`{vitrine: 1, type, ...}`);
 * messages from any other window are ignored. `onFix` receives the fix requests of `requestFix`.
 */
export function embedArtifact(container, { frameUrl, title = 'Artifact', onMessage = () => {}, onFix = () => {}, storage = null }) {
  const url = new URL(frameUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`frameUrl must be an http(s) URL, got ${url.protocol}`);
  }
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', FRAME_SANDBOX);
  iframe.setAttribute('referrerpolicy', 'no-referrer');
  iframe.setAttribute('allow', '');
  iframe.title = title;
  iframe.src = url.href;

  const listener = (event) => {
    if (event.source !== iframe.contentWindow) return;
    const message = event.data;
    if (message === null || typeof message !== 'object' || message.vitrine !== 1 || typeof message.type !== 'string') return;
    onMessage(message);
  };
  window.addEventListener('message', listener);

  let channel = null;
  const handshake = () => {
    if (channel) channel.port1.close();
    channel = new MessageChannel();
    const port = channel.port1;
    port.onmessage = (event) => {
      answer(storage, event.data).then((reply) => port.postMessage(reply));
    };
    // The frame's origin is opaque ("null"), so no narrower target origin can be named.
    iframe.contentWindow.postMessage({ vitrine: 1, type: 'bridge', storage: storage !== null }, '*', [channel.port2]);
  };
  iframe.addEventListener('load', handshake);
  container.replaceChildren(iframe);

  const [, artifactId = null, live, version = null] = FRAME_PATH.exec(url.pathname) || [];
  return {
    iframe,
    /**
     * Asks the chat product to have its model fix an error this frame reported (an `error` message
     * given to `onMessage`): calls `onFix` with `{artifactId, version, draft, kind, message, line,
     * column}` and dispatches it as a bubbling `vitrine:fix` CustomEvent on the container, or on
     * the document once the container has left the page. `line` and `column` are null when the
     * error names no place. The message comes from the artifact's realm: hand it to a model as
     * quoted data, never as instructions. Returns the detail.
     */
    requestFix(error) {
      const detail = Object.freeze({
        artifactId,
        version: version === null ? null : Number(version),
        draft: live !== undefined,
        kind: String(error.kind),
        message: String(error.message),
        line: Number(error.line) > 0 ? Number(error.line) : null,
        column: Number(error.column) > 0 ? Number(error.column) : null,
      });
      onFix(detail);
      const target = container.isConnected ? container : document;
      target.dispatchEvent(new CustomEvent(FIX_EVENT, { bubbles: true, composed: true, detail }));
      return detail;
    },
    destroy() {
      window.removeEventListener('message', listener);
      iframe.removeEventListener('load', handshake);
      if (channel) channel.port1.close();
      iframe.remove();
    },
  };
}

const OPERATIONS = new Set(['get', 'set', 'delete', 'list']);

/** Performs one storage call from a frame; only the documented fields go to the server. */
async function answer(storage, request) {
  const id = request && Number.isInteger(request.id) ? request.id : null;
  if (id === null || !OPERATIONS.has(request.op)) {
    return { id, ok: false, error: { code: 'invalid_call', message: 'unknown storage call' } };
  }
  if (storage === null) {
    return { id, ok: false, error: { code: 'storage_unavailable', message: 'the page embedding this artifact offers no storage' } };
  }
  const body = { op: request.op, key: request.key, value: request.value, shared: request.shared === true, prefix: request.prefix };
  try {
    const response = await fetch(storage.url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${storage.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    const payload = await response.json().catch(() => null);
    if (response.ok) return { id, ok: true, result: payload };
    const error = payload && payload.error ? payload.error : { code: `http_${response.status}`, message: response.statusText };
    return { id, ok: false, error: { code: error.code, message: error.message } };
  } catch (failure) {
    return { id, ok: false, error: { code: 'network', message: `storage request failed: ${failure.message}` } };
  }
}
