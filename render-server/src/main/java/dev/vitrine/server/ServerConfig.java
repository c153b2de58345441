package dev.vitrine.server;

import java.net.InetSocketAddress;
import java.net.URI;
import dev.vitrine.storage.StorageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a Vitrine process needs to know, validated once. Origins are the public
 * URLs browsers see (a TLS proxy may stand in front); listen addresses are where the
 * process binds. An origin with port 0 takes the port the listener was given, which is
 * how tests run on free ports.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.defaults()
 *         .withOrigins(URI.create("http://localhost:0"), URI.create("http://127.0.0.1:0"));
 * }</pre>
 *
 * @param appOrigin       origin of the API, the chat page and the embed SDK
 * @param sandboxOrigin   origin every artifact is served from; must be another site
 * @param appListen       where the app origin's listener binds
 * @param sandboxListen   where the sandbox origin's listener binds
 * @param embedderOrigins further chat origins allowed to frame artifacts (the app origin always is)
 * @param dataDirectory   where the embedded database lives
 * @param jdbcUrl         a PostgreSQL URL for many nodes; empty means embedded SQLite
 * @param maxBodySize     largest request body the API accepts
 * @param apiKey          bearer key of the API; empty means a development key is made at start
 * @param storageLimits   per-value, per-scope and key-count limits of artifact storage
 * @param storageRate     storage calls a second allowed per artifact and viewer (bursts of twice that)
 * @param viewerTokenLifetime how long a viewer token minted without an explicit lifetime works
 * @param audit           audit-trail retention and the limits on CSP violation reports
 * @param streams         limits of streamed versions and of the event streams that carry them
 */
public record ServerConfig(
        URI appOrigin,
        URI sandboxOrigin,
        InetSocketAddress appListen,
        InetSocketAddress sandboxListen,
        List<URI> embedderOrigins,
        Path dataDirectory,
        Optional<String> jdbcUrl,
        DataSize maxBodySize,
        Optional<String> apiKey,
        StorageLimits storageLimits,
        int storageRate,
        Duration viewerTokenLifetime,
        AuditSettings audit,
        StreamSettings streams) {

    static final URI DEFAULT_APP_ORIGIN = URI.create("http://localhost:8080");
    static final URI DEFAULT_SANDBOX_ORIGIN = URI.create("http://127.0.0.1:8081");
    static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofMegabytes(5);
    static final int DEFAULT_STORAGE_RATE = 50;
    static final Duration DEFAULT_VIEWER_TOKEN_LIFETIME = Duration.ofHours(12);
    private static final int MIN_API_KEY_LENGTH = 24;

    public ServerConfig {
        requireOrigin("app-origin", appOrigin);
        requireOrigin("sandbox-origin", sandboxOrigin);
        Objects.requireNonNull(appListen, "app-listen");
        Objects.requireNonNull(sandboxListen, "sandbox-listen");
        embedderOrigins = List.copyOf(embedderOrigins);
        embedderOrigins.forEach(origin -> requireOrigin("embedder-origins", origin));
        Objects.requireNonNull(dataDirectory, "data-dir");
        Objects.requireNonNull(jdbcUrl, "jdbc-url");
        Objects.requireNonNull(maxBodySize, "max-body-size");
        Objects.requireNonNull(apiKey, "api-key");
        Objects.requireNonNull(storageLimits, "storage limits");
        Objects.requireNonNull(audit, "audit settings");
        Objects.requireNonNull(streams, "stream settings");
        if (storageRate < 1) {
            throw new IllegalArgumentException("storage-rate: " + storageRate + " must be at least 1 call a second");
        }
        if (viewerTokenLifetime.isNegative() || viewerTokenLifetime.isZero()
                || viewerTokenLifetime.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("viewer-token-lifetime: " + viewerTokenLifetime + " must be above zero and at most 7 days");
        }
        if (site(appOrigin).equals(site(sandboxOrigin))) {
            throw new IllegalArgumentException("app-origin " + appOrigin + " and sandbox-origin " + sandboxOrigin
                    + " are the same site (" + site(appOrigin) + "); Chromium may share a process between same-site"
                    + " pages, so the sandbox must be another site, e.g. http://localhost:8080 and http://127.0.0.1:8081");
        }
        for (URI embedder : embedderOrigins) {
            if (site(embedder).equals(site(sandboxOrigin))) {
                throw new IllegalArgumentException("embedder-origins: " + embedder
                        + " is the same site as sandbox-origin " + sandboxOrigin);
            }
        }
        if (appListen.getPort() != 0 && appListen.equals(sandboxListen)) {
            throw new IllegalArgumentException("app-listen and sandbox-listen are both " + appListen);
        }
        if (maxBodySize.bytes() < 1024) {
            throw new IllegalArgumentException("max-body-size: " + maxBodySize + " is below the 1KB minimum");
        }
        apiKey.ifPresent(key -> {
            if (key.length() < MIN_API_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("api-key: must be at least " + MIN_API_KEY_LENGTH
                        + " printable ASCII characters without spaces");
            }
        });
    }

    /** The defaults of {@code ./vitrine serve}: two loopback origins that are cross-site. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_APP_ORIGIN, DEFAULT_SANDBOX_ORIGIN,
                loopback(DEFAULT_APP_ORIGIN), loopback(DEFAULT_SANDBOX_ORIGIN), List.of(),
                Path.of("data"), Optional.empty(), DEFAULT_MAX_BODY_SIZE, Optional.empty(),
                StorageLimits.defaults(), DEFAULT_STORAGE_RATE, DEFAULT_VIEWER_TOKEN_LIFETIME, AuditSettings.defaults(),
                StreamSettings.defaults());
    }

    /** Both origins, with listeners on loopback at the origins' ports. */
    public ServerConfig withOrigins(URI app, URI sandbox) {
        return withOrigins(app, sandbox, loopback(app), loopback(sandbox));
    }

    /** Both origins and where their listeners bind, as behind a TLS proxy. */
    public ServerConfig withOrigins(URI app, URI sandbox, InetSocketAddress appListenAt, InetSocketAddress sandboxListenAt) {
        return new ServerConfig(app, sandbox, appListenAt, sandboxListenAt, embedderOrigins,
                dataDirectory, jdbcUrl, maxBodySize, apiKey, storageLimits, storageRate, viewerTokenLifetime, audit, streams);
    }

    public ServerConfig withEmbedderOrigins(List<URI> origins) {
        return new ServerConfig(appOrigin, sandboxOrigin, appListen, sandboxListen, origins,
                dataDirectory, jdbcUrl, maxBodySize, apiKey, storageLimits, storageRate, viewerTokenLifetime, audit, streams);
    }

    public ServerConfig withDataDirectory(Path directory) {
        return new ServerConfig(appOrigin, sandboxOrigin, appListen, sandboxListen, embedderOrigins,
                directory, jdbcUrl, maxBodySize, apiKey, storageLimits, storageRate, viewerTokenLifetime, audit, streams);
    }

    public ServerConfig withMaxBodySize(DataSize size) {
        return new ServerConfig(appOrigin, sandboxOrigin, appListen, sandboxListen, embedderOrigins,
                dataDirectory, jdbcUrl, size, apiKey, storageLimits, storageRate, viewerTokenLifetime, audit, streams);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(appOrigin, sandboxOrigin, appListen, sandboxListen, embedderOrigins,
                dataDirectory, jdbcUrl, maxBodySize, Optional.of(key), storageLimits, storageRate, viewerTokenLifetime, audit, streams);
    }

    public ServerConfig withStorage(StorageLimits limits, int ratePerSecond) {
        return new ServerConfig(appOrigin, sandboxOrigin, appListen, sandboxListen, embedderOrigins,
                dataDirectory, jdbcUrl, maxBodySize, apiKey, limits, ratePerSecond, viewerTokenLifetime, audit, streams);
    }

    public ServerConfig withJdbcUrl(String url) {
        return new ServerConfig(appOrigin, sandboxOrigin, appListen, sandboxListen, embedderOrigins,
                dataDirectory, Optional.of(url), maxBodySize, apiKey, storageLimits, storageRate, viewerTokenLifetime, audit, streams);
    }

    public ServerConfig withAudit(AuditSettings settings) {
        return new ServerConfig(appOrigin, sandboxOrigin, appListen, sandboxListen, embedderOrigins,
                dataDirectory, jdbcUrl, maxBodySize, apiKey, storageLimits, storageRate, viewerTokenLifetime, settings, streams);
    }

    public ServerConfig withStreams(StreamSettings settings) {
        return new ServerConfig(appOrigin, sandboxOrigin, appListen, sandboxListen, embedderOrigins,
                dataDirectory, jdbcUrl, maxBodySize, apiKey, storageLimits, storageRate, viewerTokenLifetime, audit, settings);
    }

    /** Every origin allowed to frame an artifact: the app origin, then the configured embedders. */
    public List<URI> frameAncestors() {
        List<URI> all = new ArrayList<>();
        all.add(appOrigin);
        embedderOrigins.stream().filter(o -> !o.equals(appOrigin)).forEach(all::add);
        return List.copyOf(all);
    }

    static InetSocketAddress loopback(URI origin) {
        return new InetSocketAddress("127.0.0.1", port(origin));
    }

    static int port(URI origin) {
        if (origin.getPort() >= 0) {
            return origin.getPort();
        }
        return "https".equals(origin.getScheme()) ? 443 : 80;
    }

    /**
     * The site of an origin as a browser groups processes: scheme plus registrable domain.
     * Without a public-suffix list the registrable domain is taken as the last two labels,
     * which can only call two origins the same site when they are not (safe direction).
     */
    static String site(URI origin) {
        String host = origin.getHost().toLowerCase(Locale.ROOT);
        String domain;
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            domain = "localhost";
        } else if (host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            domain = host;
        } else {
            String[] labels = host.split("\\.");
            domain = labels.length <= 2 ? host : labels[labels.length - 2] + "." + labels[labels.length - 1];
        }
        return origin.getScheme() + "://" + domain;
    }

    private static void requireOrigin(String key, URI origin) {
        Objects.requireNonNull(origin, key);
        boolean ok = ("http".equals(origin.getScheme()) || "https".equals(origin.getScheme()))
                && origin.getHost() != null
                && origin.getUserInfo() == null
                && (origin.getRawPath() == null || origin.getRawPath().isEmpty())
                && origin.getRawQuery() == null
                && origin.getRawFragment() == null;
        if (!ok) {
            throw new IllegalArgumentException(key + ": '" + origin
                    + "' is not an origin; write scheme, host and optional port only, e.g. http://127.0.0.1:8081");
        }
    }
}
