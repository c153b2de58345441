package dev.vitrine.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

class SvgSanitizerTest {

    private static final Set<String> ALLOWED_LOWER_CASE = SvgRules.standard().elements().stream()
            .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    private static final Pattern SAFE_LINK = Pattern.compile("#.*|data:image/(png|jpeg|gif|webp);base64,.*",
            Pattern.DOTALL);

    private final SvgSanitizer sanitizer = SvgSanitizer.standard();

    /** name, input, text that must not survive, what the first removal describes. */
    static Stream<Arguments> attacks() {
        return Stream.of(
                attack("script element", "<svg><script>alert(1)</script><circle r=\"1\"/></svg>",
                        "alert", "<script>"),
                attack("script in CDATA", "<svg><script><![CDATA[alert(1)]]></script></svg>", "alert", "<script>"),
                attack("foreignObject", "<svg><foreignObject><body onload=\"steal()\"><p>hi</p></body></foreignObject>"
                        + "</svg>", "steal", "<foreignObject>"),
                attack("upper-case foreignObject an HTML parser would fix up",
                        "<svg><FOREIGNOBJECT><img src=\"x\" onerror=\"steal()\"/></FOREIGNOBJECT></svg>", "steal",
                        "<FOREIGNOBJECT>"),
                attack("onload on the root", "<svg onload=\"steal()\"><rect/></svg>", "steal", "<svg onload=\"steal()\">"),
                attack("onclick on a shape", "<svg><rect onclick=\"steal()\"/></svg>", "steal", "<rect onclick"),
                attack("upper-case event handler", "<svg><rect ONCLICK=\"steal()\"/></svg>", "steal", "<rect ONCLICK"),
                attack("onbegin on an animation", "<svg><animate attributeName=\"x\" onbegin=\"steal()\"/></svg>",
                        "steal", "<animate onbegin"),
                attack("use of an external file", "<svg><use href=\"http://evil.test/s.svg#a\"/></svg>",
                        "evil.test", "<use href="),
                attack("xlink use of an external file", "<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
                        + "<use xlink:href=\"//evil.test/s.svg#a\"/></svg>", "evil.test", "<use xlink:href="),
                attack("image from the network", "<svg><image href=\"https://evil.test/p.png\"/></svg>",
                        "evil.test", "<image href="),
                attack("image holding another SVG", "<svg><image href=\"data:image/svg+xml;base64,PHN2Zz4=\"/></svg>",
                        "svg+xml", "<image href="),
                attack("javascript link", "<svg><a href=\"javascript:steal()\"><text>x</text></a></svg>",
                        "steal", "<a href="),
                attack("javascript link spelled with entities and a tab",
                        "<svg><a href=\"&#x6A;ava&#x09;script:steal()\"><text>x</text></a></svg>", "steal", "<a href="),
                attack("animation of href", "<svg><a><animate attributeName=\"href\" values=\"https://evil.test/\"/>"
                        + "<text>x</text></a></svg>", "evil.test", "<animate attributeName=\"href\">"),
                attack("animation of xlink:href", "<svg><a><animate attributeName=\" xlink:href\" to=\"#x\"/></a></svg>",
                        "animate", "<animate attributeName="),
                attack("animation of an event handler", "<svg><animate attributeName=\"onclick\" to=\"steal()\"/></svg>",
                        "steal", "<animate attributeName=\"onclick\">"),
                attack("set", "<svg><set attributeName=\"fill\" to=\"red\"/></svg>", "set", "<set>"),
                attack("javascript in animation values",
                        "<svg><animate attributeName=\"fill\" values=\"red;javascript:steal()\"/></svg>", "steal",
                        "<animate values="),
                attack("style attribute fetching", "<svg><rect style=\"fill:url(http://evil.test/p)\"/></svg>",
                        "evil.test", "<rect style="),
                attack("presentation attribute fetching", "<svg><rect fill=\"url(https://evil.test/g.svg#g)\"/></svg>",
                        "evil.test", "<rect fill="),
                attack("style element importing", "<svg><style>@import url(https://evil.test/a.css);</style></svg>",
                        "evil.test", "<style> @import"),
                attack("style element fetching a font",
                        "<svg><style><![CDATA[@font-face{font-family:f;src:url(https://evil.test/f.woff)}]]></style></svg>",
                        "evil.test", "<style> url(https://evil.test/f.woff)"),
                attack("style element with an escaped url", "<svg><style>.a{fill:\\75 rl(https://evil.test/)}</style></svg>",
                        "evil.test", "<style> url("),
                attack("iframe", "<svg><iframe src=\"https://evil.test/\"/></svg>", "evil.test", "<iframe>"),
                attack("SVG Tiny handler", "<svg><handler type=\"application/ecmascript\">steal()</handler></svg>",
                        "steal", "<handler>"),
                attack("filter image from the network", "<svg><filter><feImage href=\"https://evil.test/i.png\"/>"
                        + "</filter></svg>", "evil.test", "<feImage href="),
                attack("motion path from another file", "<svg><animateMotion><mpath href=\"https://evil.test/p.svg#p\"/>"
                        + "</animateMotion></svg>", "evil.test", "<mpath href="),
                attack("stylesheet processing instruction", "<svg><?xml-stylesheet href=\"https://evil.test/a.css\"?></svg>",
                        "evil.test", "<?xml-stylesheet?>"),
                attack("markup inside a title", "<svg><title><a href=\"#x\"><image href=\"#y\"/></a></title></svg>",
                        "image", "<a>"),
                attack("comment ended early by --!>", "<svg><!-- --!><script>steal()</script> --></svg>", "steal",
                        "<script>"),
                attack("foreign default namespace", "<svg xmlns=\"http://www.w3.org/1999/xhtml\"><rect/></svg>",
                        "xhtml", "<svg xmlns="),
                attack("script after the root", "<svg><rect/></svg><script>steal()</script>", "steal", "<script>"));
    }

    private static Arguments attack(String name, String svg, String mustNotSurvive, String firstRemoval) {
        return Arguments.of(name, svg, mustNotSurvive, firstRemoval);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void attackIsRemovedAndReported(String name, String svg, String mustNotSurvive, String firstRemoval) {
        CleanedSvg cleaned = sanitizer.clean(svg);

        assertFalse(cleaned.svg().contains(mustNotSurvive), cleaned.svg());
        assertFalse(cleaned.removals().isEmpty(), "nothing reported for " + name);
        assertTrue(cleaned.removals().get(0).what().startsWith(firstRemoval), cleaned.removals().toString());
        assertInertWhenInlinedIntoHtml(cleaned.svg());
        assertWellFormedXml(cleaned.svg());
    }

    @Test
    void externalLinkLosesItsHrefButKeepsItsContent() {
        CleanedSvg cleaned = sanitizer.clean("<svg><a href=\"https://evil.test/\"><text>go</text></a></svg>");

        assertTrue(cleaned.svg().contains("<a><text>go</text></a>"), cleaned.svg());
        assertEquals(List.of("<a href=\"https://evil.test/\">"),
                cleaned.removals().stream().map(Removal::what).toList());
    }

    @Test
    void benignDrawingIsKeptAsWritten() {
        String drawing = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                + " viewBox=\"0 0 200 100\" width=\"200\" height=\"100\" role=\"img\" aria-label=\"Chart\">"
                + "<title>Sales &amp; costs &lt;2024&gt;</title><desc>A small chart</desc>"
                + "<style>.label { font: 12px sans-serif; fill: url(#grad); } .a > .b { opacity: .5 }</style>"
                + "<defs>"
                + "<linearGradient id=\"grad\" x1=\"0\" x2=\"1\"><stop offset=\"0\" stop-color=\"#f00\"/>"
                + "<stop offset=\"1\" stop-color=\"#00f\" stop-opacity=\"0.5\"/></linearGradient>"
                + "<pattern id=\"dots\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\"><circle cx=\"2\" cy=\"2\" r=\"1\"/></pattern>"
                + "<clipPath id=\"clip\"><rect width=\"150\" height=\"90\"/></clipPath>"
                + "<mask id=\"m\"><rect width=\"200\" height=\"100\" fill=\"white\"/></mask>"
                + "<marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"10\" refX=\"5\" refY=\"5\" orient=\"auto\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\"/></marker>"
                + "<filter id=\"blur\"><feGaussianBlur in=\"SourceGraphic\" stdDeviation=\"2\" result=\"b\"/>"
                + "<feOffset in=\"b\" dx=\"1\" dy=\"1\"/></filter>"
                + "<symbol id=\"dot\" viewBox=\"0 0 2 2\"><circle cx=\"1\" cy=\"1\" r=\"1\"/></symbol>"
                + "</defs>"
                + "<g transform=\"translate(10 10)\" clip-path=\"url(#clip)\" mask=\"url(#m)\">"
                + "<path d=\"M0 80 C 40 10, 65 10, 95 80 S 150 150, 180 80\" stroke=\"url(#grad)\" fill=\"none\""
                + " stroke-width=\"2\" marker-end=\"url(#arrow)\" filter=\"url(#blur)\"/>"
                + "<rect x=\"5\" y=\"5\" width=\"20\" height=\"20\" style=\"fill: url('#dots'); stroke: black\"/>"
                + "<use href=\"#dot\" x=\"50\" y=\"50\" width=\"4\" height=\"4\"/>"
                + "<use xlink:href=\"#dot\" x=\"60\" y=\"50\" width=\"4\" height=\"4\"/>"
                + "<text class=\"label\" x=\"10\" y=\"95\" text-anchor=\"start\">Q1 <tspan font-weight=\"bold\">+12%</tspan></text>"
                + "<a href=\"#grad\"><polygon points=\"0,0 5,5 0,5\"/></a>"
                + "<image href=\"data:image/png;base64,iVBORw0KGgo=\" width=\"1\" height=\"1\"/>"
                + "<circle cx=\"100\" cy=\"50\" r=\"5\"><animate attributeName=\"r\" values=\"5;8;5\" dur=\"2s\""
                + " repeatCount=\"indefinite\"/><animateTransform attributeName=\"transform\" type=\"rotate\""
                + " from=\"0 100 50\" to=\"360 100 50\" dur=\"4s\"/></circle>"
                + "</g></svg>";

        CleanedSvg cleaned = sanitizer.clean("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + drawing);

        assertEquals(List.of(), cleaned.removals());
        assertEquals(roundTrip(drawing), cleaned.svg(), "nothing but the XML declaration is dropped");
        assertInertWhenInlinedIntoHtml(cleaned.svg());
        assertWellFormedXml(cleaned.svg());
    }

    @Test
    void rasterDataUrlsAreAllowedOnImageOnly() {
        CleanedSvg cleaned = sanitizer.clean("<svg><image href=\"data:image/webp;base64,UklGRg==\"/>"
                + "<filter><feImage href=\"data:image/png;base64,iVBORw0KGgo=\"/></filter></svg>");

        assertTrue(cleaned.svg().contains("<image href=\"data:image/webp;base64,UklGRg==\""), cleaned.svg());
        assertEquals(List.of("<feImage href=\"data:image/png;base64,iVBORw0KGgo=\">"),
                cleaned.removals().stream().map(Removal::what).toList());
    }

    @Test
    void cdataAndTitleBreakoutsComeOutAsInertText() {
        CleanedSvg cleaned = sanitizer.clean("<svg><title><![CDATA[</title><script>steal()</script>]]></title>"
                + "<desc>&lt;/desc&gt;&lt;img src=x onerror=steal()&gt;</desc>"
                + "<style><![CDATA[ .a > .b { fill: red } /* </style><script>steal()</script> */ ]]></style></svg>");

        Document page = Jsoup.parse("<!doctype html><body>" + cleaned.svg());
        assertEquals("</title><script>steal()</script>", page.selectFirst("title").text());
        assertEquals("</desc><img src=x onerror=steal()>", page.selectFirst("desc").text());
        assertFalse(cleaned.svg().contains("CDATA"), cleaned.svg());
        assertInertWhenInlinedIntoHtml(cleaned.svg());
    }

    @Test
    void outputHasNoXmlDeclarationOrDoctypeAndDeclaresTheSvgNamespace() {
        CleanedSvg cleaned = sanitizer.clean("<?xml version=\"1.0\"?><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\""
                + " \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><!-- made by hand --><svg><rect/></svg>");

        assertEquals("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect /></svg>", cleaned.svg());
        assertEquals(List.of(), cleaned.removals());
    }

    @Test
    void entitiesDeclaredInADoctypeAreNotExpanded() {
        CleanedSvg cleaned = sanitizer.clean("<!DOCTYPE svg [<!ENTITY x \"<script>steal()</script>\">]>"
                + "<svg><text>&x;</text></svg>");

        assertFalse(cleaned.svg().contains("steal"), cleaned.svg());
        assertInertWhenInlinedIntoHtml(cleaned.svg());
    }

    @Test
    void anEmptyDefaultNamespaceOnTheRootIsRemovedInsteadOfFailingTheRequest() {
        // Found by SvgSanitizerFuzzTest: renaming a root in no namespace threw jsoup's
        // ValidationException, which reached the API as a 500.
        CleanedSvg cleaned = sanitizer.clean("<svg xmlns=\"\"><rect/></svg>");

        assertEquals("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect /></svg>", cleaned.svg());
        assertEquals("<svg xmlns>", cleaned.removals().get(0).what());
    }

    @Test
    void aCharacterReferenceToACharacterXmlForbidsCannotHideAFetchFromTheCssCheck() {
        // Found by SvgSanitizerFuzzTest: &#xC; (a newline to CSS) was checked and then dropped by
        // the XML writer, so u\&#xC;rl( came out as u\rl(, which CSS reads as url(.
        for (String svg : List.of("<svg><style>.a{fill:u\\&#xc;rl(https://evil.test/x)}</style></svg>",
                "<svg><rect style=\"fill:u\\&#xc;rl(https://evil.test/x)\"/></svg>",
                "<svg><style>\"&#xc;\"@import url(https://evil.test/a.css);</style></svg>")) {
            CleanedSvg cleaned = sanitizer.clean(svg);

            assertFalse(cleaned.svg().contains("u\\rl("), cleaned.svg());
            assertFalse(cleaned.svg().contains("@import"), cleaned.svg());
            assertEquals(List.of(), sanitizer.clean(cleaned.svg()).removals(), cleaned.svg());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "hello", "<svg", "<svg a=\"", "<html><body><svg/></body></html>", "<?xml version=\"1.0\"?><!-- -->",
            "<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"/>", "<div>", "<<<>>>"})
    void inputWithoutAnSvgRootIsRejected(String input) {
        InvalidSvgException e = assertThrows(InvalidSvgException.class, () -> sanitizer.clean(input));

        assertTrue(e.getMessage().startsWith("SVG input must have an <svg> root element"), e.getMessage());
        assertTrue(e.getMessage().length() < 200, "the message does not echo the input at length");
    }

    @Test
    void nullIsRejected() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> sanitizer.clean(null));

        assertEquals("svg must not be null", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<svg><", "<svg>\u0000<rect/>\u0001</svg>", "<svg>\ud800<text>\udfff</text></svg>",
            "<svg><![CDATA[", "<svg><!--", "<svg><style>", "<svg><style>/*", "<svg><style>a{b:url(",
            "<svg><style>@import", "<svg a=\"b\">", "<svg><text>&#0;&#xd800;&#x110000;&bogus;</text></svg>",
            "<SVG><rect/></SVG>", "<svg><svg><svg onload=\"x()\"></svg></svg></svg>",
            "<svg><title><title><script>x</script></title></title></svg>"})
    void malformedSvgIsCleanedWithoutThrowing(String input) {
        CleanedSvg cleaned = sanitizer.clean(input);

        assertTrue(cleaned.svg().startsWith("<svg"), cleaned.svg());
        assertInertWhenInlinedIntoHtml(cleaned.svg());
        assertWellFormedXml(cleaned.svg());
    }

    @Test
    void deepNestingDoesNotThrow() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            CleanedSvg cleaned = sanitizer.clean("<svg>" + "<g onclick=\"x()\">".repeat(100_000) + "<script>x</script>");

            assertEquals(100_001, cleaned.removals().size());
            assertFalse(cleaned.svg().contains("script"));
        });
    }

    @Test
    void randomMutationsOfAttacksAreCleanedInertAndStable() {
        List<String> pieces = List.of("<svg>", "</svg>", "<g>", "</g>", "<title>", "</title>", "<desc>", "<style>",
                "</style>", "<![CDATA[", "]]>", "<!--", "-->", "--!>", "<script>", "</script>", "<foreignObject>",
                "<FOREIGNOBJECT>", "<a href=\"javascript:x()\">", "<a href='#a'>", "</a>", "<text>", "</text>",
                "<image href=\"data:image/svg+xml,x\"/>", "<use href=\"//e\"/>",
                "<animate attributeName=\"href\" to=\"javascript:x()\"/>", "<set attributeName='onclick' to='x()'/>",
                "<rect onclick=\"x()\"/>", "<rect style=\"fill:url(//e)\"/>", "@import 'x';", "url(//e)",
                "\\75rl(//e)", "<?xml-stylesheet href='x'?>", "<img src=x onerror=x()>", "<meta http-equiv=refresh>",
                "<p>", "<math>", "<mtext>", "<mglyph>", "<table>", "<iframe>", "&lt;", "&amp;", "\"", "'", ">", "<",
                " ", "<svg onload=x()>", "<b>", "<font color=red>", "<noscript>", "<template>");
        Random random = new Random(20_240_601L); // fixed: a failure must replay
        for (int run = 0; run < 2_000; run++) {
            StringBuilder input = new StringBuilder("<svg>");
            int parts = 1 + random.nextInt(16);
            for (int i = 0; i < parts; i++) {
                if (random.nextInt(8) == 0) {
                    input.append((char) random.nextInt(0x10000));
                } else {
                    input.append(pieces.get(random.nextInt(pieces.size())));
                }
            }
            CleanedSvg cleaned = sanitizer.clean(input.toString());

            assertInertWhenInlinedIntoHtml(cleaned.svg());
            assertEquals(List.of(), sanitizer.clean(cleaned.svg()).removals(), "not stable for input " + input);
        }
    }

    /**
     * Inlined into an HTML page, the output must parse into the same, allowed SVG elements and
     * nothing else: no element breaks out of the {@code <svg>}, none is outside the allow-list,
     * no event handler, and no link but a fragment or a raster data URL.
     */
    static void assertInertWhenInlinedIntoHtml(String svg) {
        Document page = Jsoup.parse("<!doctype html><html><head></head><body>" + svg + "</body></html>");
        Element body = page.body();

        assertEquals(List.of("svg"), body.children().stream().map(Element::normalName).toList(),
                "nothing breaks out of the <svg>: " + svg);
        assertEquals(0, page.head().childrenSize(), "nothing moved into <head>: " + svg);
        for (Element element : body.children().first().getAllElements()) {
            assertTrue(ALLOWED_LOWER_CASE.contains(element.normalName()),
                    "<" + element.normalName() + "> is not an allowed SVG element: " + svg);
            for (Attribute attribute : element.attributes()) {
                String key = attribute.getKey().toLowerCase(Locale.ROOT);
                assertFalse(key.startsWith("on"), "event handler " + key + ": " + svg);
                if (key.endsWith("href")) {
                    assertTrue(SAFE_LINK.matcher(attribute.getValue().strip()).matches(), "link " + attribute + ": " + svg);
                }
                assertFalse(attribute.getValue().toLowerCase(Locale.ROOT).replaceAll("\\s", "").contains("javascript:"),
                        "javascript: in " + attribute + ": " + svg);
            }
        }
    }

    static void assertWellFormedXml(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXParseException {
                    throw e;
                }
            });
            builder.parse(new InputSource(new StringReader(svg)));
        } catch (Exception e) {
            fail("not well-formed XML (" + e.getMessage() + "): " + svg);
        }
    }

    /** How jsoup writes the same markup: self-closing tags as {@code <x />}, and so on. */
    private static String roundTrip(String svg) {
        Document doc = Jsoup.parse(svg, "", Parser.xmlParser());
        doc.outputSettings().prettyPrint(false).syntax(Document.OutputSettings.Syntax.xml)
                .escapeMode(org.jsoup.nodes.Entities.EscapeMode.xhtml);
        return doc.child(0).outerHtml();
    }
}
