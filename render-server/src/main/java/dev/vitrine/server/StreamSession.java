package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.frame.InvalidArtifactException;
import dev.vitrine.frame.SourcePosition;
import dev.vitrine.sanitizer.Removal;
import dev.vitrine.storage.Artifact;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactVersion;
import dev.vitrine.storage.AuditDetail;
import dev.vitrine.storage.NoSuchArtifactException;
import dev.vitrine.storage.VersionConflictException;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

/**
 * One stream being read: each network read of the body becomes a {@code chunk} event at once,
 * the text is checked as it grows ({@link LiveCheck}), and at the end it is checked like
 * {@code POST /versions} content and stored as the artifact's next version.
 *
 * <p>A stream that ends any other way (the client disconnects or goes idle, the body is too
 * large or invalid, the final text does not compile) never touches the artifact's versions:
 * its text so far is kept as a partial version ({@code PartialVersionStore}), with a
 * {@code rejected} audit event, and subscribers get a final {@code error} naming it. The
 * artifact's latest version stays what it was, so a broken stream cannot leave a corrupt one.
 *
 * <p>Threads: reads, and every way reading stops, run on the connection's I/O thread, which
 * makes the end of reading happen exactly once; the final check and database writes run on an
 * Undertow worker; live checks on the shared check executor. The text is guarded by this
 * object's monitor.
 */
final class StreamSession {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);

    private enum State { READING, FINISHING, ENDED }

    /** The answer to a stream that became a version: the same shape as {@code POST /versions} gives. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StoredVersion(String artifactId, int number, String sha256, String createdAt, String frameUrl,
                         int length, String content, List<ArtifactApi.RemovalView> removed) {
    }

    private final StreamIngestHandler.Services services;
    private final HttpServerExchange exchange;
    private final Artifact artifact;
    private final ArtifactId id;
    /** The number this version will get unless another version is added first. */
    private final int version;
    /** The version the stream must be stored on top of, if the client named one. */
    private final OptionalInt baseVersion;
    private final StreamBody body;
    private final StreamSlots.Slot slot;
    private final LiveCheck live;
    private final long limit;
    private final long idleTimeoutMillis;
    private final StringBuilder text = new StringBuilder();

    private volatile State state = State.READING;
    private volatile long lastActivity;
    private long received;
    private StreamSourceChannel channel;
    private ScheduledFuture<?> idleCheck;

    StreamSession(StreamIngestHandler.Services services, HttpServerExchange exchange, Artifact artifact,
                  OptionalInt baseVersion, StreamBody body, StreamSlots.Slot slot) {
        this.services = services;
        this.exchange = exchange;
        this.artifact = artifact;
        this.id = artifact.id();
        this.version = artifact.latestVersion() + 1;
        this.baseVersion = baseVersion;
        this.body = body;
        this.slot = slot;
        this.limit = services.maxBodySize().bytes();
        this.idleTimeoutMillis = services.settings().idleTimeout().toMillis();
        this.live = new LiveCheck(artifact.type(), services.renderer(), services.timers(), services.checks(), services.clock(),
                services.settings().checkInterval(), this::text, this::checked);
    }

    /** Starts reading; called in the handler's call, so reads begin when it returns. */
    void start() {
        lastActivity = services.clock().millis();
        services.events().start(id, version, artifact.type(), body.format());
        services.drafts().open(id, new StreamDrafts.Draft(artifact.type(), version, this::text));
        channel = exchange.getRequestChannel();
        channel.getReadSetter().set(ignored -> read());
        channel.resumeReads();
        scheduleIdleCheck(idleTimeoutMillis);
    }

    private synchronized String text() {
        return text.toString();
    }

    /** I/O thread: reads what has arrived, until nothing is left for now or the body ends. */
    private void read() {
        if (state != State.READING) {
            channel.suspendReads();
            return;
        }
        try (PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate()) {
            ByteBuffer buffer = pooled.getBuffer();
            while (true) {
                buffer.clear();
                int count = channel.read(buffer);
                if (count == 0) {
                    return;
                }
                if (count < 0) {
                    endOfBody();
                    return;
                }
                lastActivity = services.clock().millis();
                received += count;
                if (received > limit) {
                    fail(ApiException.payloadTooLarge(services.maxBodySize()));
                    return;
                }
                buffer.flip();
                body.accept(buffer, this::append);
            }
        } catch (ApiException e) {
            fail(e);
        } catch (IOException e) {
            if (body.done()) {
                endOfBody(); // the client said it was done, then went away before the end of the body
            } else {
                abandon();
            }
        }
    }

    /** I/O thread: adds decoded text and publishes it as a chunk. */
    private void append(String more) {
        if (more.isEmpty()) {
            return;
        }
        int nul = more.indexOf('\u0000');
        String accepted = nul < 0 ? more : more.substring(0, nul);
        int offset;
        synchronized (this) {
            offset = text.length();
            text.append(accepted);
        }
        if (!accepted.isEmpty()) {
            services.events().chunk(id, version, offset, accepted);
            live.textChanged();
        }
        if (nul >= 0) {
            throw ApiException.badRequest("invalid_text", "the stream holds U+0000 (NUL) at character " + (offset + nul)
                    + ", which cannot be stored; the text before it was kept as a partial version");
        }
    }

    /** Check executor: the text so far was checked; tells subscribers while the stream still runs. */
    private void checked(int length, InvalidArtifactException error) {
        synchronized (this) {
            if (state != State.READING) {
                return;
            }
            if (error == null) {
                services.events().compiled(id, version, length);
            } else {
                services.events().compileError(id, version, length, error);
            }
        }
    }

    /** I/O thread: the body ended normally; the rest happens on a worker. */
    private void endOfBody() {
        try {
            body.finish(this::append);
        } catch (ApiException e) {
            fail(e);
            return;
        }
        stopReading(State.FINISHING);
        worker(this::complete);
    }

    /** I/O thread: the body is invalid, too large or idle; answer with the error, keep the text as partial. */
    private void fail(ApiException error) {
        if (state == State.ENDED) {
            return;
        }
        stopReading(State.ENDED);
        worker(() -> {
            Integer partial = keepPartial(error.code(), error.getMessage());
            services.events().failed(id, version, error.code(), error.getMessage(), null, partial);
            slot.close();
            // The rest of the body is not read: the connection closes after this answer.
            exchange.setPersistent(false);
            sendError(error.status(), error.code(), error.getMessage(), partial);
        });
    }

    /** I/O thread: the client went away mid-stream; nobody to answer, keep the text as partial. */
    private void abandon() {
        stopReading(State.ENDED);
        worker(() -> {
            String message = "the client disconnected after " + received + " bytes, before the end of the stream";
            Integer partial = keepPartial("stream_disconnected", message);
            services.events().failed(id, version, "stream_disconnected", message, null, partial);
            slot.close();
            IoUtils.safeClose(exchange.getConnection());
        });
    }

    private void stopReading(State next) {
        synchronized (this) {
            state = next;
        }
        live.stop();
        services.drafts().close(id, version);
        channel.suspendReads();
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
    }

    /** Worker: the body is complete; check it and store it as the next version. */
    private void complete() {
        String content = text();
        try {
            if (content.isBlank()) {
                String message = "the stream carried no text; an artifact version needs content";
                services.events().failed(id, version, "empty_stream", message, null, null);
                slot.close();
                sendError(400, "empty_stream", message, null);
                return;
            }
            List<Removal> removals;
            try {
                removals = services.renderer().check(artifact.type(), content);
            } catch (InvalidArtifactException e) {
                Integer partial = keepPartial(e.code(), e.getMessage());
                SourcePosition at = e.position().orElse(null);
                services.events().failed(id, version, e.code(), e.getMessage(), at, partial);
                slot.close();
                sendError(400, e.code(), e.getMessage(), partial);
                return;
            }
            ArtifactVersion stored;
            try {
                stored = baseVersion.isPresent()
                        ? services.store().appendVersion(id, content, baseVersion.getAsInt())
                        : services.store().appendVersion(id, content);
            } catch (NoSuchArtifactException e) {
                String message = "the artifact was deleted during the stream";
                services.events().failed(id, version, "not_found", message, null, null);
                slot.close();
                sendError(404, "not_found", message, null);
                return;
            } catch (VersionConflictException e) {
                ApiException conflict = ArtifactApi.versionConflict(e.expected(), e.actual());
                Integer partial = keepPartial(conflict.code(), conflict.getMessage());
                services.events().failed(id, version, conflict.code(), conflict.getMessage(), null, partial);
                slot.close();
                sendError(409, conflict.code(), conflict.getMessage(), partial);
                return;
            }
            String frameUrl = FramePaths.frameUrl(services.sandboxOrigin(), id, stored.number()).toString();
            services.events().version(id, stored.number(), stored.sha256(), content.length(), frameUrl, true);
            // Released before answering, so a client that starts its next stream on the answer finds the slot free.
            slot.close();
            exchange.getResponseHeaders().put(Headers.LOCATION, "/v1/artifacts/" + id + "/versions/" + stored.number());
            services.json().send(exchange, 201, new StoredVersion(id.value(), stored.number(), stored.sha256(),
                    stored.createdAt().toString(), frameUrl, content.length(), content, ArtifactApi.RemovalView.of(removals)));
        } catch (RuntimeException e) {
            LOG.error("a stream to artifact {} failed at its end", id, e);
            String message = "the server failed to store the stream";
            Integer partial = keepPartial("internal_error", message);
            services.events().failed(id, version, "internal_error", message, null, partial);
            slot.close();
            sendError(500, "internal_error", message, partial);
        } finally {
            state = State.ENDED;
        }
    }

    /** Keeps the text so far as a partial version with a {@code rejected} audit event; its number, or null if none was kept. */
    private Integer keepPartial(String code, String message) {
        String content = text();
        if (content.isEmpty()) {
            return null;
        }
        try {
            return services.partials().add(id, content, AuditDetail.Rejected.truncating(code, message)).number();
        } catch (NoSuchArtifactException e) {
            return null;
        } catch (RuntimeException e) {
            LOG.warn("could not keep the partial text of a stream to artifact {}", id, e);
            return null;
        }
    }

    private void sendError(int status, String code, String message, Integer partial) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", partial == null ? message
                : message + "; the text received is kept as partial " + partial + " (GET /v1/artifacts/" + id + "/partials/" + partial + ")");
        if (partial != null) {
            error.put("partial", partial);
        }
        services.json().send(exchange, status, Map.of("error", error));
    }

    private void worker(Runnable task) {
        exchange.getConnection().getWorker().execute(task);
    }

    /** The idle timeout counts from the last bytes received; checked on a timer, acted on on the I/O thread. */
    private void scheduleIdleCheck(long delayMillis) {
        idleCheck = services.timers().schedule(() -> {
            if (state != State.READING) {
                return;
            }
            long idle = services.clock().millis() - lastActivity;
            if (idle < idleTimeoutMillis) {
                scheduleIdleCheck(idleTimeoutMillis - idle);
                return;
            }
            exchange.getIoThread().execute(() -> {
                if (state == State.READING) {
                    fail(new ApiException(408, "stream_idle_timeout", "the stream sent nothing for "
                            + services.settings().idleTimeout().toSeconds() + " seconds (stream-idle-timeout)"));
                }
            });
        }, delayMillis, TimeUnit.MILLISECONDS);
    }
}
