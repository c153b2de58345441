package dev.vitrine.csp;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The directives of CSP Level 3 (plus {@code fenced-frame-src} and the Trusted Types pair) that a
 * Vitrine policy may contain. Anything else is rejected by {@link ContentSecurityPolicy#parse}:
 * a misspelt directive silently does nothing in a browser, which is the worst way for a security
 * header to fail.
 *
 * <pre>{@code
 * Directive d = Directive.byName("Script-Src").orElseThrow(); // SCRIPT_SRC
 * d.headerName();                                            // "script-src"
 * }</pre>
 */
public enum Directive {
  DEFAULT_SRC("default-src", ValueKind.SOURCES),
  SCRIPT_SRC("script-src", ValueKind.SOURCES),
  SCRIPT_SRC_ELEM("script-src-elem", ValueKind.SOURCES),
  SCRIPT_SRC_ATTR("script-src-attr", ValueKind.SOURCES),
  STYLE_SRC("style-src", ValueKind.SOURCES),
  STYLE_SRC_ELEM("style-src-elem", ValueKind.SOURCES),
  STYLE_SRC_ATTR("style-src-attr", ValueKind.SOURCES),
  IMG_SRC("img-src", ValueKind.SOURCES),
  FONT_SRC("font-src", ValueKind.SOURCES),
  CONNECT_SRC("connect-src", ValueKind.SOURCES),
  MEDIA_SRC("media-src", ValueKind.SOURCES),
  OBJECT_SRC("object-src", ValueKind.SOURCES),
  FRAME_SRC("frame-src", ValueKind.SOURCES),
  CHILD_SRC("child-src", ValueKind.SOURCES),
  WORKER_SRC("worker-src", ValueKind.SOURCES),
  MANIFEST_SRC("manifest-src", ValueKind.SOURCES),
  FENCED_FRAME_SRC("fenced-frame-src", ValueKind.SOURCES),
  BASE_URI("base-uri", ValueKind.SOURCES),
  FORM_ACTION("form-action", ValueKind.SOURCES),
  FRAME_ANCESTORS("frame-ancestors", ValueKind.ANCESTOR_SOURCES),
  SANDBOX("sandbox", ValueKind.SANDBOX_FLAGS),
  REPORT_URI("report-uri", ValueKind.REPORT_URIS),
  REPORT_TO("report-to", ValueKind.REPORT_GROUP),
  UPGRADE_INSECURE_REQUESTS("upgrade-insecure-requests", ValueKind.NO_VALUE),
  REQUIRE_TRUSTED_TYPES_FOR("require-trusted-types-for", ValueKind.SINK_GROUPS),
  TRUSTED_TYPES("trusted-types", ValueKind.POLICY_NAMES);

  private static final Map<String, Directive> BY_NAME =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(Directive::headerName, Function.identity()));

  private final String headerName;
  private final ValueKind kind;

  Directive(String headerName, ValueKind kind) {
    this.headerName = headerName;
    this.kind = kind;
  }

  /** The name as written in a policy, e.g. {@code script-src}. */
  public String headerName() {
    return headerName;
  }

  /** Looks a directive up by its policy name, ignoring ASCII case as browsers do. */
  public static Optional<Directive> byName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_NAME.get(Ascii.lowercase(name)));
  }

  ValueKind kind() {
    return kind;
  }
}
