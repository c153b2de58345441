package dev.vitrine.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** Document shape, what is kept, and head injection. Removal rules are in {@link HtmlNormalizerRemovalTest}. */
class HtmlNormalizerTest {

    private static final String HEAD_START = "<!doctype html><html><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>";

    private final HtmlNormalizer normalizer = HtmlNormalizer.standard();

    private NormalizedDocument normalize(String html) {
        return normalizer.normalize(html, HeadInjection.none());
    }

    @Test
    void fragmentBecomesACompleteDocument() {
        NormalizedDocument doc = normalize("<div>hi</div>");

        assertEquals(HEAD_START + "<body><div>hi</div></body></html>", doc.html());
        assertEquals(List.of(), doc.removals());
    }

    @Test
    void plainTextBecomesTheBody() {
        assertEquals(HEAD_START + "<body>just some text &amp; more</body></html>",
                normalize("just some text & more").html());
    }

    @Test
    void emptyInputBecomesAnEmptyDocument() {
        assertEquals(HEAD_START + "<body></body></html>", normalize("").html());
    }

    @Test
    void bodyOnlySnippetKeepsItsContent() {
        assertEquals(HEAD_START + "<body class=\"dark\"><p>a</p><p>b</p></body></html>",
                normalize("<body class=dark><p>a</p><p>b</p></body>").html());
    }

    @Test
    void scriptAloneBecomesADocumentWithTheScriptIntact() {
        String script = "<script>document.body.textContent = 1 < 2 && 3 > 2;</script>";

        String html = normalize(script).html();

        assertTrue(html.startsWith("<!doctype html><html><head><meta charset=\"utf-8\">"), html);
        assertTrue(html.contains(script), html);
    }

    @Test
    void fullDocumentKeepsLangTitleHeadAndBody() {
        String input = """
                <!DOCTYPE html>
                <html lang="de" dir="ltr">
                <head>
                  <meta charset="UTF-8">
                  <meta name="viewport" content="width=400">
                  <title>Rechner</title>
                  <style>body { margin: 0 }</style>
                </head>
                <body><main id="app">Hallo</main></body>
                </html>""";

        NormalizedDocument doc = normalize(input);
        Document parsed = Jsoup.parse(doc.html());

        assertTrue(doc.html().startsWith("<!doctype html>\n<html lang=\"de\" dir=\"ltr\">\n<head><meta charset=\"utf-8\">"),
                "the artifact's whitespace stays as written: " + doc.html());
        assertEquals("Rechner", parsed.title());
        assertEquals(1, parsed.select("meta[name=viewport]").size(), "the artifact's own viewport is not doubled");
        assertEquals("width=400", parsed.selectFirst("meta[name=viewport]").attr("content"));
        assertEquals("body { margin: 0 }", parsed.selectFirst("style").data());
        assertEquals("Hallo", parsed.getElementById("app").text());
        assertEquals(List.of(), doc.removals(), "a UTF-8 charset meta is replaced, not reported");
    }

    @Test
    void htmlWithoutLangGetsNoLang() {
        assertTrue(normalize("<p>x</p>").html().startsWith("<!doctype html><html><head>"));
    }

    @Test
    void legacyDoctypeIsReplacedByTheHtml5One() {
        String html = normalize("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><p>x</p>").html();

        assertTrue(html.startsWith("<!doctype html><html>"), html);
        assertFalse(html.contains("4.01"), html);
    }

    @Test
    void charsetMetaIsTheFirstHeadChildAndTheOnlyOne() {
        NormalizedDocument doc = normalize(
                "<head><title>t</title><meta charset=\"windows-1252\"></head><body><meta charset=utf-8>x</body>");
        Document parsed = Jsoup.parse(doc.html());

        assertEquals(1, parsed.select("meta[charset]").size());
        Element first = parsed.head().child(0);
        assertEquals("meta", first.tagName());
        assertEquals("utf-8", first.attr("charset"));
        assertEquals(1, doc.removals().size(), "only the foreign encoding is worth reporting: " + doc.removals());
        assertEquals("<meta charset=\"windows-1252\">", doc.removals().get(0).what());
    }

    @Test
    void inlineScriptAndEventHandlersComeOutByteIdentical() {
        String script = "<script>\n  const rows = items.filter(i => i.n < 3 && i.m > 1);\n"
                + "  el.innerHTML = '<div class=\"x\">' + `${rows.length}` + '</div>';\n"
                + "  // </p> &amp; &lt;b&gt; stay as written\n</script>";
        String button = "<button onclick=\"alert(1)\" onmouseover=\"this.style.color='red'\">Go</button>";

        String html = normalize(button + script).html();

        assertTrue(html.contains(script), html);
        assertTrue(html.contains(button), html);
    }

    @Test
    void stylesFormsIframesAndSvgAreKept() {
        String body = "<p>before</p><style>.a{color:red}</style>"
                + "<form action=\"/x\" onsubmit=\"event.preventDefault()\"><input name=\"q\"><button>ok</button></form>"
                + "<iframe src=\"https://example.com/\"></iframe>"
                + "<svg viewBox=\"0 0 1 1\"><circle r=\"1\" onclick=\"f()\"></circle></svg>"
                + "<link rel=\"stylesheet\" href=\"/app.css\">";

        NormalizedDocument doc = normalize(body);

        assertTrue(doc.html().contains(body), doc.html());
        assertEquals(List.of(), doc.removals());
    }

    @Test
    void injectedScriptsComeRightAfterTheCharsetAndBeforeTheArtifactsHead() {
        NormalizedDocument doc = normalizer.normalize(
                "<html><head><script>window.artifact = true</script><title>t</title></head><body></body></html>",
                HeadInjection.scripts("/_vitrine/frame.js", "/_vitrine/storage.js"));

        String head = Jsoup.parse(doc.html()).head().children().stream()
                .map(e -> e.tagName() + (e.hasAttr("src") ? " " + e.attr("src") : "")
                        + (e.hasAttr("charset") ? " charset" : "") + (e.hasAttr("name") ? " " + e.attr("name") : ""))
                .toList().toString();
        assertEquals("[meta charset, script /_vitrine/frame.js, script /_vitrine/storage.js, meta viewport,"
                + " script, title]", head);
        assertTrue(doc.html().contains("<meta charset=\"utf-8\"><script src=\"/_vitrine/frame.js\" crossorigin=\"anonymous\"></script>"
                + "<script src=\"/_vitrine/storage.js\" crossorigin=\"anonymous\"></script>"), "classic blocking scripts, no async/defer/module");
    }

    @Test
    void injectedScriptsPrecedeAScriptFromAFragment() {
        String html = normalizer.normalize("<script>go()</script>", HeadInjection.scripts("/_vitrine/frame.js")).html();

        assertTrue(html.indexOf("/_vitrine/frame.js") < html.indexOf("go()"), html);
    }

    @Test
    void noInjectionAddsNoScript() {
        assertFalse(normalize("<p>x</p>").html().contains("<script"));
    }

    @Test
    void nullArgumentsAreRejectedWithMessagesThatNameThem() {
        NullPointerException html = assertThrows(NullPointerException.class,
                () -> normalizer.normalize(null, HeadInjection.none()));
        NullPointerException injection = assertThrows(NullPointerException.class,
                () -> normalizer.normalize("", null));

        assertTrue(html.getMessage().startsWith("html must not be null"), html.getMessage());
        assertTrue(injection.getMessage().startsWith("injection must not be null"), injection.getMessage());
    }

    @Test
    void removalsAreImmutable() {
        List<Removal> removals = normalize("<base href=/>").removals();

        assertThrows(UnsupportedOperationException.class, () -> removals.add(new Removal("x", "y")));
    }
}
