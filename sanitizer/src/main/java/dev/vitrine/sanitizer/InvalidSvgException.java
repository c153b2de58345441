package dev.vitrine.sanitizer;

/**
 * Thrown by {@link SvgSanitizer#clean} when the input is not an SVG document at all, that is,
 * when it has no {@code <svg>} root element. The message never repeats the input at length.
 *
 * <pre>{@code
 * try {
 *     return SvgSanitizer.standard().clean(content).svg();
 * } catch (InvalidSvgException e) {
 *     throw new BadRequest("invalid_svg", e.getMessage());
 * }
 * }</pre>
 */
public final class InvalidSvgException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidSvgException(String message) {
        super(message);
    }
}
