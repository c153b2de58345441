package dev.vitrine.storage;

import java.util.regex.Pattern;

/**
 * What one {@link AuditEvent} says happened. Each kind is a record with the fields that kind
 * has; {@link #type()} is its lowercase wire name, the same in the database and the REST API.
 * Text that came from outside (a viewer's key, a browser's report, a compiler's message) is
 * held to a length limit and to text both databases can store, so one event is never large.
 *
 * <pre>{@code
 * switch (event.detail()) {
 *     case AuditDetail.StorageWrite write -> log.info("{} {} by {}", write.operation(), write.key(), write.viewer());
 *     case AuditDetail.Violation violation -> log.info("blocked {} ({})", violation.blockedUrl(), violation.directive());
 *     default -> log.info(event.detail().type());
 * }
 * }</pre>
 */
public sealed interface AuditDetail {

    /** The wire name of this kind of event, e.g. {@code "storage_write"}. */
    String type();

    /**
     * The artifact was created, with its content as version 1.
     *
     * @param artifactType what kind of document it holds
     * @param sha256       lowercase hex SHA-256 of the content's UTF-8 bytes
     * @param bytes        UTF-8 size of the content
     */
    record Created(ArtifactType artifactType, String sha256, long bytes) implements AuditDetail {
        public static final String TYPE = "created";

        /** @throws IllegalArgumentException if a field is null or malformed */
        public Created {
            requireNonNull(artifactType, "artifactType");
            requireSha256(sha256);
            requireNotNegative(bytes, "bytes");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A new version was added; the event's version is its number.
     *
     * @param sha256 lowercase hex SHA-256 of the content's UTF-8 bytes
     * @param bytes  UTF-8 size of the content
     */
    record VersionAdded(String sha256, long bytes) implements AuditDetail {
        public static final String TYPE = "version";

        /** @throws IllegalArgumentException if a field is null or malformed */
        public VersionAdded {
            requireSha256(sha256);
            requireNotNegative(bytes, "bytes");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Content offered as a new version of the artifact was refused (it did not compile, was not
     * an image, …) and no version was made, so the event has no version. A streamed version that
     * ended early or did not compile is refused the same way, with the stream's code (such as
     * {@code stream_disconnected}); its text is kept apart as a {@link PartialVersion}.
     *
     * @param code    the stable error code the API answered, e.g. {@code compile_error}
     * @param message what was wrong, at most {@value #MAX_MESSAGE} characters
     */
    record Rejected(String code, String message) implements AuditDetail {
        public static final String TYPE = "rejected";
        public static final int MAX_MESSAGE = 1000;
        private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

        /** @throws IllegalArgumentException if the code is not a lowercase code or the message is too long */
        public Rejected {
            if (code == null || !CODE.matcher(code).matches()) {
                throw new IllegalArgumentException("code must match " + CODE + "; was " + UntrustedText.quote(code));
            }
            AuditText.requireStorable(message, "message", MAX_MESSAGE);
        }

        /** A rejection whose message is cut to {@value #MAX_MESSAGE} characters and made storable. */
        public static Rejected truncating(String code, String message) {
            return new Rejected(code, AuditText.fit(message, MAX_MESSAGE));
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A {@code window.storage} write: a {@code set}, or a {@code delete} that removed a key.
     * Values are not recorded, only their size, so the trail never holds a copy of what a
     * viewer stored.
     *
     * @param viewer    the viewer whose frame made the call
     * @param shared    true if the shared scope changed, false if the viewer's personal one
     * @param operation what was done to the key
     * @param key       the key written or deleted
     * @param bytes     for a set, the entry's size now (UTF-8 bytes of key plus value); for a
     *                  delete, the size the deleted entry freed
     */
    record StorageWrite(ViewerId viewer, boolean shared, Operation operation, String key, long bytes)
            implements AuditDetail {
        public static final String TYPE = "storage_write";

        /** What a storage write did; {@link #wireName()} is {@code set} or {@code delete}. */
        public enum Operation {
            SET("set"),
            DELETE("delete");

            private final String wireName;

            Operation(String wireName) {
                this.wireName = wireName;
            }

            public String wireName() {
                return wireName;
            }

            static Operation fromWireName(String wireName) {
                for (Operation operation : values()) {
                    if (operation.wireName.equals(wireName)) {
                        return operation;
                    }
                }
                throw new IllegalArgumentException("operation must be set or delete; was " + UntrustedText.quote(wireName));
            }
        }

        /** @throws IllegalArgumentException if a field is null or out of range */
        public StorageWrite {
            requireNonNull(viewer, "viewer");
            requireNonNull(operation, "operation");
            requireNonNull(key, "key");
            requireNotNegative(bytes, "bytes");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A Content Security Policy violation that a browser reported for one version of the
     * artifact. A report is evidence, not proof: anyone who knows a frame URL can post one (see
     * SECURITY.md). Fields are as the browser sent them, cut to their limits; text a report
     * left out is empty and numbers it left out are 0.
     *
     * @param directive  the effective directive, e.g. {@code connect-src}; never empty
     * @param blockedUrl what was blocked: a URL, or a keyword such as {@code inline} or {@code eval}
     * @param sourceFile the script that caused it, if the browser said
     * @param line       its line number, 0 if unknown
     * @param column     its column number, 0 if unknown
     * @param sample     the first characters of the offending code, if the policy asked for samples
     */
    record Violation(String directive, String blockedUrl, String sourceFile, int line, int column, String sample)
            implements AuditDetail {
        public static final String TYPE = "violation";
        public static final int MAX_DIRECTIVE = 64;
        public static final int MAX_URL = 1024;
        public static final int MAX_SAMPLE = 256;

        /** @throws IllegalArgumentException if a field is null, too long, negative or not storable text */
        public Violation {
            AuditText.requireStorable(directive, "directive", MAX_DIRECTIVE);
            if (directive.isEmpty()) {
                throw new IllegalArgumentException("directive must not be empty");
            }
            AuditText.requireStorable(blockedUrl, "blockedUrl", MAX_URL);
            AuditText.requireStorable(sourceFile, "sourceFile", MAX_URL);
            AuditText.requireStorable(sample, "sample", MAX_SAMPLE);
            requireNotNegative(line, "line");
            requireNotNegative(column, "column");
        }

        /**
         * A violation from untrusted report fields: each text is cut to its limit, U+0000 and lone
         * surrogates become U+FFFD, and negative numbers become 0.
         *
         * @throws IllegalArgumentException if {@code directive} is null or empty
         */
        public static Violation truncating(String directive, String blockedUrl, String sourceFile, long line,
                long column, String sample) {
            return new Violation(AuditText.fit(directive, MAX_DIRECTIVE), AuditText.fit(blockedUrl, MAX_URL),
                    AuditText.fit(sourceFile, MAX_URL), clamp(line), clamp(column), AuditText.fit(sample, MAX_SAMPLE));
        }

        private static int clamp(long number) {
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, number));
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The artifact was deleted; the event's version is the latest it had. Nothing follows it. */
    record Deleted() implements AuditDetail {
        public static final String TYPE = "deleted";

        @Override
        public String type() {
            return TYPE;
        }
    }

    private static void requireNonNull(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }

    private static void requireSha256(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters; was " + UntrustedText.quote(sha256));
        }
    }

    private static void requireNotNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be 0 or more; was " + value);
        }
    }
}
