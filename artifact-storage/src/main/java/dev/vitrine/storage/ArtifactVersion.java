package dev.vitrine.storage;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One immutable version of an artifact's content. Versions are numbered 1, 2, 3… with no gaps;
 * a new edit is always a new version, never a change to an old one, so a frame URL naming a
 * version always shows the same document.
 *
 * <pre>{@code
 * ArtifactVersion v2 = store.appendVersion(id, "<h1>Hello again</h1>");
 * String etag = '"' + v2.sha256() + '"';
 * }</pre>
 *
 * @param artifactId the artifact this version belongs to
 * @param number     1 for the first version, then one more for each append
 * @param content    the document source, exactly as the model produced it
 * @param sha256     lowercase hex SHA-256 of the UTF-8 bytes of {@code content}
 * @param createdAt  when this version was stored, to the millisecond
 */
public record ArtifactVersion(
        ArtifactId artifactId,
        int number,
        String content,
        String sha256,
        Instant createdAt) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** @throws IllegalArgumentException if a field is null or malformed */
    public ArtifactVersion {
        if (artifactId == null) {
            throw new IllegalArgumentException("artifactId must not be null");
        }
        if (number < 1) {
            throw new IllegalArgumentException(
                    "number must be 1 or more; was " + number + " for artifact " + artifactId);
        }
        if (content == null) {
            throw new IllegalArgumentException("content must not be null");
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters; was "
                    + UntrustedText.quote(sha256));
        }
        if (createdAt == null) {
            throw new IllegalArgumentException("createdAt must not be null");
        }
    }

    /**
     * Creates a version whose {@link #sha256()} is computed from {@code content}, so the hash
     * can never disagree with the content it describes.
     */
    public static ArtifactVersion of(ArtifactId artifactId, int number, String content, Instant createdAt) {
        if (content == null) {
            throw new IllegalArgumentException("content must not be null");
        }
        return new ArtifactVersion(artifactId, number, content, Sha256.hex(content), createdAt);
    }
}
