package dev.vitrine.server;

/**
 * An error a client caused, with an HTTP status, a stable machine-readable code and a
 * message that is safe to show (it never echoes request content). Rendered as
 * {@code {"error":{"code":…,"message":…}}} by {@link ErrorHandler}.
 */
class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /** The request is well-formed but does not fit what is stored now (a stale version, an edit that does not apply). */
    static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    static ApiException unauthorized() {
        return new ApiException(401, "unauthorized",
                "missing or wrong API key; send it as 'Authorization: Bearer <key>'");
    }

    static ApiException payloadTooLarge(DataSize limit) {
        return new ApiException(413, "body_too_large", "request body is larger than the " + limit + " limit");
    }

    static ApiException unsupportedMediaType(String expected) {
        return new ApiException(415, "unsupported_media_type", "send the body as " + expected);
    }

    static ApiException methodNotAllowed() {
        return new ApiException(405, "method_not_allowed", "this path does not take that method");
    }
}
