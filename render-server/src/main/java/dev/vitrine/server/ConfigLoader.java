package dev.vitrine.server;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import dev.vitrine.storage.StorageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link ServerConfig} from command-line flags ({@code --sandbox-origin=…}), then
 * environment variables ({@code VITRINE_SANDBOX_ORIGIN}), then a properties file named by
 * {@code --config} or {@code VITRINE_CONFIG}, then defaults, in that order of precedence.
 * Every error names the key, where it came from, and the value.
 */
final class ConfigLoader {

    /** The keys an operator can set, with what each means; the single list docs and errors use. */
    enum Key {
        APP_ORIGIN("app-origin", "public origin of the API and chat page", "http://localhost:8080"),
        SANDBOX_ORIGIN("sandbox-origin", "public origin artifacts are served from (another site)", "http://127.0.0.1:8081"),
        APP_LISTEN("app-listen", "host:port the app listener binds", "127.0.0.1:<app-origin port>"),
        SANDBOX_LISTEN("sandbox-listen", "host:port the sandbox listener binds", "127.0.0.1:<sandbox-origin port>"),
        EMBEDDER_ORIGINS("embedder-origins", "comma-separated chat origins allowed to frame artifacts", "(app-origin only)"),
        DATA_DIR("data-dir", "directory of the embedded SQLite database", "./data"),
        JDBC_URL("jdbc-url", "PostgreSQL JDBC URL for many nodes", "(embedded SQLite)"),
        MAX_BODY_SIZE("max-body-size", "largest API request body", "5MB"),
        API_KEY("api-key", "bearer key of the API, 24+ characters", "(a development key printed at start)"),
        STORAGE_MAX_VALUE("storage-max-value", "largest value window.storage.set accepts", "5MB"),
        STORAGE_QUOTA("storage-quota", "storage per artifact and scope (shared, or one viewer's)", "20MB"),
        STORAGE_MAX_KEYS("storage-max-keys", "keys per artifact and scope", "1000"),
        STORAGE_RATE("storage-rate", "storage calls a second per artifact and viewer", "50"),
        VIEWER_TOKEN_LIFETIME("viewer-token-lifetime", "default lifetime of a viewer token (30m, 12h, 7d)", "12h"),
        AUDIT_RETENTION("audit-retention", "how long audit events are kept (30d, 12h; 0 keeps them forever)", "90d"),
        CSP_REPORT_RATE("csp-report-rate", "CSP violation reports a second per artifact", "10"),
        CSP_REPORT_RATE_TOTAL("csp-report-rate-total", "CSP violation reports a second for all artifacts, per node", "100"),
        CSP_REPORT_MAX("csp-report-max-per-artifact", "CSP violations kept per artifact", "1000"),
        MAX_STREAMS("max-streams", "streamed versions this node reads at once (one per artifact)", "64"),
        STREAM_IDLE_TIMEOUT("stream-idle-timeout", "a stream that sends nothing this long ends, kept as partial", "30s"),
        EVENT_HEARTBEAT("event-heartbeat", "how often an idle event stream gets a comment line", "15s"),
        EVENT_BUFFER("event-buffer", "events kept per artifact for Last-Event-ID resume", "10000"),
        EVENT_BUFFER_SIZE("event-buffer-size", "event data kept per artifact for Last-Event-ID resume", "8MB"),
        EVENT_MAX_LAG("event-max-lag", "event data a slow subscriber may have waiting before it is disconnected", "1MB"),
        CONFIG("config", "properties file with any of these keys", "(none)");

        final String name;
        final String meaning;
        final String defaultValue;

        Key(String name, String meaning, String defaultValue) {
            this.name = name;
            this.meaning = meaning;
            this.defaultValue = defaultValue;
        }

        String environmentVariable() {
            return "VITRINE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }

        static Optional<Key> byName(String name) {
            return Arrays.stream(values()).filter(k -> k.name.equals(name)).findFirst();
        }
    }

    /** A raw value and where it came from, so errors can say which setting to fix. */
    private record Setting(String value, String source) {
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

    private final Map<Key, Setting> settings = new LinkedHashMap<>();

    private ConfigLoader() {
    }

    static ServerConfig load(List<String> flags, Map<String, String> environment) {
        ConfigLoader loader = new ConfigLoader();
        Map<Key, Setting> fromFlags = parseFlags(flags);
        Map<Key, Setting> fromEnvironment = new LinkedHashMap<>();
        for (Key key : Key.values()) {
            String value = environment.get(key.environmentVariable());
            if (value != null) {
                fromEnvironment.put(key, new Setting(value, "environment variable " + key.environmentVariable()));
            }
        }
        Setting file = Optional.ofNullable(fromFlags.get(Key.CONFIG)).orElse(fromEnvironment.get(Key.CONFIG));
        if (file != null) {
            loader.settings.putAll(readFile(file));
        }
        loader.settings.putAll(fromEnvironment);
        loader.settings.putAll(fromFlags);
        return loader.build();
    }

    private ServerConfig build() {
        URI app = get(Key.APP_ORIGIN, ConfigLoader::origin).orElse(ServerConfig.DEFAULT_APP_ORIGIN);
        URI sandbox = get(Key.SANDBOX_ORIGIN, ConfigLoader::origin).orElse(ServerConfig.DEFAULT_SANDBOX_ORIGIN);
        StorageLimits defaults = StorageLimits.defaults();
        try {
            return new ServerConfig(
                    app,
                    sandbox,
                    get(Key.APP_LISTEN, ConfigLoader::socketAddress).orElse(ServerConfig.loopback(app)),
                    get(Key.SANDBOX_LISTEN, ConfigLoader::socketAddress).orElse(ServerConfig.loopback(sandbox)),
                    get(Key.EMBEDDER_ORIGINS, ConfigLoader::origins).orElse(List.of()),
                    get(Key.DATA_DIR, Path::of).orElse(Path.of("data")),
                    get(Key.JDBC_URL, ConfigLoader::jdbcUrl),
                    get(Key.MAX_BODY_SIZE, DataSize::parse).orElse(ServerConfig.DEFAULT_MAX_BODY_SIZE),
                    get(Key.API_KEY, Function.identity()),
                    new StorageLimits(
                            get(Key.STORAGE_MAX_VALUE, DataSize::parse).orElse(DataSize.ofBytes(defaults.maxValueBytes())).bytes(),
                            get(Key.STORAGE_QUOTA, DataSize::parse).orElse(DataSize.ofBytes(defaults.maxScopeBytes())).bytes(),
                            get(Key.STORAGE_MAX_KEYS, ConfigLoader::positiveInt).orElse(defaults.maxKeysPerScope())),
                    get(Key.STORAGE_RATE, ConfigLoader::positiveInt).orElse(ServerConfig.DEFAULT_STORAGE_RATE),
                    get(Key.VIEWER_TOKEN_LIFETIME, ConfigLoader::duration).orElse(ServerConfig.DEFAULT_VIEWER_TOKEN_LIFETIME),
                    new AuditSettings(
                            get(Key.AUDIT_RETENTION, ConfigLoader::retention).orElse(AuditSettings.DEFAULT_RETENTION),
                            get(Key.CSP_REPORT_RATE, ConfigLoader::positiveInt).orElse(AuditSettings.DEFAULT_REPORT_RATE),
                            get(Key.CSP_REPORT_RATE_TOTAL, ConfigLoader::positiveInt).orElse(AuditSettings.DEFAULT_REPORT_RATE_TOTAL),
                            get(Key.CSP_REPORT_MAX, ConfigLoader::positiveInt).orElse(AuditSettings.DEFAULT_MAX_VIOLATIONS)),
                    new StreamSettings(
                            get(Key.MAX_STREAMS, ConfigLoader::positiveInt).orElse(StreamSettings.DEFAULT_MAX_STREAMS),
                            get(Key.STREAM_IDLE_TIMEOUT, ConfigLoader::duration).orElse(StreamSettings.DEFAULT_IDLE_TIMEOUT),
                            StreamSettings.DEFAULT_CHECK_INTERVAL,
                            get(Key.EVENT_HEARTBEAT, ConfigLoader::duration).orElse(StreamSettings.DEFAULT_HEARTBEAT),
                            get(Key.EVENT_BUFFER, ConfigLoader::positiveInt).orElse(StreamSettings.DEFAULT_BUFFER_EVENTS),
                            get(Key.EVENT_BUFFER_SIZE, DataSize::parse).orElse(StreamSettings.DEFAULT_BUFFER_SIZE),
                            get(Key.EVENT_MAX_LAG, DataSize::parse).orElse(StreamSettings.DEFAULT_MAX_LAG)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private <T> Optional<T> get(Key key, Function<String, T> parser) {
        Setting setting = settings.get(key);
        if (setting == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(setting.value().strip()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.name + " (from " + setting.source() + "): " + e.getMessage(), e);
        }
    }

    private static Map<Key, Setting> parseFlags(List<String> flags) {
        Map<Key, Setting> parsed = new LinkedHashMap<>();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            if (!flag.startsWith("--") || eq < 0) {
                throw new ConfigException("'" + flag + "' is not a setting; write --key=value, e.g. --sandbox-origin=http://127.0.0.1:8081");
            }
            String name = flag.substring(2, eq);
            Key key = Key.byName(name).orElseThrow(() -> unknownKey(name, "the command line"));
            parsed.put(key, new Setting(flag.substring(eq + 1), "--" + name));
        }
        return parsed;
    }

    private static Map<Key, Setting> readFile(Setting file) {
        Path path = Path.of(file.value());
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("config (from " + file.source() + "): cannot read " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Map<Key, Setting> parsed = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            Key key = Key.byName(name).filter(k -> k != Key.CONFIG).orElseThrow(() -> unknownKey(name, path.toString()));
            parsed.put(key, new Setting(properties.getProperty(name), path.toString()));
        }
        return parsed;
    }

    private static ConfigException unknownKey(String name, String where) {
        return new ConfigException("unknown setting '" + name + "' in " + where + "; known settings: "
                + String.join(", ", Arrays.stream(Key.values()).map(k -> k.name).toList()));
    }

    private static URI origin(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static List<URI> origins(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(ConfigLoader::origin).toList();
    }

    private static InetSocketAddress socketAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not host:port, e.g. 127.0.0.1:8080");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return new InetSocketAddress(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not host:port with a port from 0 to 65535");
        }
    }

    private static int positiveInt(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the rule
        }
        throw new IllegalArgumentException("'" + text + "' is not a whole number of 1 or more");
    }

    /** Parses {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}, or ISO-8601 such as {@code PT12H}. */
    private static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 30m, 12h or 7d");
        }
    }

    /** A duration as {@link #duration} reads it, or {@code 0} (also {@code none}, {@code forever}) to keep forever. */
    private static Duration retention(String text) {
        if (text.equals("0") || text.equalsIgnoreCase("none") || text.equalsIgnoreCase("forever")) {
            return Duration.ZERO;
        }
        try {
            return duration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ", or 0 to keep events forever");
        }
    }

    private static String jdbcUrl(String text) {
        if (!text.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("'" + text + "' is not supported; give a jdbc:postgresql://host:port/database URL,"
                    + " or leave it unset for embedded SQLite");
        }
        return text;
    }

    /** A configuration error; its message is meant for the operator as it is. */
    static final class ConfigException extends IllegalArgumentException {
        ConfigException(String message) {
            super(message);
        }

        ConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
