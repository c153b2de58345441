package dev.vitrine.storage;

/**
 * Who makes a {@link KeyValueStore} write, for the audit trail: the viewer, and the version of
 * the artifact whose code ran in their frame. The version tells which generated code wrote a
 * value when a later version of the artifact finds data it does not expect.
 *
 * <pre>{@code
 * Writer writer = new Writer(new ViewerId("alice"), 3);
 * values.set(StorageScope.shared(artifactId), "score", "42", writer);
 * }</pre>
 *
 * @param viewer          the viewer whose frame made the call
 * @param artifactVersion the artifact version shown in that frame, 1 or more
 */
public record Writer(ViewerId viewer, int artifactVersion) {

    /** @throws IllegalArgumentException if {@code viewer} is null or the version is below 1 */
    public Writer {
        if (viewer == null) {
            throw new IllegalArgumentException("viewer must not be null");
        }
        if (artifactVersion < 1) {
            throw new IllegalArgumentException("artifactVersion must be 1 or more; was " + artifactVersion);
        }
    }
}
