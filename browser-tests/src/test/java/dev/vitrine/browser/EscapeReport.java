package dev.vitrine.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrine.browser.EscapeVector.Detector;
import dev.vitrine.browser.VectorResult.Finding;
import dev.vitrine.browser.VectorResult.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an escape lab run as {@code report.json} and a self-contained {@code report.html}
 * (inline CSS, no script, no external resource; screenshots are linked as files next to it).
 * Everything an artifact could influence is escaped: payloads, console lines and URLs are
 * hostile text.
 */
final class EscapeReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param target what was attacked, e.g. {@code in-process Vitrine at http://localhost:41234}
     * @param browser the lab's Chromium user agent
     */
    record Run(String target, String browser, Instant finishedAt, List<VectorResult> results) {
        Map<Verdict, Long> counts() {
            Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
            for (Verdict verdict : Verdict.values()) {
                counts.put(verdict, results.stream().filter(r -> r.verdict() == verdict).count());
            }
            return counts;
        }
    }

    private EscapeReport() {
    }

    /** Writes both files into {@code directory} (created if missing) and returns the HTML file. */
    static Path write(Run run, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("report.json"), JSON.writeValueAsString(json(run)), StandardCharsets.UTF_8);
            Path html = directory.resolve("report.html");
            Files.writeString(html, html(run), StandardCharsets.UTF_8);
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the escape lab report into " + directory, e);
        }
    }

    static ObjectNode json(Run run) {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", run.target());
        root.put("browser", run.browser());
        root.put("finishedAt", run.finishedAt().toString());
        ObjectNode summary = root.putObject("summary");
        run.counts().forEach((verdict, count) -> summary.put(verdict.label, count));
        ObjectNode detectors = root.putObject("detectors");
        for (Detector detector : Detector.values()) {
            detectors.put(detector.wireName, detector.meaning);
        }
        ArrayNode vectors = root.putArray("vectors");
        for (VectorResult result : run.results()) {
            ObjectNode vector = vectors.addObject();
            EscapeVector v = result.vector();
            vector.put("id", v.id());
            vector.put("category", v.category());
            vector.put("title", v.title());
            vector.put("type", v.type());
            vector.put("open", v.open().wireName);
            vector.put("expected", v.expected().wireName);
            vector.put("verdict", result.verdict().label);
            vector.put("asExpected", result.asRequired());
            vector.put("marker", result.marker());
            vector.put("artifactId", result.artifactId());
            vector.put("millis", result.millis());
            ArrayNode detect = vector.putArray("detect");
            v.detect().stream().map(d -> d.wireName).sorted().forEach(detect::add);
            ArrayNode findings = vector.putArray("findings");
            for (Finding finding : result.findings()) {
                findings.addObject().put("detector", finding.detector().wireName).put("detail", finding.detail());
            }
            ObjectNode evidence = vector.putObject("evidence");
            evidence.put("refusal", result.evidence().refusal());
            result.evidence().canary().forEach(evidence.putArray("canary")::add);
            result.evidence().blocked().forEach(evidence.putArray("blocked")::add);
            result.evidence().console().forEach(evidence.putArray("console")::add);
            result.evidence().messages().forEach(evidence.putArray("messages")::add);
            vector.put("problem", result.problem());
            vector.put("screenshot", result.screenshot());
            v.references().forEach(vector.putArray("references")::add);
            vector.put("notes", v.notes());
        }
        return root;
    }

    static String html(Run run) {
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Vitrine escape lab report</title>
                <style>
                body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2430;background:#fff}
                h1{font-size:1.4rem;margin:0 0 .3rem}
                .meta{color:#5b6270}
                table{border-collapse:collapse;width:100%;margin-top:1rem}
                th,td{border-bottom:1px solid #e3e6ec;padding:.35rem .5rem;text-align:left;vertical-align:top}
                th{background:#f5f6f9;position:sticky;top:0}
                .v{font-weight:600;white-space:nowrap;border-radius:4px;padding:.05rem .4rem}
                .blocked{background:#e3f5e8;color:#14622f}
                .leaked{background:#fde2e1;color:#9b1c14}
                .known-browser-limit{background:#fff1d6;color:#8a5200}
                .known-limit-not-reproduced{background:#e6ecff;color:#24408e}
                .did-not-run{background:#eee;color:#444}
                details{margin:.2rem 0}
                summary{cursor:pointer;color:#3450d8}
                pre{white-space:pre-wrap;word-break:break-all;background:#f7f7f9;padding:.4rem;margin:.2rem 0;font-size:12px}
                ul{margin:.2rem 0;padding-left:1.2rem}
                .counts span{margin-right:1rem}
                </style></head><body>
                """);
        out.append("<h1>Vitrine escape lab</h1>\n<p class=\"meta\">")
                .append(escape(run.target())).append("<br>").append(escape(run.browser())).append("<br>finished ")
                .append(escape(run.finishedAt().toString())).append("</p>\n<p class=\"counts\">");
        run.counts().forEach((verdict, count) -> out.append("<span><span class=\"v ").append(cssClass(verdict)).append("\">")
                .append(escape(verdict.label)).append("</span> ").append(count).append("</span>"));
        out.append("</p>\n<p class=\"meta\">A <em>known browser limit</em> is a leak the browser allows and Vitrine cannot close;"
                + " it is listed as a leak with the reason. Evidence shows the lab's secrets by name, never their value.</p>\n");
        out.append("<table><thead><tr><th>#</th><th>vector</th><th>verdict</th><th>what the lab saw</th><th>chat page</th></tr></thead><tbody>\n");
        int row = 0;
        for (VectorResult result : run.results()) {
            EscapeVector v = result.vector();
            out.append("<tr id=\"").append(escape(v.id())).append("\"><td>").append(++row).append("</td><td><strong>")
                    .append(escape(v.id())).append("</strong><br>").append(escape(v.title())).append("<br><span class=\"meta\">")
                    .append(escape(v.type())).append(v.open() == EscapeVector.Opening.DIRECT ? ", opened directly" : ", in the chat page")
                    .append(" · expected ").append(escape(v.expected().wireName)).append("</span></td><td><span class=\"v ")
                    .append(cssClass(result.verdict())).append("\">").append(escape(result.verdict().label)).append("</span>");
            if (!result.asRequired()) {
                out.append("<br><strong>not as expected</strong>");
            }
            out.append("</td><td>");
            if (result.verdict() == Verdict.KNOWN_LIMIT) {
                out.append("<p><strong>Leaks: a browser limit.</strong> ").append(escape(v.notes())).append("</p>");
            }
            if (result.verdict() == Verdict.LIMIT_NOT_REPRODUCED) {
                out.append("<p>Catalogued as a browser limit, but nothing was detected in this run:"
                        + " if it stays so, the browser closed it; update the catalogue.</p>");
            }
            if (result.problem() != null) {
                out.append("<p><strong>Proved nothing:</strong> ").append(escape(result.problem())).append("</p>");
            }
            list(out, "got out", result.findings().stream().map(f -> f.detector().wireName + ": " + f.detail()).toList());
            if (result.evidence().refusal() != null) {
                list(out, "refused by the API", List.of(result.evidence().refusal()));
            }
            list(out, "canary", result.evidence().canary());
            list(out, "blocked by CSP (frame reports)", result.evidence().blocked());
            details(out, "console (" + result.evidence().console().size() + ")", result.evidence().console());
            details(out, "other messages to the chat page (" + result.evidence().messages().size() + ")", result.evidence().messages());
            out.append("<details><summary>vector</summary><p>").append(escape(v.notes())).append("</p><p class=\"meta\">detect: ")
                    .append(escape(String.join(", ", v.detect().stream().map(d -> d.wireName).sorted().toList())))
                    .append(" · marker ").append(escape(result.marker())).append(" · ").append(result.millis()).append(" ms</p><pre>")
                    .append(escape(v.payload())).append("</pre><ul>");
            for (String reference : v.references()) {
                out.append("<li>").append(escape(reference)).append("</li>");
            }
            out.append("</ul></details></td><td>");
            if (result.screenshot() != null) {
                out.append("<a href=\"").append(escape(result.screenshot())).append("\">screenshot</a>");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody></table>\n<h2>Detectors</h2><ul>");
        for (Detector detector : Detector.values()) {
            out.append("<li><code>").append(detector.wireName).append("</code>: ").append(escape(detector.meaning)).append("</li>");
        }
        out.append("</ul>\n</body></html>\n");
        return out.toString();
    }

    private static void list(StringBuilder out, String heading, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.append("<div>").append(escape(heading)).append(":<ul>");
        for (String line : lines) {
            out.append("<li><code>").append(escape(line)).append("</code></li>");
        }
        out.append("</ul></div>");
    }

    private static void details(StringBuilder out, String heading, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.append("<details><summary>").append(escape(heading)).append("</summary><pre>")
                .append(escape(String.join("\n", lines))).append("</pre></details>");
    }

    private static String cssClass(Verdict verdict) {
        return verdict.label.replace(' ', '-');
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
