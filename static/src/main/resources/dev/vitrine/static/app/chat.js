// The Vitrine chat page: lists artifacts, creates them from pasted content, and shows the
// selected one in a sandboxed frame on the sandbox origin; "Play demo" replays a recorded
// conversation into it. No innerHTML anywhere: the page runs under
// `require-trusted-types-for 'script'`.
import { embedArtifact, FIX_EVENT } from './embed.js';
import { createConversation, jsonLines } from './conversation.js';

const KEY_STORAGE = 'vitrine.apiKey';
const VIEWER_STORAGE = 'vitrine.viewer';
const $ = (id) => document.getElementById(id);

/**
 * Reads `#key=…&viewer=…&artifact=…&speed=…` once, keeps key and viewer for this tab, and takes
 * them out of the address bar. Without a viewer in the fragment this browser keeps one random
 * viewer id, so an artifact's personal storage survives reloads. `speed` is the demo's pace
 * (1 to 100 times a fast model's; 1 without it).
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
    speed: fragment.get('speed'),
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

function startChat(api, key, viewer, initialArtifact, demoSpeed) {
  let selected = null;
  let frame = null;
  // Frames being loaded in hidden layers to replace `frame`, oldest first (see swapIn).
  const loadingLayers = [];
  let events = null;
  // The artifact whose versions the picker lists, and a counter that lets only the newest of
  // overlapping select()/show() calls touch the page: their API answers can arrive out of order.
  let pickerArtifact = null;
  let ticket = 0;
  // Titles of the artifacts the page knows, for notes about them.
  const titles = new Map();
  // The frame each listed frame error came from.
  const reportedBy = new WeakMap();
  const conversation = createConversation($('messages'), { onOpen: (id) => select(id).catch(report) });

  async function refreshList() {
    const { artifacts } = await api('GET', '/artifacts');
    const list = $('artifact-list');
    for (const artifact of artifacts) titles.set(artifact.id, artifact.title);
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
    titles.set(artifact.id, artifact.title);
    history.replaceState(null, '', `${location.pathname}#artifact=${artifact.id}`);
    $('viewer-title').textContent = artifact.title;
    conversation.select(artifact.id);
    showVersionPicker(artifact);
    for (const item of $('artifact-list').children) {
      item.classList.toggle('selected', item.dataset.artifactId === selected);
    }
    follow(artifact);
    await show(artifact, artifact.version, mine);
  }

  /**
   * Follows the artifact's events while it is selected. A stream of HTML, SVG, Markdown or
   * mermaid shows its text so far (the sandbox origin renders it at /f/{id}/live/{version});
   * a React stream keeps the last stored version on screen and says whether the text compiles
   * yet; either way the new version replaces the frame when it is stored. Frames are swapped
   * only once the next one is ready, so the frame never goes blank in between.
   */
  function follow(artifact) {
    if (events) events.close();
    const status = $('stream-status');
    status.hidden = true;
    // EventSource cannot send an Authorization header; this route alone takes the key as a parameter.
    events = new EventSource(`/v1/artifacts/${encodeURIComponent(artifact.id)}/events?key=${encodeURIComponent(key)}`);
    let stream = null;
    let loading = false;
    let again = false;
    const sandboxOrigin = new URL(artifact.frameUrl).origin;
    const loadDraft = () => {
      if (stream === null) return;
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      const version = stream.version;
      swapIn({
        frameUrl: `${sandboxOrigin}/f/${encodeURIComponent(artifact.id)}/live/${version}`,
        title: `${artifact.title}, version ${version} (streaming)`,
        onMessage: (message, handle) => onFrameMessage(version, message, handle),
      }, () => {
        loading = false;
        if (again) {
          again = false;
          loadDraft();
        }
      });
    };
    const data = (event) => JSON.parse(event.data);
    events.addEventListener('reset', () => {
      // The server could not resume after the last event this page saw: start over from the stored version.
      stream = null;
      status.hidden = true;
      showStored(artifact.id, ++ticket).catch(report);
    });
    events.addEventListener('start', (event) => {
      const { version, type } = data(event);
      stream = { version, react: type === 'react' };
      status.hidden = false;
      status.textContent = stream.react
        ? `Version ${version} is streaming; version ${version - 1} stays on screen until it is complete.`
        : `Version ${version} is streaming…`;
    });
    events.addEventListener('compiled', (event) => {
      if (stream === null) return;
      if (stream.react) {
        status.textContent = `Version ${stream.version} is streaming; it compiles so far (${data(event).length} characters).`;
      } else {
        loadDraft();
      }
    });
    events.addEventListener('error', (event) => {
      if (!event.data) return; // the connection's own error: EventSource reconnects with Last-Event-ID
      const error = data(event);
      const where = error.line ? ` (line ${error.line}:${error.column})` : '';
      if (error.final) {
        stream = null;
        status.textContent = `Version ${error.version} was not stored: ${error.code}: ${error.message}${where}`;
        $('frame-errors').append(element('li', { textContent: `v${error.version} ${error.code}: ${error.message}${where}` }));
      } else if (stream !== null) {
        status.textContent = `Version ${error.version} is streaming; not compiling yet: ${error.message}${where}`;
      }
    });
    events.addEventListener('version', (event) => {
      const { version } = data(event);
      stream = null;
      status.textContent = `Version ${version} is complete.`;
      $('frame-errors').replaceChildren(); // errors of the versions before it, or of its drafts
      showStored(artifact.id, ++ticket).catch(report);
    });
  }

  /** After a stream or an edit elsewhere: the latest version, swapped in once its frame is ready. */
  async function showStored(id, mine) {
    const artifact = await api('GET', `/artifacts/${encodeURIComponent(id)}`);
    if (mine !== ticket) return;
    showVersionPicker(artifact);
    await show(artifact, artifact.version, mine, true);
    await refreshList();
  }

  /**
   * Embeds a frame in a hidden layer of the frame host and shows it in place of the current
   * one when its runtime reports ready, or drops it after 5 s if it never does (a document that
   * failed). The newest ready frame wins: layers started before it and still loading are dropped
   * at once, layers started after it keep loading. `done` is called once the layer is shown or
   * dropped.
   */
  function swapIn(options, done) {
    const host = $('frame-host');
    const layer = element('div', { className: 'frame-layer' });
    layer.hidden = true;
    host.append(layer);
    let next = null;
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      loadingLayers.splice(loadingLayers.indexOf(entry), 1);
    };
    const entry = {
      layer,
      drop: () => {
        if (settled) return;
        settle();
        retire(next);
        layer.remove();
        done();
      },
    };
    loadingLayers.push(entry);
    const swap = () => {
      if (settled) return;
      for (const older of loadingLayers.slice(0, loadingLayers.indexOf(entry))) older.drop();
      settle();
      if (frame) retire(frame);
      for (const old of [...host.children]) {
        if (old !== layer && !loadingLayers.some((loading) => loading.layer === old)) old.remove();
      }
      layer.hidden = false;
      frame = next;
      done();
    };
    const timer = setTimeout(entry.drop, 5000);
    next = embedArtifact(layer, {
      ...options,
      onMessage: (message) => {
        if (message.type === 'ready') swap();
        options.onMessage(message, next);
      },
    });
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

  /**
   * Shows one version of the artifact in the frame, with a viewer access minted for that
   * version: at once, or with `swap` once the new frame is ready (see swapIn).
   */
  async function show(artifact, version, mine, swap = false) {
    // The chat page plays the chat backend here: it mints this viewer's storage capability.
    const access = await api('POST', `/artifacts/${encodeURIComponent(artifact.id)}/viewers`, { viewer, version });
    if (mine !== ticket) return;
    const of = artifact.version > 1 ? ` of ${artifact.version}` : '';
    $('viewer-meta').textContent = `${artifact.type.toUpperCase()} · version ${version}${of}`;
    $('frame-errors').replaceChildren();
    const options = {
      frameUrl: access.frameUrl,
      title: artifact.version > 1 ? `${artifact.title}, version ${version}` : artifact.title,
      storage: { url: access.storageUrl, token: access.token },
      onMessage: (message, handle) => onFrameMessage(version, message, handle),
    };
    if (swap) {
      swapIn(options, () => {});
      return;
    }
    for (const loading of [...loadingLayers]) loading.drop();
    if (frame) retire(frame);
    $('frame-host').replaceChildren();
    const shown = embedArtifact($('frame-host'), { ...options, onMessage: (message) => options.onMessage(message, shown) });
    frame = shown;
  }

  $('version-picker').addEventListener('change', (event) => {
    if (pickerArtifact === null) return;
    show(pickerArtifact, Number(event.currentTarget.value), ++ticket).catch(report);
  });

  /** Lists an error a frame reported, with a button that asks the chat product for a fix (embed.js). */
  function onFrameMessage(version, message, handle) {
    if (message.type !== 'error') return;
    const where = message.line ? ` (line ${message.line}:${message.column})` : '';
    const fix = element('button', { type: 'button', className: 'fix', textContent: 'Fix' });
    fix.addEventListener('click', () => handle.requestFix(message));
    const item = element('li', {}, [
      element('span', { className: 'text', textContent: `v${version} ${message.kind}: ${String(message.message)}${where}` }),
      fix,
    ]);
    reportedBy.set(item, handle);
    $('frame-errors').append(item);
  }

  /**
   * Removes a frame and the errors it reported. A frame being replaced can still report after the
   * list was cleared for its successor (a version swapped in while the one before it loads).
   */
  function retire(handle) {
    handle.destroy();
    for (const item of [...$('frame-errors').children]) {
      if (reportedBy.get(item) === handle) item.remove();
    }
  }

  // This page plays the chat product: a fix request becomes a note in the conversation, where a
  // product would ask its model for the fix.
  document.addEventListener(FIX_EVENT, (event) => {
    const { artifactId, version, kind, message } = event.detail;
    const title = titles.get(artifactId) || artifactId;
    conversation.note(`Fix requested for “${title}” version ${version}: ${kind}: ${message}`);
  });

  let demo = null; // the AbortController of the replay playing now

  /**
   * Plays the demo conversation: messages appear as they are written, and the viewer follows
   * the artifact being written or edited, whose frame grows from the stream's drafts (its events,
   * as for any stream) until the stored version replaces it. Pressed again, it stops the replay.
   */
  async function playDemo() {
    const button = $('play-demo');
    if (demo) {
      demo.abort();
      return;
    }
    demo = new AbortController();
    button.textContent = 'Stop demo';
    conversation.clear();
    showStatus('Playing the demo conversation…');
    try {
      const response = await fetch('/v1/demo/replay', {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(demoSpeed ? { speed: Number(demoSpeed) } : {}),
        signal: demo.signal,
      });
      if (!response.ok) {
        const payload = await response.json().catch(() => null);
        const error = payload && payload.error ? payload.error : { code: `http_${response.status}`, message: response.statusText };
        throw new ApiError(response.status, error.code, error.message);
      }
      for await (const line of jsonLines(response.body)) {
        onDemoLine(line);
      }
    } catch (error) {
      if (error.name === 'AbortError') {
        showStatus('Demo stopped.');
      } else {
        report(error);
      }
    } finally {
      demo = null;
      button.textContent = 'Play demo';
    }
  }

  function onDemoLine(line) {
    switch (line.type) {
      case 'message':
        conversation.start(line.message, line.role);
        break;
      case 'text':
        conversation.append(line.message, line.text);
        break;
      case 'artifact':
        titles.set(line.artifactId, line.title);
        // A new card: the assistant has begun writing or editing this artifact, so the viewer follows it.
        if (conversation.reference(line) && selected !== line.artifactId) {
          select(line.artifactId).then(refreshList).catch(report);
        } else if (line.state === 'stored') {
          refreshList().catch(report);
          // The page may have subscribed after the stream ended, and missed its 'version' event.
          if (selected === line.artifactId && pickerArtifact && pickerArtifact.version < line.version) {
            showStored(line.artifactId, ++ticket).catch(report);
          }
        }
        break;
      case 'done':
        showStatus(`Demo finished: ${line.artifacts.length} artifacts, written and edited through the stream and versions API.`);
        break;
      case 'error':
        showStatus(`The demo stopped: ${line.code}: ${line.message}`, true);
        break;
    }
  }

  $('play-demo').addEventListener('click', () => playDemo());

  async function removeArtifact(artifact) {
    await api('DELETE', `/artifacts/${encodeURIComponent(artifact.id)}`);
    if (selected === artifact.id) {
      selected = null;
      pickerArtifact = null;
      ticket++;
      if (frame) retire(frame);
      if (events) events.close();
      events = null;
      frame = null;
      $('stream-status').hidden = true;
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

const { key, viewer, artifact, speed } = readFragment();
if (key) {
  startChat(createApi(key), key, viewer, artifact, speed);
} else {
  askForKey();
}
