package dev.vitrine.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per removal rule: the offending markup goes and is reported, its legitimate neighbour stays. */
class HtmlNormalizerRemovalTest {

    private final HtmlNormalizer normalizer = HtmlNormalizer.standard();

    private NormalizedDocument normalize(String html) {
        return normalizer.normalize(html, HeadInjection.none());
    }

    private static Document parsed(NormalizedDocument doc) {
        return Jsoup.parse(doc.html());
    }

    @Test
    void metaRefreshIsRemovedAndReported() {
        NormalizedDocument doc = normalize("<head><meta http-equiv=\"refresh\" content=\"0;url=http://evil.test/\">"
                + "<meta name=\"description\" content=\"a chart\"></head>");

        assertEquals(0, parsed(doc).select("meta[http-equiv]").size());
        assertEquals(1, parsed(doc).select("meta[name=description]").size());
        assertEquals(List.of(new Removal("<meta http-equiv=\"refresh\">",
                "navigates the frame; CSP cannot block a meta refresh")), doc.removals());
    }

    @Test
    void metaSetCookieIsRemoved() {
        NormalizedDocument doc = normalize("<meta http-equiv=Set-Cookie content=\"id=1\"><p>kept</p>");

        assertEquals(0, parsed(doc).select("meta[http-equiv]").size());
        assertEquals("kept", parsed(doc).selectFirst("p").text());
        assertEquals("<meta http-equiv=\"Set-Cookie\">", doc.removals().get(0).what());
        assertTrue(doc.removals().get(0).reason().contains("cookie"));
    }

    @Test
    void metaContentSecurityPolicyIsRemovedBecauseTheHeaderIsTheSingleSourceOfPolicy() {
        NormalizedDocument doc = normalize(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\"><title>kept</title>");

        assertEquals(0, parsed(doc).select("meta[http-equiv]").size());
        assertEquals("kept", parsed(doc).title());
        assertTrue(doc.removals().get(0).reason().contains("single source of policy"), doc.removals().toString());
    }

    @Test
    void everyOtherHttpEquivIsRemovedToo() {
        NormalizedDocument doc = normalize("<meta http-equiv=X-UA-Compatible content=IE=edge>"
                + "<meta http-equiv=content-type content=\"text/html; charset=iso-8859-1\">"
                + "<meta http-equiv=origin-trial content=token>");

        assertEquals(0, parsed(doc).select("meta[http-equiv]").size());
        assertEquals(3, doc.removals().size(), doc.removals().toString());
    }

    @Test
    void metaReferrerIsRemovedButOtherNamedMetasStay() {
        NormalizedDocument doc = normalize(
                "<meta name=\"Referrer\" content=\"unsafe-url\"><meta name=\"theme-color\" content=\"#fff\">");

        assertEquals(0, parsed(doc).select("meta[name=referrer]").size());
        assertEquals(1, parsed(doc).select("meta[name=theme-color]").size());
        assertEquals("<meta name=\"Referrer\">", doc.removals().get(0).what());
    }

    @Test
    void everyBaseIsRemovedWhereverItIs() {
        NormalizedDocument doc = normalize("<head><base href=\"http://evil.test/\" target=\"_top\"></head>"
                + "<body><a href=\"page.html\">rel</a><base target=_blank></body>");

        assertEquals(0, parsed(doc).select("base").size());
        assertEquals("page.html", parsed(doc).selectFirst("a").attr("href"));
        assertEquals(2, doc.removals().size());
        assertEquals("<base>", doc.removals().get(0).what());
    }

    @ParameterizedTest
    @ValueSource(strings = {"preconnect", "dns-prefetch", "prefetch", "prerender", "next", "DNS-Prefetch",
            "icon preconnect", " \tprefetch\n"})
    void resourceHintLinksAreRemoved(String rel) {
        NormalizedDocument doc = normalize("<link rel=\"" + rel + "\" href=\"https://evil.test/\">"
                + "<link rel=\"stylesheet\" href=\"/a.css\">");

        assertEquals(List.of("stylesheet"), parsed(doc).select("link").eachAttr("rel"));
        assertEquals(1, doc.removals().size());
        assertTrue(doc.removals().get(0).what().startsWith("<link rel="), doc.removals().toString());
    }

    @Test
    void linksThatCspGovernsStay() {
        String links = "<link rel=\"stylesheet\" href=\"/a.css\"><link rel=\"icon\" href=\"/i.png\">"
                + "<link rel=\"preload\" href=\"/f.woff2\" as=\"font\"><link rel=\"modulepreload\" href=\"/m.js\">";

        NormalizedDocument doc = normalize(links);

        assertTrue(doc.html().contains(links), doc.html());
        assertEquals(List.of(), doc.removals());
    }

    @Test
    void pingIsRemovedFromLinksAndAreasWhichStay() {
        NormalizedDocument doc = normalize("<a href=\"#top\" ping=\"https://evil.test/p\">top</a>"
                + "<map><area href=\"#a\" ping=\"https://evil.test/q\"></map>");

        assertTrue(doc.html().contains("<a href=\"#top\">top</a>"), doc.html());
        assertTrue(doc.html().contains("<area href=\"#a\">"), doc.html());
        assertEquals(List.of("<a ping=\"https://evil.test/p\">", "<area ping=\"https://evil.test/q\">"),
                doc.removals().stream().map(Removal::what).toList());
    }

    @Test
    void portalIsRemovedWithItsContent() {
        NormalizedDocument doc = normalize("<portal src=\"https://evil.test/\"><p>inside</p></portal><p>outside</p>");

        assertEquals(List.of("outside"), parsed(doc).select("p").eachText());
        assertEquals("<portal>", doc.removals().get(0).what());
    }

    @Test
    void fencedFrameIsRemoved() {
        NormalizedDocument doc = normalize("<fencedframe src=\"https://evil.test/\"></fencedframe><iframe></iframe>");

        assertEquals(0, parsed(doc).select("fencedframe").size());
        assertEquals(1, parsed(doc).select("iframe").size());
        assertEquals("<fencedframe>", doc.removals().get(0).what());
    }

    @Test
    void speculationRulesAreRemovedButOrdinaryScriptsStay() {
        NormalizedDocument doc = normalize("<script type=\"speculationrules\">{\"prefetch\":[{\"urls\":"
                + "[\"https://evil.test/\"]}]}</script><script type=\"module\">go()</script>");

        assertEquals(List.of("module"), parsed(doc).select("script").eachAttr("type"));
        assertEquals("<script type=\"speculationrules\">", doc.removals().get(0).what());
    }

    @Test
    void httpEquivAndBaseAreRemovedInsideNoscriptTemplateAndBody() {
        NormalizedDocument doc = normalize("<head><noscript><meta http-equiv=refresh content=0>"
                + "<link rel=stylesheet href=/n.css></noscript></head>"
                + "<body><template><base href=//evil.test/><p>t</p></template>"
                + "<div><meta http-equiv=refresh content=\"1;url=//evil.test\"></div></body>");

        Document parsed = parsed(doc);
        assertEquals(0, parsed.select("meta[http-equiv], base").size(), doc.html());
        assertEquals(1, parsed.select("noscript link").size(), "the noscript keeps its stylesheet");
        assertEquals(1, parsed.select("template p").size(), "the template keeps its paragraph");
        assertEquals(3, doc.removals().size(), doc.removals().toString());
    }

    @Test
    void noscriptWhoseContentWouldCloseItEarlyIsRemovedWhole() {
        // jsoup (scripting off) sees a <style> inside the noscript; a browser running script reads
        // raw text up to </noscript> and then parses the meta refresh as real markup.
        NormalizedDocument doc = normalize("<noscript><style></noscript>"
                + "<meta http-equiv=refresh content=\"0;url=http://evil.test/\"></style></noscript><p>kept</p>");

        assertFalse(doc.html().contains("http-equiv"), doc.html());
        assertTrue(doc.html().contains("<p>kept</p>"), doc.html());
        assertEquals("<noscript>", doc.removals().get(0).what());
    }

    @Test
    void markupThatMutatesWhenReparsedIsCheckedAsTheBrowserWillParseIt() {
        // jsoup first reads the meta as text inside an HTML <style>; the serialised output puts
        // that <style> inside MathML, where a browser reads markup and <meta> breaks out as HTML.
        NormalizedDocument doc = normalize("<math><mtext><table><mglyph><style>"
                + "<meta http-equiv=refresh content=\"0;url=http://evil.test/\">");

        assertEquals(0, parsed(doc).select("meta[http-equiv]").size(), doc.html());
        assertEquals("<meta http-equiv=\"refresh\">", doc.removals().get(0).what());
        assertEquals(List.of(), normalize(doc.html()).removals(), "the output is stable");
    }

    @Test
    void markupThatMutatesTwiceComesOutInItsStableFormWithTheRemovalReported() {
        // Found by HtmlNormalizerFuzzTest: the first re-parse removed nothing, but its tree
        // serialised into text whose next parse made the <portal> an element. A second
        // normalisation removed it; now the first one does, and a second one changes nothing.
        NormalizedDocument doc = normalize("<math><mtext><table><mglyph><style><table><mglyph><style><portal>");
        NormalizedDocument again = normalize(doc.html());

        assertEquals("<portal>", doc.removals().get(0).what());
        assertEquals(List.of(), again.removals());
        assertEquals(doc.html(), again.html());
    }

    @Test
    void harmlessNoscriptStays() {
        assertTrue(normalize("<noscript><p>Enable JavaScript</p></noscript>").html()
                .contains("<noscript><p>Enable JavaScript</p></noscript>"));
    }

    @Test
    void srcdocDocumentsGetTheSameRules() {
        NormalizedDocument doc = normalize("<iframe srcdoc=\"<link rel=preconnect href=//evil.test><p>hi</p>\"></iframe>");

        String srcdoc = parsed(doc).selectFirst("iframe").attr("srcdoc");
        assertFalse(srcdoc.contains("preconnect"), srcdoc);
        assertTrue(srcdoc.contains("<p>hi</p>"), srcdoc);
        assertEquals("<iframe srcdoc> <link rel=\"preconnect\">", doc.removals().get(0).what());
    }

    @Test
    void cleanSrcdocIsLeftExactlyAsWritten() {
        NormalizedDocument doc = normalize("<iframe srcdoc=\"<p onclick='x()'>hi</p>\"></iframe>");

        assertEquals("<p onclick='x()'>hi</p>", parsed(doc).selectFirst("iframe").attr("srcdoc"));
        assertEquals(List.of(), doc.removals());
    }

    @Test
    void srcdocNestedDeeperThanTheLimitIsRemoved() {
        String level3 = "<p>deep</p>";
        String level2 = "<iframe srcdoc=\"" + level3 + "\"></iframe>";
        String level1 = "<iframe srcdoc=\"" + level2.replace("&", "&amp;").replace("\"", "&quot;") + "\"></iframe>";
        String top = "<iframe srcdoc=\"" + level1.replace("&", "&amp;").replace("\"", "&quot;") + "\"></iframe>";

        NormalizedDocument doc = normalize(top);

        assertEquals(1, doc.removals().size(), doc.removals().toString());
        assertTrue(doc.removals().get(0).what().contains("nested 3 levels deep"), doc.removals().toString());
        assertFalse(doc.html().contains("deep"), doc.html());
    }

    @Test
    void removalDescriptionsStayShortWhateverTheInput() {
        String huge = "x".repeat(100_000);

        NormalizedDocument doc = normalize("<meta http-equiv=\"" + huge + "\">"
                + "<link rel=\"preconnect " + huge + "\"><a ping=\"" + huge + "\">a</a>"
                + "<meta charset=\"\u0000\u0001" + huge + "\">");

        assertEquals(4, doc.removals().size(), doc.removals().toString());
        for (Removal removal : doc.removals()) {
            assertTrue(removal.what().length() <= Removal.MAX_WHAT_LENGTH, removal.what());
            assertTrue(removal.what().chars().noneMatch(Character::isISOControl), removal.what());
        }
    }
}
