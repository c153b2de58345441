package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.AuditLog;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox origin's CSP report endpoint: stores each reported violation in the audit trail
 * of the artifact version whose document reported it.
 *
 * <p>Anyone who knows a frame URL can post here, so a report is evidence, not proof, and every
 * step is bounded: the body (64 KB, {@value CspReports#MAX_REPORTS} reports), each stored
 * field's length, the reports taken a second per artifact and for the whole node, and the
 * violations kept per artifact. In order:
 *
 * <ol>
 *   <li>415 {@code unsupported_media_type}, 413 {@code body_too_large}, 400 {@code invalid_utf8},
 *       {@code malformed_json} or {@code invalid_report} ({@link CspReports}): nothing stored;
 *   <li>429 {@code rate_limited} with {@code Retry-After} when the node's or every named
 *       artifact's bucket is empty: nothing stored. Browsers ignore the answer to
 *       {@code report-uri} and back off from a failing {@code report-to} endpoint, which is
 *       what a flood should cause. Reports beyond a partly full bucket are dropped;
 *   <li>reports naming an artifact or version that does not exist are dropped and counted; if
 *       that was every report, 404 {@code not_found};
 *   <li>a violation beyond the artifact's limit is dropped and counted;
 *   <li>otherwise 204.
 * </ol>
 */
final class CspReportHandler implements HttpHandler {
    static final DataSize MAX_BODY = DataSize.ofKilobytes(64);
    private static final Logger log = LoggerFactory.getLogger("dev.vitrine.csp-report");
    private static final Set<String> MEDIA_TYPES = Set.of(CspReports.LEGACY, CspReports.REPORTING_API, CspReports.JSON);
    /** The bucket every report of this node draws from. */
    private static final String NODE = "node";

    private final CspReports reports;
    private final AuditLog audit;
    private final RateLimiter perArtifact;
    private final RateLimiter total;
    private final int maxPerArtifact;
    private final LongAdder unknown = new LongAdder();
    private final LongAdder overLimit = new LongAdder();
    private final LongAdder overRate = new LongAdder();

    CspReportHandler(CspReports reports, AuditLog audit, RateLimiter perArtifact, RateLimiter total, int maxPerArtifact) {
        this.reports = reports;
        this.audit = audit;
        this.perArtifact = perArtifact;
        this.total = total;
        this.maxPerArtifact = maxPerArtifact;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        List<CspReports.Report> parsed = reports.parse(mediaType(exchange), readLimited(exchange));
        List<CspReports.Report> admitted = admit(parsed);
        int recorded = 0;
        int knownArtifact = 0;
        for (CspReports.Report report : admitted) {
            switch (audit.recordViolation(report.artifact(), report.version(), report.violation(), maxPerArtifact)) {
                case RECORDED -> {
                    recorded++;
                    knownArtifact++;
                    log.info("violation by {} v{}: {} blocked {}", report.artifact(), report.version(),
                            LogText.safe(report.violation().directive()), LogText.safe(report.violation().blockedUrl()));
                }
                case LIMIT_REACHED -> {
                    knownArtifact++;
                    overLimit.increment();
                    log.debug("dropped a violation of {}: it holds {} already ({} such drops since start)",
                            report.artifact(), maxPerArtifact, overLimit.sum());
                }
                case UNKNOWN_VERSION -> {
                    unknown.increment();
                    log.debug("dropped a report naming {} v{}, which does not exist ({} such drops since start)",
                            report.artifact(), report.version(), unknown.sum());
                }
            }
        }
        if (knownArtifact == 0) {
            throw ApiException.notFound("no report names an artifact version served here; nothing was stored");
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    /**
     * Takes the node's and each artifact's share of the rate and returns the reports within
     * both. A bucket that can give only part of a batch drops the rest; only when not one report
     * gets through is the request refused with 429, so a browser's batch is never sent twice
     * for what was already stored.
     */
    private List<CspReports.Report> admit(List<CspReports.Report> parsed) {
        int budget = total.acquireUpTo(NODE, parsed.size());
        Map<ArtifactId, List<CspReports.Report>> byArtifact = new LinkedHashMap<>();
        for (CspReports.Report report : parsed) {
            byArtifact.computeIfAbsent(report.artifact(), id -> new ArrayList<>()).add(report);
        }
        List<CspReports.Report> admitted = new ArrayList<>();
        RateLimiter.RateLimitedException firstRefusal = null;
        for (var entry : byArtifact.entrySet()) {
            int wanted = Math.min(entry.getValue().size(), budget - admitted.size());
            if (wanted == 0) {
                break;
            }
            try {
                int granted = perArtifact.acquireUpTo(entry.getKey().value(), wanted);
                admitted.addAll(entry.getValue().subList(0, granted));
            } catch (RateLimiter.RateLimitedException e) {
                firstRefusal = firstRefusal == null ? e : firstRefusal;
            }
        }
        if (admitted.isEmpty() && firstRefusal != null) {
            overRate.add(parsed.size());
            throw firstRefusal;
        }
        overRate.add(parsed.size() - admitted.size());
        if (admitted.size() < parsed.size()) {
            log.debug("dropped {} of {} reports over the rate ({} such drops since start)",
                    parsed.size() - admitted.size(), parsed.size(), overRate.sum());
        }
        return admitted;
    }

    private static String mediaType(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        String mediaType = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPES.contains(mediaType)) {
            throw ApiException.unsupportedMediaType(CspReports.LEGACY + " or " + CspReports.REPORTING_API);
        }
        return mediaType;
    }

    private static byte[] readLimited(HttpServerExchange exchange) {
        if (exchange.getRequestContentLength() > MAX_BODY.bytes()) {
            throw ApiException.payloadTooLarge(MAX_BODY);
        }
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes((int) MAX_BODY.bytes() + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("body_unreadable", "the request body could not be read: the client stopped sending");
        }
        if (body.length > MAX_BODY.bytes()) {
            throw ApiException.payloadTooLarge(MAX_BODY);
        }
        return body;
    }
}
