package dev.vitrine.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chromium's net log ({@code --log-net-log=<file>}), read after the browser has closed it: the
 * host names its resolver was asked for. With {@code --host-resolver-rules} a mapped name
 * reaches the resolver already rewritten, so DNS probes use names Chromium resolves by itself
 * without a rule or any DNS traffic: {@code *.localhost}.
 */
final class NetLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode log;
    private final Map<Integer, String> eventTypes = new TreeMap<>();

    private NetLog(JsonNode log) {
        this.log = log;
        log.path("constants").path("logEventTypes").fields()
                .forEachRemaining(entry -> eventTypes.put(entry.getValue().asInt(), entry.getKey()));
    }

    /** @throws UncheckedIOException if the file is missing or not a complete net log (the browser did not close cleanly) */
    static NetLog read(Path file) {
        try {
            return new NetLog(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Chromium's net log " + file, e);
        }
    }

    /** Hosts of host-resolver events ({@code HOST_RESOLVER_*}) that contain {@code text}, e.g. {@code http://m1.dns.localhost:80}. */
    Set<String> resolvedHostsContaining(String text) {
        Set<String> hosts = new LinkedHashSet<>();
        for (JsonNode event : log.path("events")) {
            String type = eventTypes.getOrDefault(event.path("type").asInt(-1), "");
            String host = event.path("params").path("host").asText("");
            if (type.startsWith("HOST_RESOLVER") && host.contains(text)) {
                hosts.add(host);
            }
        }
        return hosts;
    }
}
