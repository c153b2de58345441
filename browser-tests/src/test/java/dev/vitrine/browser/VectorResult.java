package dev.vitrine.browser;

import dev.vitrine.browser.EscapeVector.Detector;
import dev.vitrine.browser.EscapeVector.Expected;
import java.util.List;

/**
 * What the escape lab saw when it ran one vector.
 *
 * @param marker the vector's {@code {{marker}}} in this run
 * @param artifactId the artifact the lab created, or {@code null} when the API refused the content
 * @param findings what got out, one line per detector that fired; empty when nothing did
 * @param evidence what the lab saw either way, with the lab's secrets replaced by their names
 * @param problem why the vector proved nothing (it never ran), or {@code null}
 * @param screenshot the chat page's screenshot, relative to the report directory, or {@code null}
 */
record VectorResult(EscapeVector vector, Verdict verdict, String marker, String artifactId, List<Finding> findings,
                    Evidence evidence, String problem, String screenshot, long millis) {

    enum Verdict {
        BLOCKED("blocked"),
        LEAKED("leaked"),
        /** Detected, and the catalogue marks it as a browser limit Vitrine cannot close. */
        KNOWN_LIMIT("known browser limit"),
        /** Marked as a browser limit but not detected: the browser may have closed it; update the catalogue. */
        LIMIT_NOT_REPRODUCED("known limit not reproduced"),
        /** The artifact never showed that it ran, so nothing was proved. */
        ERROR("did not run");

        final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** The verdict the gate requires of a vector with this expectation. */
        static Verdict required(Expected expected) {
            return expected == Expected.KNOWN_LIMIT ? KNOWN_LIMIT : BLOCKED;
        }
    }

    record Finding(Detector detector, String detail) {
    }

    /**
     * @param refusal the API's answer when it refused to create the artifact, else {@code null}
     * @param canary hits attributed to the vector (by its marker, or unmarked while it ran)
     * @param console console lines of the page and its frames
     * @param blocked what the frame's runtime reported as blocked by CSP ({@code directive url})
     * @param messages other messages the chat page received
     */
    record Evidence(String refusal, List<String> canary, List<String> console, List<String> blocked, List<String> messages) {
    }

    /** Whether the gate accepts this result. */
    boolean asRequired() {
        return verdict == Verdict.required(vector.expected());
    }
}
