package dev.vitrine.server;

import dev.vitrine.csp.HeaderSet;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;

/**
 * Serves the in-memory files of one {@link StaticAssets} folder below a path prefix, with
 * a fixed header set and ETag revalidation. Anything not in the folder is a 404.
 */
final class AssetHandler implements HttpHandler {
    private final String prefix;
    private final StaticAssets assets;
    private final HeaderSet headers;
    private final String cacheControl;

    /** Files that may change between releases: revalidated by ETag on every use. */
    AssetHandler(String prefix, StaticAssets assets, HeaderSet headers) {
        this(prefix, assets, headers, "no-cache");
    }

    /** @param cacheControl e.g. {@code public, max-age=31536000, immutable} for content-hashed files */
    AssetHandler(String prefix, StaticAssets assets, HeaderSet headers, String cacheControl) {
        this.prefix = prefix;
        this.assets = assets;
        this.headers = headers;
        this.cacheControl = cacheControl;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String path = exchange.getRelativePath();
        String name = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
        StaticAssets.Asset asset = assets.find(name).orElseThrow(() -> ApiException.notFound("no file at this path"));
        DefaultHeadersHandler.apply(exchange, headers);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl);
        exchange.getResponseHeaders().put(Headers.ETAG, asset.etag());
        if (asset.etag().equals(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH))) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, asset.contentType());
        exchange.getResponseSender().send(ByteBuffer.wrap(asset.body()));
    }
}
