// The Vitrine chat page: lists artifacts, creates them from pasted content, and shows the
// selected one in a sandboxed frame on the sandbox origin. No innerHTML anywhere: the
// page runs under `require-trusted-types-for 'script'`.
import { embedArtifact } from './embed.js';

const KEY_STORAGE = 'vitrine.apiKey';
const VIEWER_STORAGE = 'vitrine.viewer';
const $ = (id) => document.getElementById(id);

/**
 * Reads `#key=…&viewer=…&artifact=…` once, keeps key and viewer for this tab, and takes them
 * out of the address bar. Without a viewer in the fragment this browser keeps one random
 * viewer id, so an artifact's personal storage survives reloads.
 */
function readFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  for (const [name, store] of [['key', KEY_STORAGE], ['viewer', VIEWER_STORAGE]]) {
    const value = fragment.get(name);
    if (value) {
      sessionStorage.setItem(store, value);
      fragment.delete(name);
    }
  }
  const rest = fragment.toString();
  history.replaceState(null, '', location.pathname + (rest ? `#${rest}` : ''));
  if (!sessionStorage.getItem(VIEWER_STORAGE)) {
    const remembered = localStorage.getItem(VIEWER_STORAGE) || `viewer-${crypto.randomUUID()}`;
    localStorage.setItem(VIEWER_STORAGE, remembered);
    sessionStorage.setItem(VIEWER_STORAGE, remembered);
  }
  return {
    key: sessionStorage.getItem(KEY_STORAGE),
    viewer: sessionStorage.getItem(VIEWER_STORAGE),
    artifact: fragment.get('artifact'),
  };
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function createApi(key) {
  return async function call(method, path, body) {
    const response = await fetch(`/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      const error = payload && payload.error ? payload.error : { code: 'http_' + response.status, message: response.statusText };
      throw new ApiError(response.status, error.code, error.message);
    }
    return payload;
  };
}

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

function showStatus(message, isError = false) {
  const status = $('status');
  status.textContent = message;
  status.classList.toggle('error', isError);
}

function startChat(api, viewer, initialArtifact) {
  let selected = null;
  let frame = null;

  async function refreshList() {
    const { artifacts } = await api('GET', '/artifacts');
    const list = $('artifact-list');
    list.replaceChildren(...artifacts.map((artifact) => {
      const open = element('button', { type: 'button', className: 'open' }, [
        element('strong', { textContent: artifact.title }),
        element('span', { className: 'meta', textContent: `${artifact.type.toUpperCase()} · v${artifact.version}` }),
      ]);
      open.addEventListener('click', () => select(artifact.id).catch(report));
      const remove = element('button', { type: 'button', className: 'quiet', textContent: 'Delete' });
      remove.setAttribute('aria-label', `Delete ${artifact.title}`);
      remove.addEventListener('click', () => removeArtifact(artifact).catch(report));
      const item = element('li', {}, [open, remove]);
      item.dataset.artifactId = artifact.id;
      item.classList.toggle('selected', artifact.id === selected);
      return item;
    }));
    if (artifacts.length === 0) {
      list.append(element('li', { className: 'meta', textContent: 'No artifacts yet. Paste one below.' }));
    }
  }

  async function select(id) {
    const artifact = await api('GET', `/artifacts/${encodeURIComponent(id)}`);
    // The chat page plays the chat backend here: it mints this viewer's storage capability.
    const access = await api('POST', `/artifacts/${encodeURIComponent(id)}/viewers`, { viewer, version: artifact.version });
    selected = artifact.id;
    history.replaceState(null, '', `${location.pathname}#artifact=${artifact.id}`);
    $('viewer-title').textContent = artifact.title;
    $('viewer-meta').textContent = `${artifact.type.toUpperCase()} · version ${artifact.version}`;
    $('frame-errors').replaceChildren();
    if (frame) frame.destroy();
    frame = embedArtifact($('frame-host'), {
      frameUrl: access.frameUrl,
      title: artifact.title,
      storage: { url: access.storageUrl, token: access.token },
      onMessage: (message) => onFrameMessage(artifact, message),
    });
    for (const item of $('artifact-list').children) {
      item.classList.toggle('selected', item.dataset.artifactId === selected);
    }
  }

  function onFrameMessage(artifact, message) {
    if (message.type !== 'error') return;
    const where = message.line ? ` (line ${message.line}:${message.column})` : '';
    $('frame-errors').append(element('li', {
      textContent: `v${artifact.version} ${message.kind}: ${String(message.message)}${where}`,
    }));
  }

  async function removeArtifact(artifact) {
    await api('DELETE', `/artifacts/${encodeURIComponent(artifact.id)}`);
    if (selected === artifact.id) {
      selected = null;
      if (frame) frame.destroy();
      frame = null;
      $('viewer-title').textContent = 'No artifact selected';
      $('viewer-meta').textContent = '';
    }
    showStatus(`Deleted “${artifact.title}”.`);
    await refreshList();
  }

  $('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = {
      type: form.elements.type.value,
      title: form.elements.title.value,
      content: form.elements.content.value,
    };
    try {
      const created = await api('POST', '/artifacts', body);
      const removed = created.latest.removed;
      showStatus(removed.length === 0
        ? `Created “${created.title}”.`
        : `Created “${created.title}”; removed ${removed.map((r) => r.what).join(', ')}.`);
      form.elements.content.value = '';
      await refreshList();
      await select(created.id);
    } catch (error) {
      report(error);
    }
  });

  function report(error) {
    if (error instanceof ApiError && error.status === 401) {
      sessionStorage.removeItem(KEY_STORAGE);
      showStatus('The API key was refused; paste the key the server printed.', true);
      askForKey();
      return;
    }
    showStatus(error instanceof ApiError ? `${error.code}: ${error.message}` : error.message, true);
  }

  refreshList()
    .then(() => (initialArtifact ? select(initialArtifact) : null))
    .catch(report);
}

function askForKey() {
  const form = $('key-form');
  form.hidden = false;
  $('composer').hidden = true;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $('key-input').value.trim());
    location.reload();
  });
}

const { key, viewer, artifact } = readFragment();
if (key) {
  startChat(createApi(key), viewer, artifact);
} else {
  askForKey();
}
