package dev.vitrine.sanitizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.DocumentType;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.nodes.Node;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

import dev.vitrine.sanitizer.DocumentRules.RemoveAttribute;
import dev.vitrine.sanitizer.DocumentRules.RemoveElement;
import dev.vitrine.sanitizer.DocumentRules.RemoveHttpEquiv;
import dev.vitrine.sanitizer.DocumentRules.RemoveLinkRelation;
import dev.vitrine.sanitizer.DocumentRules.RemoveMetaName;
import dev.vitrine.sanitizer.DocumentRules.RemoveScriptType;
import dev.vitrine.sanitizer.DocumentRules.Rule;

/**
 * Turns model-written HTML (a fragment, plain text or a full page) into one complete UTF-8
 * HTML5 document for the sandbox origin, with the Vitrine runtime scripts first in
 * {@code <head>} and the markup CSP cannot govern removed.
 *
 * <p>This is normalisation, not XSS filtering: the artifact is allowed to run script, so inline
 * {@code <script>}, {@code onclick="..."}, {@code <style>}, forms and iframes are kept, and
 * script text comes out byte for byte as it went in. What is removed, each with a
 * {@link Removal}: every {@code <meta http-equiv>} (refresh, set-cookie, a CSP in markup, ...),
 * {@code <meta name=referrer>}, {@code <base>}, {@code <link>} resource hints
 * (preconnect, dns-prefetch, prefetch, prerender, next), speculation rules, {@code ping} on
 * links, {@code <portal>} and {@code <fencedframe>}; also inside {@code <noscript>},
 * {@code <template>} and up to two levels of {@code <iframe srcdoc>}.
 *
 * <p>The rules are checked against the markup a browser will actually parse: a
 * {@code <noscript>} whose content would end it early in a script-running browser is removed
 * whole, and the serialised output is parsed again and re-checked until a pass removes nothing,
 * so parser "mutations" cannot bring removed markup back. Every document is therefore parsed at
 * least twice.
 *
 * <p>The output always has {@code <!doctype html>}, the artifact's {@code <html>} attributes
 * (such as {@code lang}), {@code <meta charset="utf-8">} as the first child of {@code <head>},
 * then the injected scripts, then a viewport meta if the artifact has none, then the artifact's
 * own head content ({@code <title>} included).
 *
 * <pre>{@code
 * HtmlNormalizer normalizer = HtmlNormalizer.standard();   // immutable, thread-safe, share it
 * NormalizedDocument doc = normalizer.normalize(
 *         "<h1 onclick=\"go()\">Hi</h1>", HeadInjection.scripts("/_vitrine/frame.js"));
 * // doc.html(): <!doctype html><html><head><meta charset="utf-8">
 * //             <script src="/_vitrine/frame.js" crossorigin="anonymous"></script><meta name="viewport" ...></head>
 * //             <body><h1 onclick="go()">Hi</h1></body></html>   (one line, shown wrapped)
 * }</pre>
 *
 * <p>It never throws for any input string, however malformed; callers should bound the input
 * size themselves, since the whole document is held in memory.
 */
public final class HtmlNormalizer {

    private static final HtmlNormalizer STANDARD = new HtmlNormalizer(DocumentRules.standard());

    /** Re-parses of the output before giving up on a document whose meaning keeps changing. */
    private static final int MAX_REPARSE_PASSES = 4;

    private static final Pattern ASCII_WHITESPACE = Pattern.compile("[\\t\\n\\f\\r ]+");

    private final DocumentRules rules;

    HtmlNormalizer(DocumentRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** The normaliser every artifact document goes through. */
    public static HtmlNormalizer standard() {
        return STANDARD;
    }

    /**
     * Normalises {@code html} into a complete document and injects the given scripts.
     *
     * @param html      the artifact as the model wrote it; any string, {@code ""} included
     * @param injection scripts to run before the artifact's own; {@link HeadInjection#none()} for none
     * @throws NullPointerException if an argument is null
     */
    public NormalizedDocument normalize(String html, HeadInjection injection) {
        Objects.requireNonNull(html, "html must not be null; pass \"\" for an empty artifact");
        Objects.requireNonNull(injection, "injection must not be null; pass HeadInjection.none() for no scripts");
        List<Removal> removals = new ArrayList<>();
        Document doc = clean(html, 0, removals);
        List<Node> scripts = new ArrayList<>();
        for (String src : injection.scriptSources()) {
            // A CORS fetch: without it the script counts as cross-origin to the frame's opaque
            // origin, and Chromium mutes its errors, so a rejection window.storage hands the
            // artifact would never reach unhandledrejection.
            scripts.add(doc.createElement("script").attr("src", src).attr("crossorigin", "anonymous"));
        }
        // Index 1: right after the charset meta, before everything the artifact wrote.
        doc.head().insertChildren(1, scripts);
        return new NormalizedDocument(doc.outerHtml(), removals);
    }

    /**
     * Parses, applies the rules and gives the document its canonical shape, without injection.
     *
     * <p>The browser parses the <em>serialised</em> document, not the tree jsoup built from the
     * input, and the two can differ: markup such as {@code <math><mtext><table><mglyph><style>}
     * serialises into text that parses into another tree ("mutation"), where a {@code <meta>}
     * that was inert text becomes an element. So the output is parsed again and checked with the
     * same rules until a pass removes nothing and the re-parsed tree serialises to the same text,
     * which makes the returned serialisation the one the rules were checked against, and
     * normalising it again a no-op. Removing nothing is not enough on its own: the re-parsed tree
     * can serialise into text that mutates once more (found by {@code HtmlNormalizerFuzzTest}).
     */
    private Document clean(String html, int srcdocDepth, List<Removal> removals) {
        Document doc = parse(html);
        applyRules(doc, srcdocDepth, removals);
        for (int pass = 1; pass <= MAX_REPARSE_PASSES; pass++) {
            String serialised = doc.outerHtml();
            Document reparsed = parse(serialised);
            List<Removal> more = new ArrayList<>();
            applyRules(reparsed, srcdocDepth, more);
            if (more.isEmpty() && reparsed.outerHtml().equals(serialised)) {
                return doc;
            }
            removals.addAll(more);
            doc = reparsed;
        }
        // Still mutating: no known input does this, and guessing which part is safe is not worth it.
        removals.add(new Removal("the whole document", "its markup kept changing meaning each time it was parsed"
                + " (" + MAX_REPARSE_PASSES + " passes), so none of it is kept"));
        Document empty = parse("");
        applyRules(empty, srcdocDepth, new ArrayList<>());
        return empty;
    }

    private static Document parse(String html) {
        // A Parser keeps state while it runs; a fresh one per call keeps this class thread-safe.
        Document doc = Parser.htmlParser().parseInput(html, "");
        doc.outputSettings()
                .prettyPrint(false) // whitespace inside <pre>, inline scripts and text stays as written
                .syntax(Document.OutputSettings.Syntax.html)
                .escapeMode(Entities.EscapeMode.base)
                .charset(StandardCharsets.UTF_8);
        return doc;
    }

    /** The rules, then the canonical shape; the shape is part of what a re-parse must agree with. */
    private void applyRules(Document doc, int srcdocDepth, List<Removal> removals) {
        NodeTraversor.filter(new RuleFilter(srcdocDepth, removals), doc);
        removeNoscriptThatWouldEndEarly(doc, removals);
        giveCanonicalShape(doc);
    }

    /** One pass over every node, applying the rules; removed elements are not descended into. */
    private final class RuleFilter implements NodeFilter {

        private final int srcdocDepth;
        private final List<Removal> removals;

        RuleFilter(int srcdocDepth, List<Removal> removals) {
            this.srcdocDepth = srcdocDepth;
            this.removals = removals;
        }

        @Override
        public FilterResult head(Node node, int depth) {
            if (!(node instanceof Element element)) {
                return FilterResult.CONTINUE;
            }
            Removal removal = elementRemoval(element);
            if (removal != null) {
                removals.add(removal);
                return FilterResult.REMOVE;
            }
            if (isCharsetMeta(element)) {
                // The canonical one is added afterwards; a different encoding is worth reporting.
                String charset = element.attr("charset").strip();
                if (!charset.equalsIgnoreCase("utf-8")) {
                    removals.add(new Removal(MarkupDescription.of(element, "charset"),
                            "declares another encoding; the document is always served as UTF-8"));
                }
                return FilterResult.REMOVE;
            }
            removeAttributes(element);
            if (element.normalName().equals("iframe") && element.hasAttr("srcdoc")) {
                cleanSrcdoc(element);
            }
            return FilterResult.CONTINUE;
        }

        private Removal elementRemoval(Element element) {
            for (Rule rule : rules.rules()) {
                Removal removal = match(rule, element);
                if (removal != null) {
                    return removal;
                }
            }
            return null;
        }

        private void removeAttributes(Element element) {
            for (Rule rule : rules.rules()) {
                if (rule instanceof RemoveAttribute r
                        && r.tags().contains(element.normalName())
                        && element.hasAttr(r.attribute())) {
                    removals.add(new Removal(MarkupDescription.of(element, r.attribute()), r.reason()));
                    element.removeAttr(r.attribute());
                }
            }
        }

        /**
         * A srcdoc document inherits this frame's policy and sandbox, so it is as capable as the
         * artifact itself: it gets the same rules. Its value is only rewritten when something was
         * removed, so a clean srcdoc stays exactly as written.
         */
        private void cleanSrcdoc(Element iframe) {
            if (srcdocDepth >= rules.maxSrcdocDepth()) {
                removals.add(new Removal(MarkupDescription.fit("<iframe srcdoc> nested " + (srcdocDepth + 1)
                        + " levels deep"), "srcdoc documents are inspected " + rules.maxSrcdocDepth()
                        + " levels deep; a deeper one cannot be checked"));
                iframe.removeAttr("srcdoc");
                return;
            }
            List<Removal> inner = new ArrayList<>();
            Document nested = clean(iframe.attr("srcdoc"), srcdocDepth + 1, inner);
            if (!inner.isEmpty()) {
                iframe.attr("srcdoc", nested.outerHtml());
                for (Removal removal : inner) {
                    removals.add(new Removal(MarkupDescription.fit("<iframe srcdoc> " + removal.what()),
                            removal.reason()));
                }
            }
        }
    }

    private static Removal match(Rule rule, Element element) {
        String tag = element.normalName();
        return switch (rule) {
            case RemoveElement r when tag.equals(r.tag()) ->
                    new Removal(MarkupDescription.of(element), r.reason());
            case RemoveHttpEquiv r when tag.equals("meta") && element.hasAttr("http-equiv") ->
                    new Removal(MarkupDescription.of(element, "http-equiv"),
                            r.reasonByPragma().getOrDefault(keyword(element.attr("http-equiv")), r.otherReason()));
            case RemoveMetaName r when tag.equals("meta") && keyword(element.attr("name")).equals(r.name()) ->
                    new Removal(MarkupDescription.of(element, "name"), r.reason());
            case RemoveLinkRelation r when tag.equals("link") && relations(element).contains(r.relation()) ->
                    new Removal(MarkupDescription.of(element, "rel"), r.reason());
            case RemoveScriptType r when tag.equals("script") && keyword(element.attr("type")).equals(r.type()) ->
                    new Removal(MarkupDescription.of(element, "type"), r.reason());
            default -> null;
        };
    }

    private static boolean isCharsetMeta(Element element) {
        return element.normalName().equals("meta") && element.hasAttr("charset");
    }

    // HTML compares these keywords ASCII case-insensitively, after trimming.
    private static String keyword(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }

    private static List<String> relations(Element link) {
        return Arrays.asList(ASCII_WHITESPACE.split(keyword(link.attr("rel"))));
    }

    /**
     * jsoup parses as a browser with scripting disabled, so it sees elements inside
     * {@code <noscript>}; the sandboxed frame runs script, so its parser reads the same bytes as
     * raw text up to the first {@code </noscript}. Content that serialises with such a sequence
     * (for example inside a {@code <style>} in the noscript) would end the element early there and
     * be parsed as new markup this class never saw. A frame that runs script never renders
     * {@code <noscript>} anyway, so such an element is removed whole.
     */
    private static void removeNoscriptThatWouldEndEarly(Document doc, List<Removal> removals) {
        for (Element noscript : doc.getElementsByTag("noscript")) {
            if (noscript.ownerDocument() != null
                    && noscript.html().toLowerCase(Locale.ROOT).contains("</noscript")) {
                removals.add(new Removal(MarkupDescription.of(noscript), "its content would end the noscript"
                        + " early in a browser that runs script and be parsed as other markup"));
                noscript.remove();
            }
        }
    }

    private void giveCanonicalShape(Document doc) {
        for (Node child : List.copyOf(doc.childNodes())) {
            if (child instanceof DocumentType) {
                child.remove();
            }
        }
        doc.prependChild(new DocumentType("html", "", ""));
        Element charset = doc.createElement("meta").attr("charset", "utf-8");
        doc.head().prependChild(charset);
        if (doc.selectFirst("meta[name=viewport]") == null) {
            charset.after(doc.createElement("meta")
                    .attr("name", "viewport")
                    .attr("content", rules.viewport()));
        }
    }
}
