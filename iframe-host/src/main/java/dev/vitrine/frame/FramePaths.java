package dev.vitrine.frame;

import dev.vitrine.storage.ArtifactId;
import java.net.URI;

/**
 * The URL layout of the sandbox origin: artifact documents under {@code /f/}, Vitrine's
 * own runtime files under {@code /_vitrine/}. Embedding pages limit {@code frame-src} to
 * {@link #framePrefix}.
 *
 * <pre>{@code
 * URI url = FramePaths.frameUrl(sandboxOrigin, id, 3); // http://127.0.0.1:8081/f/<id>/3
 * }</pre>
 */
public final class FramePaths {
    public static final String FRAME_PREFIX = "/f/";
    public static final String RUNTIME_PREFIX = "/_vitrine/";
    public static final String REPORT_PATH = RUNTIME_PREFIX + "csp-report";
    /** Browser libraries, content-hashed and immutable. */
    public static final String VENDOR_PREFIX = RUNTIME_PREFIX + "vendor/";
    /** Compiled React components: {@code /_vitrine/components/{id}/{version}.js}. */
    public static final String COMPONENT_PREFIX = RUNTIME_PREFIX + "components/";

    private FramePaths() {
    }

    public static URI frameUrl(URI sandboxOrigin, ArtifactId id, int version) {
        return URI.create(sandboxOrigin + FRAME_PREFIX + id + "/" + version);
    }

    /** The prefix embedding pages put in {@code frame-src}: navigations elsewhere are refused. */
    public static URI framePrefix(URI sandboxOrigin) {
        return URI.create(sandboxOrigin + FRAME_PREFIX);
    }
}
