package dev.vitrine.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One event of an artifact as {@link EventHub} holds and delivers it, already in its wire form:
 * the SSE {@code id:}, {@code event:} and {@code data:} lines, encoded once when the event is
 * made, so fan-out to many subscribers writes the same bytes to every connection ({@link #frame()})
 * and costs no further work. The event holds only these bytes; {@link #data()} decodes them.
 *
 * <pre>{@code
 * ArtifactEvent event = new ArtifactEvent(7, "chunk", "{\"text\":\"<h1>\"}");
 * channel.write(event.frame()); // id:7\nevent:chunk\ndata:{"text":"<h1>"}\n\n
 * }</pre>
 *
 * <p>Equal when id, type and data are.
 */
final class ArtifactEvent {

    /** Marks an event that carries no {@code id:} line. Real ids are far above it. */
    static final long NO_ID = 0;

    private final long id;
    private final String type;
    private final byte[] frame;
    /** Where the data starts in {@link #frame}; it ends before the two closing newlines. */
    private final int dataStart;
    /** Characters of the data, which {@link #weight()} counts. */
    private final int dataChars;

    /**
     * @param id   the event id; {@link #NO_ID} for an event sent without one (the client keeps its
     *             last id)
     * @param type the SSE event name
     * @param data one line of JSON
     * @throws IllegalArgumentException if the type or the data is more than one line, which would
     *                                  end the event early or change its meaning on the wire
     */
    ArtifactEvent(long id, String type, String data) {
        if (isMultiLine(type)) {
            throw new IllegalArgumentException("event type " + LogText.safe(type) + ": must be one line");
        }
        if (isMultiLine(data)) {
            throw new IllegalArgumentException("data of a " + type + " event: has a line break; "
                    + "SSE data is one line here (JSON escapes its line breaks)");
        }
        String head = (id == NO_ID ? "" : "id:" + id + "\n") + "event:" + type + "\ndata:";
        this.id = id;
        this.type = type;
        this.frame = (head + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        this.dataStart = head.getBytes(StandardCharsets.UTF_8).length;
        this.dataChars = data.length();
    }

    private static boolean isMultiLine(String text) {
        return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    }

    long id() {
        return id;
    }

    String type() {
        return type;
    }

    String data() {
        return new String(frame, dataStart, frame.length - 2 - dataStart, StandardCharsets.UTF_8);
    }

    /** The event as sent: a read-only view of the shared bytes, with its own position for one connection. */
    ByteBuffer frame() {
        return ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }

    /** The size this event counts for in buffers: characters of data plus a little framing. */
    long weight() {
        return dataChars + type.length() + 32L;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArtifactEvent event && id == event.id && Arrays.equals(frame, event.frame);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(frame);
    }

    @Override
    public String toString() {
        return "ArtifactEvent[id=" + id + ", type=" + type + ", data=" + data() + "]";
    }
}
