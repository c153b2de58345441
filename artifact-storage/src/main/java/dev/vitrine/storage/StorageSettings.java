package dev.vitrine.storage;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where artifacts are stored. Without a JDBC URL, an embedded SQLite database at
 * {@code <dataDirectory>/vitrine.db} (one process); with a {@code jdbc:postgresql:} URL, a
 * PostgreSQL database shared by many processes. Validated on construction, so a bad setting
 * fails at start-up with the setting's name, not at the first request.
 *
 * <pre>{@code
 * StorageSettings laptop = StorageSettings.embedded(Path.of("data"));
 * StorageSettings cluster = new StorageSettings(Path.of("data"),
 *         Optional.of("jdbc:postgresql://db:5432/vitrine?user=vitrine"));
 * }</pre>
 *
 * @param dataDirectory directory for local files; holds the SQLite database when
 *                      {@code jdbcUrl} is empty, and is created if missing
 * @param jdbcUrl       empty for embedded SQLite, or a URL starting with
 *                      {@value #POSTGRESQL_PREFIX}
 */
public record StorageSettings(Path dataDirectory, Optional<String> jdbcUrl) {

    /** The JDBC URL prefix that selects PostgreSQL. */
    public static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    /** @throws IllegalArgumentException if a field is null or the URL scheme is not supported */
    public StorageSettings {
        if (dataDirectory == null) {
            throw new IllegalArgumentException("dataDirectory must not be null");
        }
        if (jdbcUrl == null) {
            throw new IllegalArgumentException(
                    "jdbcUrl must not be null; use Optional.empty() for embedded SQLite");
        }
        jdbcUrl.ifPresent(StorageSettings::requireSupportedUrl);
    }

    /** Settings for embedded SQLite in {@code dataDirectory}. */
    public static StorageSettings embedded(Path dataDirectory) {
        return new StorageSettings(dataDirectory, Optional.empty());
    }

    private static void requireSupportedUrl(String url) {
        if (url.isBlank()) {
            throw new IllegalArgumentException("jdbcUrl must not be blank; leave it empty for"
                    + " embedded SQLite in dataDirectory, or give a " + POSTGRESQL_PREFIX + " URL");
        }
        if (!url.startsWith(POSTGRESQL_PREFIX)) {
            throw new IllegalArgumentException("jdbcUrl " + UntrustedText.quote(withoutCredentials(url))
                    + " is not supported; supported prefixes: " + POSTGRESQL_PREFIX
                    + " (or no jdbcUrl for embedded SQLite in dataDirectory)");
        }
    }

    /**
     * JDBC URLs often carry a password ({@code ?password=}, {@code ;password=},
     * {@code user:pass@host}) and error messages go to logs, so they show the URL without its
     * parameters or user info.
     */
    static String withoutCredentials(String url) {
        int parameters = indexOfAny(url, '?', ';');
        String withoutParameters = parameters < 0 ? url : url.substring(0, parameters) + "…";
        return withoutParameters.replaceFirst("//[^/@]*@", "//…@");
    }

    private static int indexOfAny(String text, char first, char second) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == first || text.charAt(i) == second) {
                return i;
            }
        }
        return -1;
    }
}
