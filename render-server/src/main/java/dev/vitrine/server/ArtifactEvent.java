package dev.vitrine.server;

/**
 * One event of an artifact as {@link EventHub} holds and delivers it, already in its wire form:
 * the SSE {@code id:}, {@code event:} and {@code data:} lines. Serialised once when published, so
 * fan-out to many subscribers costs no further work.
 *
 * @param id   the event id; {@link #NO_ID} for an event sent without one (the client keeps its
 *             last id)
 * @param type the SSE event name
 * @param data one line of JSON
 */
record ArtifactEvent(long id, String type, String data) {

    /** Marks an event that carries no {@code id:} line. Real ids are far above it. */
    static final long NO_ID = 0;

    /** The size this event counts for in buffers: characters of data plus a little framing. */
    long weight() {
        return data.length() + type.length() + 32L;
    }
}
