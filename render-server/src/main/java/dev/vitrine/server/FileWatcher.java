package dev.vitrine.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Hands a file's text to a listener each time it settles after a change: it watches the
 * file's directory, not the file, because editors often save by writing a new file and
 * renaming it over the old one (a watch on the old file would go quiet). Events are
 * debounced ({@code quiet} without another event), a file that is missing for a moment is
 * waited for, and text equal to the last one handed over is not handed over again.
 *
 * <pre>{@code
 * try (FileWatcher watcher = FileWatcher.start(file, Duration.ofMillis(100), Files.readString(file), listener)) {
 *     ...   // listener.changed(text) runs on the watcher's thread, one call at a time
 * }
 * }</pre>
 */
final class FileWatcher implements AutoCloseable {
    /** Called on the watcher's thread, never twice at once. */
    interface Listener {
        void changed(String text);

        /** The file changed but cannot be read as UTF-8 text. */
        void unreadable(Path file, IOException problem);
    }

    private final Path file;
    private final Duration quiet;
    private final Listener listener;
    private final WatchService watch;
    private final Thread thread;
    private volatile boolean closed;
    private String last;

    private FileWatcher(Path file, Duration quiet, String current, Listener listener, WatchService watch) {
        this.file = file;
        this.quiet = quiet;
        this.last = current;
        this.listener = listener;
        this.watch = watch;
        this.thread = new Thread(this::run, "vitrine-preview-watch");
        thread.setDaemon(true);
    }

    /**
     * @param current the text the caller already has, so an unchanged save is not reported; {@code null} for none
     * @throws IOException if the file's directory cannot be watched
     */
    static FileWatcher start(Path file, Duration quiet, String current, Listener listener) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Objects.requireNonNull(listener, "listener");
        if (quiet.isNegative()) {
            throw new IllegalArgumentException("quiet must be zero or more, got " + quiet);
        }
        WatchService watch = absolute.getFileSystem().newWatchService();
        try {
            absolute.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | RuntimeException e) {
            watch.close();
            throw e;
        }
        FileWatcher watcher = new FileWatcher(absolute, quiet, current, listener, watch);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        long due = -1; // System.nanoTime() at which to read the file, or -1 while nothing changed
        while (!closed) {
            WatchKey key;
            try {
                key = due < 0 ? watch.take() : watch.poll(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            if (key != null) {
                if (concernsFile(key)) {
                    due = System.nanoTime() + quiet.toNanos();
                }
                if (!key.reset()) {
                    listener.unreadable(file, new NoSuchFileException(file.getParent().toString(), null,
                            "the directory is gone; the preview stopped watching"));
                    return;
                }
            } else if (due >= 0) {
                due = -1;
                read();
            }
        }
    }

    private boolean concernsFile(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            // OVERFLOW: events were lost, one of them may have been ours.
            ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || file.getFileName().equals(event.context());
        }
        return ours;
    }

    private void read() {
        String text;
        try {
            // Strict decoding: a file that is not UTF-8 is reported, not sent with replacement characters.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            return; // removed for a moment by an editor that replaces the file: its creation is the next event
        } catch (IOException e) { // CharacterCodingException among them
            listener.unreadable(file, e);
            return;
        }
        if (text.equals(last)) {
            return;
        }
        last = text;
        listener.changed(text);
    }

    @Override
    public void close() {
        closed = true;
        try {
            watch.close();
            thread.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            // closing a watch service of the default file system does not fail in practice; nothing to undo
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
