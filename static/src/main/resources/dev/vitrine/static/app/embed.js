// Vitrine embed SDK: puts an artifact frame into a page the way the threat model needs it.
//
//   import { embedArtifact } from 'http://localhost:8080/static/embed.js';
//   const frame = embedArtifact(container, { frameUrl, title: 'Chart', onMessage: (m) => ... });
//   frame.destroy();
//
// The embedding page must also send `Content-Security-Policy: frame-src <sandbox origin>/f/`:
// only the parent's frame-src stops an artifact from navigating its own frame elsewhere.

/** Sandbox tokens of every artifact frame: script and form events, never allow-same-origin. */
export const FRAME_SANDBOX = 'allow-scripts allow-forms';

/**
 * Creates a sandboxed iframe for `frameUrl` inside `container`.
 * `onMessage` receives the messages of the Vitrine runtime in that frame (`{vitrine: 1, type, ...}`);
 * messages from any other window are ignored.
 */
export function embedArtifact(container, { frameUrl, title = 'Artifact', onMessage = () => {} }) {
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
  container.replaceChildren(iframe);

  return {
    iframe,
    destroy() {
      window.removeEventListener('message', listener);
      iframe.remove();
    },
  };
}
