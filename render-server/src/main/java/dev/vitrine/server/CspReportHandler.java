package dev.vitrine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox origin's CSP report endpoint. Accepts the legacy {@code application/csp-report}
 * body and Reporting API batches ({@code application/reports+json}), at most 64 KB, and logs
 * one line per violation attributed to the artifact and version the document URL names.
 * Reports are written by the hostile artifact's own browser, so every value is treated as
 * untrusted text.
 */
final class CspReportHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger("dev.vitrine.csp-report");
    private static final int MAX_BODY = 64 * 1024;
    private static final Pattern FRAME_PATH = Pattern.compile("/f/([a-z2-7]{26})/(\\d{1,9})");

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/csp-report") && !contentType.startsWith("application/reports+json")
                && !contentType.startsWith("application/json")) {
            throw ApiException.unsupportedMediaType("application/csp-report or application/reports+json");
        }
        if (exchange.getRequestContentLength() > MAX_BODY) {
            throw ApiException.payloadTooLarge(DataSize.ofKilobytes(64));
        }
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw ApiException.payloadTooLarge(DataSize.ofKilobytes(64));
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "a CSP report must be JSON");
        }
        if (root != null && root.isArray()) {
            root.forEach(report -> record(report.path("body"), "documentURL", "effectiveDirective", "blockedURL"));
        } else if (root != null) {
            record(root.path("csp-report"), "document-uri", "effective-directive", "blocked-uri");
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private void record(JsonNode report, String documentField, String directiveField, String blockedField) {
        Matcher frame = FRAME_PATH.matcher(report.path(documentField).asText(""));
        String artifact = frame.find() ? frame.group(1) + " v" + frame.group(2) : "unknown artifact";
        log.info("violation by {}: {} blocked {}", artifact,
                LogText.safe(report.path(directiveField).asText(null)), LogText.safe(report.path(blockedField).asText(null)));
    }
}
