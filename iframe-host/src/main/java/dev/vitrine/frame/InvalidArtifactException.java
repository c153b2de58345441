package dev.vitrine.frame;

import java.util.Optional;

/**
 * Content that cannot be served as its declared type, with a stable code
 * ({@code invalid_svg}, {@code unsupported_type}, and for React components
 * {@code compile_error}, {@code unknown_import}, {@code missing_default_export},
 * {@code compile_timeout}) and a message safe to show the client. Errors that point at a
 * place in the source also carry its {@link #position()}; the message names it too.
 */
public final class InvalidArtifactException extends IllegalArgumentException {
    private final String code;
    private final SourcePosition position;

    InvalidArtifactException(String code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    InvalidArtifactException(String code, String message, SourcePosition position, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.position = position;
    }

    public String code() {
        return code;
    }

    /** Where in the artifact's source the problem is, when it is at one place. */
    public Optional<SourcePosition> position() {
        return Optional.ofNullable(position);
    }
}
