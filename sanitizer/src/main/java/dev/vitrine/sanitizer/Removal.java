package dev.vitrine.sanitizer;

import java.util.Objects;

/**
 * One thing a sanitizer took out of an artifact, and why.
 *
 * <p>{@code what} is a short description the sanitizer builds itself (a tag name and the
 * attribute that mattered), never the untrusted markup copied out at length, so it is safe to
 * show in a UI or write to a log once escaped for that medium.
 *
 * <pre>{@code
 * var removal = new Removal("<meta http-equiv=\"refresh\">",
 *         "navigates the frame; CSP cannot block a meta refresh");
 * }</pre>
 *
 * @param what   what was removed, at most {@value #MAX_WHAT_LENGTH} characters
 * @param reason why it was removed, in words an artifact author can act on
 */
public record Removal(String what, String reason) {

    /** Upper bound on {@link #what()}, so untrusted input is never echoed at length. */
    public static final int MAX_WHAT_LENGTH = 120;

    public Removal {
        Objects.requireNonNull(what, "Removal.what must not be null");
        Objects.requireNonNull(reason, "Removal.reason must not be null");
        if (what.isBlank()) {
            throw new IllegalArgumentException("Removal.what must not be blank: it names what was removed");
        }
        if (what.length() > MAX_WHAT_LENGTH) {
            throw new IllegalArgumentException("Removal.what is " + what.length() + " characters; at most "
                    + MAX_WHAT_LENGTH + " are allowed so that untrusted markup is never echoed at length");
        }
        if (reason.isBlank()) {
            throw new IllegalArgumentException("Removal.reason must not be blank: every removal says why");
        }
    }
}
