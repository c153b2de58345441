package dev.vitrine.frame;

/**
 * Content that cannot be served as its declared type, with a stable code
 * ({@code invalid_svg}, {@code unsupported_type}) and a message safe to show the client.
 */
public final class InvalidArtifactException extends IllegalArgumentException {
    private final String code;

    InvalidArtifactException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
