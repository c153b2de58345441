// The chat page's message list: user and assistant messages as they are written, with a card for
// each artifact an assistant message writes or edits, and notes such as fix requests. The demo
// replay (POST /v1/demo/replay) fills it from its JSON lines. Text only: no innerHTML.

const ROLE_NAMES = { user: 'You', assistant: 'Assistant' };

/**
 * Reads a response body of JSON lines (`application/x-ndjson`) and yields each parsed line as it
 * arrives.
 */
export async function* jsonLines(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let end = buffered.indexOf('\n');
    while (end >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.trim() !== '') yield JSON.parse(line);
      end = buffered.indexOf('\n');
    }
  }
  if (buffered.trim() !== '') yield JSON.parse(buffered);
}

/** What an artifact card says about the state of its artifact (see the `artifact` lines of the replay). */
function describe(reference) {
  const type = reference.artifactType.toUpperCase();
  switch (reference.state) {
    case 'streaming':
      return `${type} · writing version ${reference.version} · ${reference.length.toLocaleString('en')} characters`;
    case 'editing':
      return `${type} · editing: ${reference.edits} ${reference.edits === 1 ? 'edit' : 'edits'} for version ${reference.version}`;
    default:
      return reference.edits
        ? `${type} · version ${reference.version}, made by ${reference.edits} ${reference.edits === 1 ? 'edit' : 'edits'}`
        : `${type} · version ${reference.version}`;
  }
}

/**
 * Renders a conversation into the list `list`. `onOpen(artifactId)` is called when a card is
 * clicked. Keeps the newest message in view while the reader has not scrolled up.
 */
export function createConversation(list, { onOpen }) {
  const messages = new Map();
  let selected = null;

  const keepInView = (change) => {
    const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    change();
    if (atEnd) list.scrollTop = list.scrollHeight;
  };

  return {
    clear() {
      messages.clear();
      list.replaceChildren();
      list.hidden = true;
    },

    start(index, role) {
      keepInView(() => {
        const item = document.createElement('li');
        item.className = `message ${role}`;
        item.dataset.message = String(index);
        const name = document.createElement('span');
        name.className = 'role';
        name.textContent = ROLE_NAMES[role] || role;
        item.append(name);
        messages.set(index, { item, cards: new Map() });
        list.append(item);
        list.hidden = false;
      });
    },

    /** Appends text to a message; text after an artifact card starts a new paragraph. */
    append(index, text) {
      const message = messages.get(index);
      if (!message) return;
      keepInView(() => {
        let paragraph = message.item.lastElementChild;
        if (!paragraph || !paragraph.classList.contains('text')) {
          paragraph = document.createElement('p');
          paragraph.className = 'text';
          message.item.append(paragraph);
        }
        paragraph.append(text);
      });
    },

    /**
     * Shows or updates the card of an artifact in a message; returns true when the card is new,
     * i.e. when the assistant has just begun writing or editing the artifact.
     */
    reference(reference) {
      const message = messages.get(reference.message);
      if (!message) return false;
      let card = message.cards.get(reference.artifactId);
      const added = card === undefined;
      if (added) {
        card = document.createElement('button');
        card.type = 'button';
        card.className = 'artifact-card';
        card.dataset.artifactId = reference.artifactId;
        const meta = document.createElement('span');
        meta.className = 'meta';
        card.append(document.createElement('strong'), meta);
        card.addEventListener('click', () => onOpen(reference.artifactId));
        card.classList.toggle('selected', reference.artifactId === selected);
        message.cards.set(reference.artifactId, card);
      }
      card.dataset.state = reference.state;
      card.dataset.version = String(reference.version);
      card.firstElementChild.textContent = reference.title;
      card.lastElementChild.textContent = describe(reference);
      if (added) keepInView(() => message.item.append(card));
      return added;
    },

    /** Marks the cards of the artifact shown in the viewer, also those added later. */
    select(artifactId) {
      selected = artifactId;
      for (const card of list.querySelectorAll('.artifact-card')) {
        card.classList.toggle('selected', card.dataset.artifactId === artifactId);
      }
    },

    note(text) {
      keepInView(() => {
        const item = document.createElement('li');
        item.className = 'note';
        item.textContent = text;
        list.append(item);
        list.hidden = false;
      });
    },
  };
}
