package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArtifactEventTest {

    private static String wire(ByteBuffer frame) {
        return StandardCharsets.UTF_8.decode(frame).toString();
    }

    @Test
    void theFrameIsTheEventInSseWireForm() {
        ArtifactEvent event = new ArtifactEvent(42, "chunk", "{\"text\":\"<h1>Grüße ✓\"}");

        assertEquals("id:42\nevent:chunk\ndata:{\"text\":\"<h1>Grüße ✓\"}\n\n", wire(event.frame()));
        assertEquals("{\"text\":\"<h1>Grüße ✓\"}", event.data());
        assertEquals(22 + 5 + 32, event.weight(), "characters of data, not bytes");
    }

    @Test
    void anEventWithoutAnIdHasNoIdLine() {
        assertEquals("event:subscribed\ndata:{}\n\n", wire(new ArtifactEvent(ArtifactEvent.NO_ID, "subscribed", "{}").frame()));
    }

    @Test
    void everyConnectionReadsTheSharedFrameWithItsOwnPosition() {
        ArtifactEvent event = new ArtifactEvent(1, "chunk", "{}");
        ByteBuffer first = event.frame();
        first.get(new byte[5]);

        assertEquals("id:1\nevent:chunk\ndata:{}\n\n", wire(event.frame()));
        assertThrows(ReadOnlyBufferException.class, () -> first.put(0, (byte) 'x'));
    }

    @Test
    void eventsAreEqualWhenIdTypeAndDataAre() {
        assertEquals(new ArtifactEvent(1, "chunk", "{}"), new ArtifactEvent(1, "chunk", "{}"));
        assertEquals(new ArtifactEvent(1, "chunk", "{}").hashCode(), new ArtifactEvent(1, "chunk", "{}").hashCode());
        assertNotEquals(new ArtifactEvent(1, "chunk", "{}"), new ArtifactEvent(2, "chunk", "{}"));
        assertNotEquals(new ArtifactEvent(1, "chunk", "{}"), new ArtifactEvent(1, "start", "{}"));
        assertNotEquals(new ArtifactEvent(1, "chunk", "{}"), new ArtifactEvent(1, "chunk", "[]"));
    }

    @Test
    void dataWithALineBreakIsRejectedBecauseItWouldEndTheEventEarly() {
        assertThrows(IllegalArgumentException.class, () -> new ArtifactEvent(1, "chunk", "{}\n\nevent:version\ndata:{}"));
        assertThrows(IllegalArgumentException.class, () -> new ArtifactEvent(1, "chunk", "{}\r"));
        assertThrows(IllegalArgumentException.class, () -> new ArtifactEvent(1, "chunk\n", "{}"));
    }
}
