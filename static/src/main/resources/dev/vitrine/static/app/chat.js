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
  // The artifact whose versions the picker lists, and a counter that lets only the newest of
  // overlapping select()/show() calls touch the page: their API answers can arrive out of order.
  let pickerArtifact = null;
  let ticket = 0;

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
    const mine = ++ticket;
    const artifact = await api('GET', `/artifacts/${encodeURIComponent(id)}`);
    if (mine !== ticket) return;
    selected = artifact.id;
    history.replaceState(null, '', `${location.pathname}#artifact=${artifact.id}`);
    $('viewer-title').textContent = artifact.title;
    showVersionPicker(artifact);
    for (const item of $('artifact-list').children) {
      item.classList.toggle('selected', item.dataset.artifactId === selected);
    }
    await show(artifact, artifact.version, mine);
  }

  /** Lists v1…vN, newest chosen; hidden while there is only one version to show. */
  function showVersionPicker(artifact) {
    pickerArtifact = artifact;
    const picker = $('version-picker');
    const versions = Array.from({ length: artifact.version }, (_, i) => i + 1);
    picker.replaceChildren(...versions.map((n) => element('option', {
      value: String(n),
      textContent: n === artifact.version ? `v${n} (latest)` : `v${n}`,
    })));
    picker.value = String(artifact.version);
    $('version-choice').hidden = artifact.version < 2;
  }

  /** Shows one version of the artifact in the frame, with a viewer access minted for that version. */
  async function show(artifact, version, mine) {
    // The chat page plays the chat backend here: it mints this viewer's storage capability.
    const access = await api('POST', `/artifacts/${encodeURIComponent(artifact.id)}/viewers`, { viewer, version });
    if (mine !== ticket) return;
    const of = artifact.version > 1 ? ` of ${artifact.version}` : '';
    $('viewer-meta').textContent = `${artifact.type.toUpperCase()} · version ${version}${of}`;
    $('frame-errors').replaceChildren();
    if (frame) frame.destroy();
    frame = embedArtifact($('frame-host'), {
      frameUrl: access.frameUrl,
      title: artifact.version > 1 ? `${artifact.title}, version ${version}` : artifact.title,
      storage: { url: access.storageUrl, token: access.token },
      onMessage: (message) => onFrameMessage(version, message),
    });
  }

  $('version-picker').addEventListener('change', (event) => {
    if (pickerArtifact === null) return;
    show(pickerArtifact, Number(event.currentTarget.value), ++ticket).catch(report);
  });

  function onFrameMessage(version, message) {
    if (message.type !== 'error') return;
    const where = message.line ? ` (line ${message.line}:${message.column})` : '';
    $('frame-errors').append(element('li', {
      textContent: `v${version} ${message.kind}: ${String(message.message)}${where}`,
    }));
  }

  async function removeArtifact(artifact) {
    await api('DELETE', `/artifacts/${encodeURIComponent(artifact.id)}`);
    if (selected === artifact.id) {
      selected = null;
      pickerArtifact = null;
      ticket++;
      if (frame) frame.destroy();
      frame = null;
      $('viewer-title').textContent = 'No artifact selected';
      $('viewer-meta').textContent = '';
      $('version-choice').hidden = true;
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
