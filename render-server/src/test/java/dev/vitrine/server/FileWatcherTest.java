package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preview's file watcher on a real directory; waits are bounded, as inotify answers in milliseconds. */
class FileWatcherTest {
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path directory;

    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private final FileWatcher.Listener listener = new FileWatcher.Listener() {
        @Override
        public void changed(String text) {
            seen.add(text);
        }

        @Override
        public void unreadable(Path file, IOException problem) {
            seen.add("unreadable: " + file.getFileName());
        }
    };

    @Test
    void aSaveHandsOverTheNewText() throws Exception {
        Path file = Files.writeString(directory.resolve("page.html"), "<p>one</p>");
        try (FileWatcher ignored = FileWatcher.start(file, Duration.ofMillis(50), "<p>one</p>", listener)) {
            Files.writeString(file, "<p>two</p>");
            assertEquals("<p>two</p>", seen.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void anEditorThatRenamesANewFileOverTheOldOneIsFollowed() throws Exception {
        Path file = Files.writeString(directory.resolve("app.tsx"), "one");
        try (FileWatcher ignored = FileWatcher.start(file, Duration.ofMillis(50), "one", listener)) {
            for (String text : new String[] {"two", "three"}) {
                Path swap = Files.writeString(directory.resolve(".app.tsx.swp"), text);
                Files.move(swap, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                assertEquals(text, seen.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void writesInQuickSuccessionAreHandedOverOnceSettled() throws Exception {
        Path file = Files.writeString(directory.resolve("chart.svg"), "a");
        try (FileWatcher ignored = FileWatcher.start(file, Duration.ofMillis(300), "a", listener)) {
            Files.writeString(file, "b");
            Files.writeString(file, "bc");
            Files.writeString(file, "bcd");
            assertEquals("bcd", seen.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            assertNull(seen.poll(600, TimeUnit.MILLISECONDS), "one change, one hand-over");
        }
    }

    @Test
    void aSaveThatChangesNothingAndOtherFilesAreIgnored() throws Exception {
        Path file = Files.writeString(directory.resolve("notes.md"), "# same");
        try (FileWatcher ignored = FileWatcher.start(file, Duration.ofMillis(50), "# same", listener)) {
            Files.writeString(file, "# same");
            Files.writeString(directory.resolve("other.md"), "# other");
            assertNull(seen.poll(500, TimeUnit.MILLISECONDS));
            Files.writeString(file, "# changed");
            assertEquals("# changed", seen.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFileThatIsNotUtf8IsReportedNotHandedOver() throws Exception {
        Path file = Files.writeString(directory.resolve("page.html"), "ok");
        try (FileWatcher ignored = FileWatcher.start(file, Duration.ofMillis(50), "ok", listener)) {
            Files.write(file, new byte[] {'o', (byte) 0xff, 'k'});
            assertEquals("unreadable: page.html", seen.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            Files.writeString(file, "fixed", StandardCharsets.UTF_8);
            assertEquals("fixed", seen.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void previewTakesTheTypeFromTheExtension() {
        assertEquals("react", Preview.typeOf(Path.of("dashboard.TSX")));
        assertEquals("mermaid", Preview.typeOf(Path.of("flow.mmd")));
        assertEquals("markdown", Preview.typeOf(Path.of("notes.md")));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Preview.typeOf(Path.of("data.json")));
        assertEquals("preview: cannot tell the artifact type of 'data.json': the name must end in .html, .jsx, .tsx, .svg, .md or .mmd",
                refused.getMessage());
    }

    @Test
    void aRefusalNamingAPlaceIsPrintedTheWayCompilersNameOne() {
        assertEquals("app.tsx:12:5 compile_error: Unexpected token",
                PreviewClient.refused("compile_error", "Unexpected token (line 12, column 5)").describe("app.tsx"));
        assertEquals("app.tsx:2:38 compile_error: Unexpected token",
                PreviewClient.refused("compile_error", "Unexpected token (line 2, column 38); the text received is kept as partial 1"
                        + " (GET /v1/artifacts/x/partials/1)").describe("app.tsx"));
        assertEquals("logo.svg invalid_svg: not well-formed",
                PreviewClient.refused("invalid_svg", "not well-formed").describe("logo.svg"));
    }
}
