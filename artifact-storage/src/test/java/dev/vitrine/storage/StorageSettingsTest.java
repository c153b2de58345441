package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {

    private static final Path DATA = Path.of("data");

    @Test
    void embeddedSettingsHaveNoJdbcUrl() {
        assertEquals(new StorageSettings(DATA, Optional.empty()), StorageSettings.embedded(DATA));
    }

    @Test
    void aPostgresqlUrlIsAccepted() {
        String url = "jdbc:postgresql://db:5432/vitrine?user=vitrine";

        assertEquals(Optional.of(url), new StorageSettings(DATA, Optional.of(url)).jdbcUrl());
    }

    @Test
    void anUnsupportedSchemeIsRejectedNamingTheValueAndTheSupportedPrefixes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StorageSettings(DATA, Optional.of("jdbc:mysql://db/vitrine")));

        assertEquals("jdbcUrl \"jdbc:mysql://db/vitrine\" is not supported; supported prefixes: jdbc:postgresql:"
                + " (or no jdbcUrl for embedded SQLite in dataDirectory)", e.getMessage());
    }

    @Test
    void theRejectedUrlIsShownWithoutItsCredentials() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StorageSettings(DATA, Optional.of("jdbc:mysql://admin:hunter2@db/vitrine?password=hunter2")));

        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals("jdbcUrl \"jdbc:mysql://…@db/vitrine…\" is not supported; supported prefixes:"
                + " jdbc:postgresql: (or no jdbcUrl for embedded SQLite in dataDirectory)", e.getMessage());
    }

    @Test
    void anSqliteJdbcUrlIsRejectedBecauseEmbeddedSqliteIsChosenByLeavingItEmpty() {
        assertThrows(IllegalArgumentException.class,
                () -> new StorageSettings(DATA, Optional.of("jdbc:sqlite:/tmp/x.db")));
    }

    @Test
    void aBlankUrlIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StorageSettings(DATA, Optional.of(" ")));
        assertEquals("jdbcUrl must not be blank; leave it empty for embedded SQLite in dataDirectory,"
                + " or give a jdbc:postgresql: URL", e.getMessage());
    }

    @Test
    void nullFieldsAreRejectedByName() {
        IllegalArgumentException noDirectory = assertThrows(IllegalArgumentException.class,
                () -> new StorageSettings(null, Optional.empty()));
        assertEquals("dataDirectory must not be null", noDirectory.getMessage());
        IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class,
                () -> new StorageSettings(DATA, null));
        assertEquals("jdbcUrl must not be null; use Optional.empty() for embedded SQLite", noUrl.getMessage());
    }
}
