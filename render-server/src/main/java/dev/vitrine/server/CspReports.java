package dev.vitrine.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.AuditDetail;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the bodies browsers post to the CSP report endpoint, in both formats, into violations
 * attributed to the artifact version whose frame document reported them:
 *
 * <ul>
 *   <li>{@code report-uri}: {@code application/csp-report}, one {@code {"csp-report": {...}}}
 *       with hyphenated fields ({@code document-uri}, {@code effective-directive}, …);
 *   <li>{@code report-to}: {@code application/reports+json}, an array of Reporting API reports
 *       of which those with {@code "type": "csp-violation"} count ({@code body.documentURL},
 *       {@code body.effectiveDirective}, …); other report types are skipped.
 * </ul>
 *
 * {@code application/json} is taken in either shape. Every report must name a document at
 * {@code /f/{id}/{version}} on this sandbox origin (the only documents whose policy names the
 * endpoint) and its directive; anything else, or a wrong JSON type, refuses the whole body with
 * 400 {@code invalid_report}, so a body is stored entirely or not at all. Whether the artifact
 * version exists is for the caller to check. Text fields are cut to the storage limits
 * ({@link AuditDetail.Violation#truncating}); messages never echo the body.
 *
 * <pre>{@code
 * CspReports reports = new CspReports(URI.create("http://127.0.0.1:8081"));
 * List<CspReports.Report> parsed = reports.parse("application/csp-report", body);
 * }</pre>
 */
final class CspReports {
    /** Most reports one body may carry; Chromium sends far fewer per batch. */
    static final int MAX_REPORTS = 100;
    static final String LEGACY = "application/csp-report";
    static final String REPORTING_API = "application/reports+json";
    static final String JSON = "application/json";

    /** One violation and the artifact version whose document reported it. */
    record Report(ArtifactId artifact, int version, AuditDetail.Violation violation) {
    }

    /** The field names of one report format. */
    private record Fields(String document, String directive, String violatedDirective, String blocked, String source,
                          String line, String column, String sample) {
    }

    private static final Fields LEGACY_FIELDS = new Fields("document-uri", "effective-directive", "violated-directive",
            "blocked-uri", "source-file", "line-number", "column-number", "script-sample");
    private static final Fields REPORTING_FIELDS = new Fields("documentURL", "effectiveDirective", null,
            "blockedURL", "sourceFile", "lineNumber", "columnNumber", "sample");

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final URI sandboxOrigin;

    CspReports(URI sandboxOrigin) {
        this.sandboxOrigin = sandboxOrigin;
    }

    /**
     * @param mediaType the request's media type, lowercase, without parameters: one of
     *                  {@value #LEGACY}, {@value #REPORTING_API}, {@value #JSON}
     * @return at least one report, at most {@value #MAX_REPORTS}
     * @throws ApiException 400 {@code invalid_utf8}, {@code malformed_json} or {@code invalid_report}
     */
    List<Report> parse(String mediaType, byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(JsonCodec.decodeUtf8(body));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", "a CSP report must be JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw ApiException.badRequest("malformed_json", "the report body is empty");
        }
        boolean legacy = root.isObject() && !mediaType.equals(REPORTING_API);
        boolean reportingApi = root.isArray() && !mediaType.equals(LEGACY);
        if (legacy) {
            JsonNode report = root.get("csp-report");
            if (report == null || !report.isObject()) {
                throw invalid("a " + LEGACY + " body is {\"csp-report\": {...}}");
            }
            return List.of(report(report, LEGACY_FIELDS, Optional.empty(), "the report"));
        }
        if (!reportingApi) {
            throw invalid(mediaType.equals(LEGACY) ? "a " + LEGACY + " body is {\"csp-report\": {...}}"
                    : "a " + REPORTING_API + " body is an array of reports");
        }
        if (root.size() > MAX_REPORTS) {
            throw invalid("at most " + MAX_REPORTS + " reports per request; this one has " + root.size());
        }
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            String where = "report " + i;
            if (!entry.isObject()) {
                throw invalid(where + " is not an object");
            }
            if (!"csp-violation".equals(text(entry, "type", where).orElse(null))) {
                continue; // another report type sent to this endpoint: not ours to keep
            }
            JsonNode violation = entry.get("body");
            if (violation == null || !violation.isObject()) {
                throw invalid(where + " has no 'body' object");
            }
            reports.add(report(violation, REPORTING_FIELDS, text(entry, "url", where), where));
        }
        if (reports.isEmpty()) {
            throw invalid("the body holds no report of type 'csp-violation'");
        }
        return List.copyOf(reports);
    }

    private Report report(JsonNode report, Fields fields, Optional<String> fallbackDocument, String where) {
        String document = text(report, fields.document(), where).or(() -> fallbackDocument)
                .orElseThrow(() -> invalid(where + " has no '" + fields.document() + "'"));
        Optional<String> directive = text(report, fields.directive(), where);
        if (directive.isEmpty() && fields.violatedDirective() != null) {
            // Browsers from before CSP level 3 name only the violated directive, with its sources.
            directive = text(report, fields.violatedDirective(), where).map(d -> d.strip().split("\\s+")[0]);
        }
        String effective = directive.filter(d -> !d.isBlank())
                .orElseThrow(() -> invalid(where + " has no '" + fields.directive() + "'"));
        Frame frame = frame(document).orElseThrow(() -> invalid(where + ": '" + fields.document()
                + "' is not the URL of an artifact frame (" + FramePaths.FRAME_PREFIX + "{id}/{version}) on this sandbox origin"));
        AuditDetail.Violation violation = AuditDetail.Violation.truncating(effective,
                text(report, fields.blocked(), where).orElse(""),
                text(report, fields.source(), where).orElse(""),
                number(report, fields.line(), where),
                number(report, fields.column(), where),
                text(report, fields.sample(), where).orElse(""));
        return new Report(frame.artifact(), frame.version(), violation);
    }

    private record Frame(ArtifactId artifact, int version) {
    }

    /** The artifact version a frame URL on this sandbox origin names, parsed as {@link FrameHandler} does. */
    private Optional<Frame> frame(String documentUrl) {
        URI document;
        try {
            document = new URI(documentUrl);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!sameOrigin(document) || document.getRawPath() == null || !document.getRawPath().startsWith(FramePaths.FRAME_PREFIX)) {
            return Optional.empty();
        }
        String[] segments = document.getRawPath().substring(FramePaths.FRAME_PREFIX.length()).split("/", -1);
        if (segments.length != 2) {
            return Optional.empty();
        }
        Optional<ArtifactId> id = FrameHandler.parseId(segments[0]);
        Optional<Integer> version = FrameHandler.parseNumber(segments[1]).filter(n -> n >= 1);
        if (id.isEmpty() || version.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Frame(id.get(), version.get()));
    }

    private boolean sameOrigin(URI document) {
        return document.getScheme() != null && document.getHost() != null
                && document.getScheme().toLowerCase(Locale.ROOT).equals(sandboxOrigin.getScheme())
                && document.getHost().toLowerCase(Locale.ROOT).equals(sandboxOrigin.getHost().toLowerCase(Locale.ROOT))
                && ServerConfig.port(document) == ServerConfig.port(sandboxOrigin);
    }

    /** A string field; absent or null is empty, any other JSON type is refused. */
    private static Optional<String> text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(where + ": '" + field + "' must be a string");
        }
        return Optional.of(value.textValue());
    }

    /** A whole-number field; absent or null is 0, any other JSON type is refused. */
    private static long number(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber()) {
            throw invalid(where + ": '" + field + "' must be a whole number");
        }
        if (value.canConvertToLong()) {
            return value.longValue();
        }
        return value.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_report", message);
    }
}
