package dev.vitrine.server;

import dev.vitrine.csp.AppPageHeaders;
import dev.vitrine.csp.ContentSecurityPolicy;
import dev.vitrine.csp.Directive;
import dev.vitrine.csp.Header;
import dev.vitrine.csp.HeaderSet;
import dev.vitrine.csp.NonceGenerator;
import dev.vitrine.csp.SandboxHeaders;
import dev.vitrine.csp.SandboxSettings;
import dev.vitrine.csp.SourceExpression;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.storage.ArtifactStore;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.PathHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/** Builds the handler trees of the two origins from their parts. */
final class Origins {
    static final String STATIC_ROOT = "dev/vitrine/static/";

    private Origins() {
    }

    /**
     * The app origin: chat page, its static files, {@code /healthz}, the API-key-protected API
     * under {@code /v1}, and the viewer-token routes under {@code /v1/viewer} that embedding
     * pages call across origins. The stream and event routes come first and do not block
     * ({@link StreamApi#routes}); everything else runs on a worker in blocking mode, except the
     * demo replay, which hands itself to a thread of its own ({@link DemoApi}).
     */
    static HttpHandler app(URI sandboxOrigin, List<URI> embedders, String apiKey, ArtifactApi api, StorageApi storage,
                           AuditApi audit, StreamApi streams, DemoApi demo, JsonCodec json, SecureRandom random) {
        StaticAssets assets = StaticAssets.load(STATIC_ROOT + "app");
        AppPageHeaders pageHeaders = AppPageHeaders.create(FramePaths.framePrefix(sandboxOrigin));
        String template = new String(assets.find("index.html").orElseThrow().body(), StandardCharsets.UTF_8);

        RoutingHandler pages = Handlers.routing()
                .get("/", new ChatPageHandler(template, pageHeaders, new NonceGenerator(random)))
                .get("/healthz", exchange -> json.send(exchange, 200, Map.of("status", "ok")))
                .get("/static/*", new AssetHandler("/static/", assets, pageHeaders.forAsset()));
        rejectUnknown(pages);
        RoutingHandler backend = Handlers.routing();
        api.addRoutes(backend);
        storage.addBackendRoutes(backend);
        audit.addRoutes(backend);
        streams.addRoutes(backend);
        demo.addRoutes(backend);
        rejectUnknown(backend);
        RoutingHandler viewer = Handlers.routing();
        storage.addViewerRoutes(viewer);
        rejectUnknown(viewer);
        PathHandler paths = Handlers.path(pages)
                .addPrefixPath("/v1/viewer", new CorsHandler(embedders, viewer))
                .addPrefixPath("/v1", new BearerAuthHandler(apiKey, backend));

        HeaderSet apiDefaults = pageHeaders.forAsset()
                .with(new Header("Content-Security-Policy", ContentSecurityPolicy.builder()
                        .add(Directive.DEFAULT_SRC, SourceExpression.none())
                        .add(Directive.FRAME_ANCESTORS, SourceExpression.none())
                        .build().render()))
                .with(new Header("Cache-Control", "no-store"));
        return new DefaultHeadersHandler(apiDefaults,
                streams.routes(apiKey, json, new BlockingHandler(new ErrorHandler(json, paths))));
    }

    /** The sandbox origin: artifact documents, Vitrine's runtime files, the CSP report endpoint and {@code /healthz}. */
    static HttpHandler sandbox(SandboxSettings settings, ArtifactStore store, FrameRenderer renderer, StreamDrafts drafts, CspReportHandler reports,
                               JsonCodec json) {
        StaticAssets runtime = StaticAssets.load(STATIC_ROOT + "frame");
        StaticAssets vendor = StaticAssets.load(STATIC_ROOT + "vendor");
        RoutingHandler routes = Handlers.routing()
                .get(FramePaths.FRAME_PREFIX + "{id}/{version}", new FrameHandler(store, renderer))
                .get(FramePaths.FRAME_PREFIX + "{id}/live/{version}", new DraftFrameHandler(drafts, renderer))
                .get(FramePaths.COMPONENT_PREFIX + "{id}/{file}", new ComponentHandler(store, renderer, SandboxHeaders.resource(settings)))
                .get(FramePaths.VENDOR_PREFIX + "*", new AssetHandler(FramePaths.VENDOR_PREFIX, vendor, SandboxHeaders.resource(settings),
                        "public, max-age=31536000, immutable"))
                .post(FramePaths.REPORT_PATH, reports)
                .get(FramePaths.RUNTIME_PREFIX + "*", new AssetHandler(FramePaths.RUNTIME_PREFIX, runtime, SandboxHeaders.resource(settings)))
                .get("/healthz", exchange -> json.send(exchange, 200, Map.of("status", "ok")));
        rejectUnknown(routes);
        return new DefaultHeadersHandler(SandboxHeaders.lockedDown(settings), new BlockingHandler(new ErrorHandler(json, routes)));
    }

    private static void rejectUnknown(RoutingHandler routes) {
        routes.setFallbackHandler(exchange -> {
            throw ApiException.notFound("nothing at this path");
        });
        routes.setInvalidMethodHandler(exchange -> {
            throw ApiException.methodNotAllowed();
        });
    }
}
