package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void defaultsAreTwoCrossSiteLoopbackOrigins() {
        ServerConfig config = ConfigLoader.load(List.of(), Map.of());
        assertEquals(URI.create("http://localhost:8080"), config.appOrigin());
        assertEquals(URI.create("http://127.0.0.1:8081"), config.sandboxOrigin());
        assertEquals(8081, config.sandboxListen().getPort());
        assertEquals(DataSize.ofMegabytes(5), config.maxBodySize());
        assertEquals(List.of(URI.create("http://localhost:8080")), config.frameAncestors());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vitrine.properties");
        Files.writeString(file, "max-body-size=1MB\ndata-dir=/from/file\nembedder-origins=https://chat.example.com\n");
        ServerConfig config = ConfigLoader.load(
                List.of("--config=" + file, "--max-body-size=3MB"),
                Map.of("VITRINE_MAX_BODY_SIZE", "2MB", "VITRINE_DATA_DIR", "/from/env"));
        assertEquals(DataSize.ofMegabytes(3), config.maxBodySize());
        assertEquals(Path.of("/from/env"), config.dataDirectory());
        assertEquals(List.of(URI.create("http://localhost:8080"), URI.create("https://chat.example.com")), config.frameAncestors());
    }

    @Test
    void streamSettingsAreReadWithTheirDefaults() {
        StreamSettings defaults = ConfigLoader.load(List.of(), Map.of()).streams();
        assertEquals(StreamSettings.defaults(), defaults);
        StreamSettings set = ConfigLoader.load(List.of("--max-streams=8", "--stream-idle-timeout=10s", "--event-heartbeat=5s",
                "--event-buffer=500", "--event-buffer-size=2MB", "--event-max-lag=512KB"), Map.of()).streams();
        assertEquals(new StreamSettings(8, Duration.ofSeconds(10), StreamSettings.DEFAULT_CHECK_INTERVAL, Duration.ofSeconds(5),
                500, DataSize.ofMegabytes(2), DataSize.ofKilobytes(512)), set);
    }

    @Test
    void aLagLimitAboveTheBufferIsRefusedNamingBoth() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of("--event-max-lag=16MB"), Map.of()));
        assertTrue(error.getMessage().contains("event-max-lag") && error.getMessage().contains("event-buffer-size"), error.getMessage());
    }

    @Test
    void badValueErrorNamesTheKeyItsSourceAndTheValue() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), Map.of("VITRINE_SANDBOX_ORIGIN", "ftp://127.0.0.1/files")));
        assertTrue(error.getMessage().contains("sandbox-origin"), error.getMessage());
        assertTrue(error.getMessage().contains("ftp://127.0.0.1/files"), error.getMessage());
    }

    @Test
    void unknownSettingIsRefusedWithTheKnownOnes() {
        var error = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(List.of("--sandbox-orign=x"), Map.of()));
        assertTrue(error.getMessage().contains("sandbox-orign") && error.getMessage().contains("sandbox-origin"), error.getMessage());
    }

    @Test
    void sameSiteOriginsAreRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(
                List.of("--app-origin=https://chat.example.com", "--sandbox-origin=https://sandbox.example.com"), Map.of()));
        assertTrue(error.getMessage().contains("same site"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(
                List.of("--app-origin=http://localhost:8080", "--sandbox-origin=http://sandbox.localhost:8081"), Map.of()));
    }

    @Test
    void onlyPostgresqlJdbcUrlsAreAccepted() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of("--jdbc-url=jdbc:mysql://db/x"), Map.of()));
        assertTrue(error.getMessage().startsWith("jdbc-url"), error.getMessage());
    }

    @Test
    void shortApiKeyIsRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(List.of(), Map.of("VITRINE_API_KEY", "short")));
        assertTrue(error.getMessage().contains("api-key"), error.getMessage());
    }

    @Test
    void auditRetentionAndReportLimitsAreSettingsWithDefaults() {
        assertEquals(AuditSettings.defaults(), ConfigLoader.load(List.of(), Map.of()).audit());
        assertEquals(Duration.ofDays(90), AuditSettings.defaults().retention());
        AuditSettings set = ConfigLoader.load(List.of("--audit-retention=30d", "--csp-report-rate=5",
                "--csp-report-rate-total=50", "--csp-report-max-per-artifact=200"), Map.of()).audit();
        assertEquals(new AuditSettings(Duration.ofDays(30), 5, 50, 200), set);
        for (String forever : List.of("0", "none", "forever")) {
            assertTrue(ConfigLoader.load(List.of(), Map.of("VITRINE_AUDIT_RETENTION", forever)).audit().keepsForever(), forever);
        }
        var error = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of("--audit-retention=soon"), Map.of()));
        assertTrue(error.getMessage().startsWith("audit-retention (from --audit-retention)"), error.getMessage());
        assertTrue(error.getMessage().contains("0 to keep events forever"), error.getMessage());
        var lowTotal = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of("--csp-report-rate=20", "--csp-report-rate-total=10"), Map.of()));
        assertTrue(lowTotal.getMessage().startsWith("csp-report-rate-total"), lowTotal.getMessage());
    }

    @Test
    void dataSizesParseInTheFormsOperatorsWrite() {
        assertEquals(512, DataSize.parse("512").bytes());
        assertEquals(64 * 1024, DataSize.parse("64KB").bytes());
        assertEquals(5L << 20, DataSize.parse("5 MiB").bytes());
        assertEquals(2L << 30, DataSize.parse("2g").bytes());
        assertThrows(IllegalArgumentException.class, () -> DataSize.parse("five megabytes"));
        assertThrows(IllegalArgumentException.class, () -> DataSize.parse("-1MB"));
    }
}
