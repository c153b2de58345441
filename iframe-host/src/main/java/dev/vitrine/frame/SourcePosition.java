package dev.vitrine.frame;

/**
 * A place in an artifact's source, as an editor shows it: both numbers start at 1.
 *
 * <pre>{@code
 * catch (InvalidArtifactException e) {
 *     e.position().ifPresent(p -> highlight(p.line(), p.column()));
 * }
 * }</pre>
 */
public record SourcePosition(int line, int column) {
    public SourcePosition {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column start at 1, got line " + line + ", column " + column);
        }
    }

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}
