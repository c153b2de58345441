package dev.vitrine.sanitizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.CDataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.ProcessingInstruction;
import org.jsoup.nodes.TextNode;
import org.jsoup.nodes.XmlDeclaration;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Reduces an SVG document to static drawing markup that can be inlined into an HTML5 page.
 *
 * <p>Unlike an HTML artifact, an SVG is not given a sandboxed frame of its own: it is inlined
 * into a page, so here the job <em>is</em> removing script. Everything not on an allow-list of
 * static SVG ({@code SvgRules}) goes: {@code <script>}, {@code <foreignObject>}, {@code <set>},
 * unknown elements with their content, every {@code on*} attribute, any attribute value with
 * {@code javascript:}, links and references other than same-document {@code #fragment}s (an
 * {@code <image>} may also hold a PNG, JPEG, GIF or WebP {@code data:} URL), animations of
 * {@code href} or event handlers, and CSS that fetches ({@code url()} to anything but
 * {@code #fragment}, {@code image-set()}, {@code @import}). An external {@code <a>} link loses its
 * {@code href} and keeps its content.
 *
 * <p>The input is parsed as XML; the output is written so that an HTML parser, which reads the
 * inlined markup by different rules, finds the same elements: CDATA sections and comments are
 * turned into escaped text or dropped, and {@code <title>}, {@code <desc>} and {@code <style>}
 * hold nothing but text (an HTML parser reads the content of the first two as HTML).
 *
 * <pre>{@code
 * SvgSanitizer sanitizer = SvgSanitizer.standard();   // immutable, thread-safe, share it
 * CleanedSvg cleaned = sanitizer.clean("<svg viewBox=\"0 0 10 10\" onload=\"steal()\">"
 *         + "<circle r=\"5\"/></svg>");
 * cleaned.svg();       // <svg viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><circle r="5" /></svg>
 * cleaned.removals();  // [Removal[what=<svg onload="steal()">, reason=an event handler runs script]]
 * }</pre>
 */
public final class SvgSanitizer {

    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";
    private static final String XLINK_NAMESPACE = "http://www.w3.org/1999/xlink";
    private static final Pattern DATA_IMAGE = Pattern.compile("(?i)data:(image/[a-z0-9.+-]+);base64,[a-z0-9+/=\\s]*");
    private static final String CSS_FETCH_REASON =
            "CSS that fetches from outside the drawing; only url(#fragment) references stay";

    private static final SvgSanitizer STANDARD = new SvgSanitizer(SvgRules.standard());

    private final SvgRules rules;

    SvgSanitizer(SvgRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** The sanitizer every SVG artifact goes through. */
    public static SvgSanitizer standard() {
        return STANDARD;
    }

    /**
     * Cleans {@code svg} down to its {@code <svg>} root element.
     *
     * @param svg the SVG document as the model wrote it
     * @throws InvalidSvgException  if the input has no {@code <svg>} root element
     * @throws NullPointerException if {@code svg} is null
     */
    public CleanedSvg clean(String svg) {
        Objects.requireNonNull(svg, "svg must not be null");
        // A Parser keeps state while it runs; a fresh one per call keeps this class thread-safe.
        Document doc = Parser.xmlParser().parseInput(withoutXmlInvalidCharacters(svg), "");
        doc.outputSettings()
                .prettyPrint(false)
                .syntax(Document.OutputSettings.Syntax.xml)
                // Only &lt; &gt; &amp; &quot; and numeric references: valid in XML and in HTML alike.
                .escapeMode(Entities.EscapeMode.xhtml)
                .charset(StandardCharsets.UTF_8);
        Element root = root(doc);
        List<Removal> removals = new ArrayList<>();
        // Named in the SVG namespace, which the output declares, whatever the input said: an empty
        // default namespace (xmlns="") would make jsoup refuse the rename.
        root.tagName("svg", Parser.NamespaceSvg);
        Cleaner cleaner = new Cleaner(root, removals);
        NodeTraversor.filter(cleaner, root);
        cleaner.turnCdataIntoText();
        for (Element sibling : root.nextElementSiblings()) {
            removals.add(new Removal(MarkupDescription.of(sibling),
                    "outside the <svg> root element; only the root is kept"));
        }
        declareNamespaces(root);
        return new CleanedSvg(root.outerHtml(), removals);
    }

    private static Element root(Document doc) {
        for (Node node : doc.childNodes()) {
            if (node instanceof Element element) {
                if (element.tagName().equalsIgnoreCase("svg")) {
                    return element;
                }
                throw new InvalidSvgException("SVG input must have an <svg> root element, but its first element is "
                        + MarkupDescription.of(element));
            }
        }
        throw new InvalidSvgException("SVG input must have an <svg> root element, but it has no element at all");
    }

    /** Removes what the rules do not allow, in one pass; removed elements are not descended into. */
    private final class Cleaner implements NodeFilter {

        private final Element root;
        private final List<Removal> removals;
        private final List<CDataNode> cdata = new ArrayList<>();

        Cleaner(Element root, List<Removal> removals) {
            this.root = root;
            this.removals = removals;
        }

        @Override
        public FilterResult head(Node node, int depth) {
            return switch (node) {
                case Element element -> element(element);
                case CDataNode section -> {
                    cdata.add(section);
                    yield FilterResult.CONTINUE;
                }
                case TextNode text -> {
                    text.text(withoutXmlInvalidCharacters(text.getWholeText()));
                    yield FilterResult.CONTINUE;
                }
                case ProcessingInstruction instruction -> removeInstruction(instruction.target());
                case XmlDeclaration declaration -> removeInstruction(declaration.name());
                // Comments go silently: an HTML parser ends a comment at "--!>", XML does not.
                default -> FilterResult.REMOVE;
            };
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element element && element.tagName().equals("style")) {
                scrubStyleSheet(element);
            }
            return FilterResult.CONTINUE;
        }

        private FilterResult removeInstruction(String target) {
            removals.add(new Removal(MarkupDescription.fit("<?" + MarkupDescription.clip(target, 32) + "?>"),
                    "a processing instruction such as xml-stylesheet can load a stylesheet"));
            return FilterResult.REMOVE;
        }

        private FilterResult element(Element element) {
            if (element != root) {
                String tag = element.tagName();
                Element parent = element.parent();
                if (parent != null && rules.textOnlyElements().contains(parent.tagName())) {
                    removals.add(new Removal(MarkupDescription.of(element), "markup inside <" + parent.tagName()
                            + "> would be read as HTML once inlined; only text is kept there"));
                    return FilterResult.REMOVE;
                }
                if (!rules.elements().contains(tag)) {
                    removals.add(new Removal(MarkupDescription.of(element), reasonForRemoving(tag)));
                    return FilterResult.REMOVE;
                }
                if (rules.animationElements().contains(tag) && animatesLinkOrHandler(element)) {
                    removals.add(new Removal(MarkupDescription.of(element, "attributeName"),
                            "animating a link or an event handler can turn it into script"));
                    return FilterResult.REMOVE;
                }
            }
            for (Attribute attribute : element.attributes().asList()) {
                String value = withoutXmlInvalidCharacters(attribute.getValue());
                element.attributes().put(attribute.getKey(), value);
                String reason = attributeProblem(element, attribute.getKey(), value);
                if (reason != null) {
                    removals.add(new Removal(MarkupDescription.of(element, attribute.getKey()), reason));
                    // Exact key: XML names are case-sensitive, and removeAttr() ignores case.
                    element.attributes().remove(attribute.getKey());
                }
            }
            return FilterResult.CONTINUE;
        }

        /**
         * Replaced by escaped text: inside {@code <title>}, an HTML integration point, an HTML
         * parser reads {@code <![CDATA[} as a bogus comment that ends at the first {@code >},
         * and whatever follows becomes markup.
         */
        void turnCdataIntoText() {
            for (CDataNode section : cdata) {
                if (section.parent() != null) {
                    section.replaceWith(new TextNode(section.getWholeText()));
                }
            }
        }

        private void scrubStyleSheet(Element style) {
            StringBuilder css = new StringBuilder();
            for (Node child : style.childNodes()) {
                if (child instanceof TextNode text) {
                    css.append(text.getWholeText());
                }
            }
            CssScrubber.Result scrubbed = CssScrubber.scrub(css.toString());
            for (String what : scrubbed.removed()) {
                removals.add(new Removal(MarkupDescription.fit("<style> " + what), CSS_FETCH_REASON));
            }
            style.empty();
            if (!scrubbed.css().isEmpty()) {
                style.appendChild(new TextNode(scrubbed.css()));
            }
        }
    }

    private String reasonForRemoving(String tag) {
        String reason = rules.elementReasons().get(tag);
        if (reason != null) {
            return reason;
        }
        // FOREIGNOBJECT is unknown to XML but becomes foreignObject once an HTML parser reads it.
        for (Map.Entry<String, String> entry : rules.elementReasons().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(tag)) {
                return entry.getValue();
            }
        }
        return "not on the static SVG element allow-list; removed with its content";
    }

    private static boolean animatesLinkOrHandler(Element animation) {
        String target = compact(animation.attributes().get("attributeName"));
        return target.endsWith("href") || target.startsWith("on");
    }

    /** Why this attribute must go, or null to keep it. */
    private String attributeProblem(Element element, String name, String value) {
        if (name.toLowerCase(Locale.ROOT).startsWith("on")) {
            return "an event handler runs script";
        }
        if (!rules.attributes().contains(name)) {
            return "not on the static SVG attribute allow-list";
        }
        if (compact(value).contains("javascript:")) {
            return "a javascript: URL runs script";
        }
        return switch (name) {
            case "xmlns" -> value.equals(SVG_NAMESPACE) ? null : "declares a namespace other than SVG";
            case "xmlns:xlink" -> value.equals(XLINK_NAMESPACE) ? null : "binds xlink to a namespace other than XLink";
            case "href", "xlink:href" -> linkProblem(element, value);
            default -> CssScrubber.scrub(value).changed() ? CSS_FETCH_REASON : null;
        };
    }

    private String linkProblem(Element element, String value) {
        String url = asBrowserReadsUrl(value);
        if (url.startsWith("#")) {
            return null;
        }
        if (rules.dataImageElements().contains(element.tagName())) {
            Matcher data = DATA_IMAGE.matcher(url);
            if (data.matches() && rules.dataImageTypes().contains(data.group(1).toLowerCase(Locale.ROOT))) {
                return null;
            }
        }
        if (url.toLowerCase(Locale.ROOT).startsWith("data:image/svg+xml")) {
            return "an SVG data: URL is a second document this sanitizer never sees";
        }
        if (element.tagName().equals("a")) {
            return "an external link leaves the drawing; the link's content is kept";
        }
        return "a reference outside the drawing; only same-document #fragment references stay";
    }

    /**
     * How the URL parser sees a value: leading and trailing C0 controls and spaces dropped, tabs
     * and newlines removed anywhere (so {@code " \t#x"} is a fragment and {@code "java\tscript:"}
     * is not).
     */
    private static String asBrowserReadsUrl(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) <= 0x20) {
            start++;
        }
        while (end > start && value.charAt(end - 1) <= 0x20) {
            end--;
        }
        StringBuilder url = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r') {
                url.append(c);
            }
        }
        return url.toString();
    }

    /** Lower case, without the whitespace and control characters browsers skip inside URLs and names. */
    private static String compact(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0x20) {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    private static void declareNamespaces(Element root) {
        // Not needed once inlined into HTML, but it keeps the output a valid standalone SVG file.
        if (!root.attributes().hasKey("xmlns")) {
            root.attributes().put("xmlns", SVG_NAMESPACE);
        }
        boolean usesXlink = root.getAllElements().stream().anyMatch(e -> e.attributes().hasKey("xlink:href"));
        if (usesXlink && !root.attributes().hasKey("xmlns:xlink")) {
            root.attributes().put("xmlns:xlink", XLINK_NAMESPACE);
        }
    }

    /**
     * Characters XML 1.0 forbids (most C0 controls, unpaired surrogates, U+FFFE/U+FFFF) become
     * U+FFFD, so the output stays well-formed XML as well as safe HTML. Applied to the input and
     * again to every text and attribute value, since a character reference ({@code &#xC;}) can
     * name such a character after the input check: the XML serialiser would silently drop it, and
     * the CSS that was checked would not be the CSS written ({@code u\&#xC;rl(} is written as
     * {@code u\rl(}, which CSS reads as {@code url(}).
     */
    private static String withoutXmlInvalidCharacters(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int width = Character.charCount(cp);
            boolean valid = cp == 0x9 || cp == 0xA || cp == 0xD
                    || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            if (!valid && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.appendCodePoint(valid ? cp : 0xFFFD);
            }
            i += width;
        }
        return out == null ? s : out.toString();
    }
}
