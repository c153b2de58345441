package dev.vitrine.sanitizer;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link HtmlNormalizer} removes from an artifact document, as an immutable value.
 *
 * <p>The list is short on purpose. Everything an artifact <em>fetches</em> is already governed
 * by the sandbox origin's CSP header, so these rules only cover markup that acts outside it:
 * markup that navigates the frame, opens connections CSP does not govern, or states a second
 * policy next to the header. Inline scripts, event handlers, styles, forms and iframes stay:
 * model-written pages depend on them, and CSP or the iframe sandbox already limits them.
 *
 * @param rules             element and attribute rules; the first element rule that matches wins
 * @param viewport          content of the viewport meta added when the artifact has none
 * @param maxSrcdocDepth    how many levels of {@code <iframe srcdoc>} documents are normalised
 *                          with the same rules; a {@code srcdoc} nested deeper is removed
 */
record DocumentRules(List<Rule> rules, String viewport, int maxSrcdocDepth) {

    /** One thing to look for. The engine, not the rule, knows how to apply it. */
    sealed interface Rule permits RemoveElement, RemoveHttpEquiv, RemoveMetaName, RemoveLinkRelation,
            RemoveScriptType, RemoveAttribute {
    }

    /** Every element with this tag name, with its content. */
    record RemoveElement(String tag, String reason) implements Rule {
    }

    /**
     * Every {@code <meta http-equiv>}, whatever the pragma: each one restates or overrides what
     * the server's headers define. The reason names the pragma when it is a known one.
     */
    record RemoveHttpEquiv(Map<String, String> reasonByPragma, String otherReason) implements Rule {
        RemoveHttpEquiv {
            reasonByPragma = Map.copyOf(reasonByPragma);
            Objects.requireNonNull(otherReason, "otherReason");
        }
    }

    /** Every {@code <meta name=...>} with this name (ASCII case-insensitive). */
    record RemoveMetaName(String name, String reason) implements Rule {
    }

    /** Every {@code <link>} whose {@code rel} token list contains this relation. */
    record RemoveLinkRelation(String relation, String reason) implements Rule {
    }

    /** Every {@code <script>} whose {@code type} is this (ASCII case-insensitive). */
    record RemoveScriptType(String type, String reason) implements Rule {
    }

    /** This attribute, wherever it appears on one of these elements; the element stays. */
    record RemoveAttribute(Set<String> tags, String attribute, String reason) implements Rule {
        RemoveAttribute {
            tags = Set.copyOf(tags);
        }
    }

    DocumentRules {
        rules = List.copyOf(rules);
        Objects.requireNonNull(viewport, "viewport");
        if (maxSrcdocDepth < 0) {
            throw new IllegalArgumentException("maxSrcdocDepth is " + maxSrcdocDepth + "; it must be 0 or more");
        }
    }

    /** The rules every artifact document gets. */
    static DocumentRules standard() {
        return STANDARD;
    }

    private static final DocumentRules STANDARD = new DocumentRules(List.of(
            new RemoveHttpEquiv(Map.of(
                    "refresh", "navigates the frame; CSP cannot block a meta refresh",
                    "set-cookie", "tries to set a cookie; artifacts keep no cookies",
                    "content-security-policy", "a policy in markup; the response header is the single source of"
                            + " policy, so a second one would only make violations harder to explain",
                    "content-security-policy-report-only", "a report-only policy in markup; the response header"
                            + " is the single source of policy and of its reporting",
                    "content-type", "declares an encoding; the document is always served and rewritten as UTF-8",
                    "origin-trial", "enables experimental browser features the sandbox was not measured against"),
                    "a pragma directive changes document behaviour that the server's headers define"),
            new RemoveMetaName("referrer", "can loosen the Referrer-Policy header and leak the frame URL"),
            new RemoveElement("base", "base-uri 'none' ignores its href but not its target; relative URLs must"
                    + " resolve against the frame's own URL"),
            new RemoveLinkRelation("preconnect", "opens a DNS lookup and TCP connection to any host; CSP does"
                    + " not govern preconnect"),
            new RemoveLinkRelation("dns-prefetch", "resolves any host name through DNS; CSP does not govern"
                    + " DNS prefetch"),
            new RemoveLinkRelation("prefetch", "speculative fetch that browsers check against CSP"
                    + " inconsistently (prefetch-src was dropped)"),
            new RemoveLinkRelation("prerender", "starts a speculative navigation to any URL, outside CSP"),
            new RemoveLinkRelation("next", "some browsers prefetch the next page of a rel=next link, outside CSP"),
            new RemoveScriptType("speculationrules", "asks the browser to prefetch or prerender arbitrary URLs,"
                    + " which CSP governs incompletely"),
            new RemoveAttribute(Set.of("a", "area"), "ping", "sends a POST to any URL when the link is"
                    + " followed; not left to every browser applying connect-src to link auditing"),
            new RemoveElement("portal", "a portal prerenders another page and can"
                    + " replace the frame with it; no artifact needs one"),
            new RemoveElement("fencedframe", "a fenced frame is a separate browsing context"
                    + " governed by fenced-frame-src fallbacks; no artifact needs one")),
            "width=device-width, initial-scale=1",
            2);
}
