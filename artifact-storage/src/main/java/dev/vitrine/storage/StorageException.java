package dev.vitrine.storage;

/**
 * A storage operation failed for a reason the caller cannot fix by changing its input: the
 * database is unreachable, a disk is full, the schema is newer than this build. The message
 * names the operation ("append version to artifact …"); the cause keeps the driver's exception.
 *
 * <pre>{@code
 * try {
 *     store.appendVersion(id, content);
 * } catch (StorageException e) {
 *     log.error("storage failed", e); // answer 500 or 503, never 4xx
 * }
 * }</pre>
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
