package dev.vitrine.storage;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Text that was on its way to becoming an artifact's next version and did not get there: a
 * stream whose client disconnected, went idle, sent invalid input or ended with content that
 * does not compile. It is kept for inspection, apart from the versions, so it is never an
 * artifact's latest version, never served in a frame, and never takes a version number.
 *
 * <pre>{@code
 * PartialVersion partial = storage.partials().add(id, textSoFar,
 *         AuditDetail.Rejected.truncating("stream_disconnected", "the client disconnected after 1204 bytes"));
 * partial.afterVersion(); // the latest complete version, untouched
 * }</pre>
 *
 * @param artifactId   the artifact it was meant for
 * @param number       1 for the artifact's first partial, then one more for each; its own series,
 *                     unrelated to version numbers
 * @param afterVersion the artifact's latest complete version when the partial was recorded
 * @param content      the text received, exactly as far as it got
 * @param sha256       lowercase hex SHA-256 of the UTF-8 bytes of {@code content}
 * @param code         why it is not a version, a stable code such as {@code stream_disconnected}
 *                     or {@code compile_error}
 * @param message      the reason in words, safe to show
 * @param createdAt    when it was recorded, to the millisecond
 */
public record PartialVersion(
        ArtifactId artifactId,
        int number,
        int afterVersion,
        String content,
        String sha256,
        String code,
        String message,
        Instant createdAt) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** @throws IllegalArgumentException if a field is null or out of range */
    public PartialVersion {
        if (artifactId == null || content == null || code == null || message == null || createdAt == null) {
            throw new IllegalArgumentException("artifactId, content, code, message and createdAt must not be null");
        }
        if (number < 1 || afterVersion < 1) {
            throw new IllegalArgumentException("number and afterVersion must be 1 or more; were " + number
                    + " and " + afterVersion + " for artifact " + artifactId);
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters; was " + UntrustedText.quote(sha256));
        }
    }
}
