package dev.vitrine.csp;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the sandbox origin lives and who may frame it; the input of {@link SandboxHeaders}.
 * Origins are normalised to {@code scheme://host[:port]} (lower case, a lone trailing {@code /}
 * dropped), so equal settings compare equal however they were written.
 *
 * <pre>{@code
 * SandboxSettings settings = new SandboxSettings(
 *     URI.create("http://127.0.0.1:8081"),
 *     List.of(URI.create("http://localhost:8080")),
 *     "/_vitrine/",
 *     "/_vitrine/csp-report");
 * }</pre>
 *
 * <p>If artifacts are framed through a host frame on the sandbox origin, list the sandbox origin
 * in {@code frameAncestors} too: {@code frame-ancestors} checks every ancestor, not only the top.
 *
 * @param sandboxOrigin the origin artifacts are served from: http or https, host, optional port
 * @param frameAncestors the origins allowed to embed artifact frames (the chat UI's); at least one
 * @param runtimePath the folder on the sandbox origin of Vitrine's runtime files, ending in '/':
 *     the only place an artifact document may load script, styles, fonts and media from
 * @param reportPath the path on the sandbox origin that receives CSP violation reports
 */
public record SandboxSettings(
    URI sandboxOrigin, List<URI> frameAncestors, String runtimePath, String reportPath) {

  public SandboxSettings {
    sandboxOrigin = requireOrigin("sandboxOrigin", sandboxOrigin);
    if (frameAncestors == null || frameAncestors.isEmpty()) {
      throw new IllegalArgumentException(
          "frameAncestors " + frameAncestors + " must list at least one origin; with none,"
              + " no chat page could embed an artifact");
    }
    List<URI> normalised = new ArrayList<>(frameAncestors.size());
    for (int i = 0; i < frameAncestors.size(); i++) {
      URI origin = requireOrigin("frameAncestors[" + i + "]", frameAncestors.get(i));
      if (normalised.contains(origin)) {
        throw new IllegalArgumentException(
            "frameAncestors[" + i + "] " + Printable.quote(origin.toString()) + " is listed twice");
      }
      normalised.add(origin);
    }
    frameAncestors = List.copyOf(normalised);
    runtimePath = requirePath("runtimePath", runtimePath);
    if (!runtimePath.endsWith("/")) {
      throw new IllegalArgumentException("runtimePath " + Printable.quote(runtimePath)
          + " must end with '/' so that CSP matches every file below it");
    }
    reportPath = requirePath("reportPath", reportPath);
  }

  /** The one place artifact documents may load code, styles and media from: the runtime folder. */
  public URI runtimeUrl() {
    return URI.create(sandboxOrigin + runtimePath);
  }

  private static URI requireOrigin(String field, URI origin) {
    if (origin == null) {
      throw new IllegalArgumentException(field + " is null; it must be an origin like http://127.0.0.1:8081");
    }
    String shown = Printable.quote(origin.toString());
    String scheme = origin.getScheme() == null ? "" : Ascii.lowercase(origin.getScheme());
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          field + " " + shown + " must be an http or https origin like http://127.0.0.1:8081");
    }
    if (origin.isOpaque() || origin.getHost() == null) {
      throw new IllegalArgumentException(
          field + " " + shown + " has no host (or one a URI cannot hold, like a wildcard);"
              + " it must look like http://127.0.0.1:8081");
    }
    if (origin.getRawUserInfo() != null) {
      throw new IllegalArgumentException(field + " " + shown + " must not carry user info");
    }
    String path = origin.getRawPath() == null ? "" : origin.getRawPath();
    if ((!path.isEmpty() && !path.equals("/")) || origin.getRawQuery() != null
        || origin.getRawFragment() != null) {
      throw new IllegalArgumentException(
          field + " " + shown + " must be scheme, host and port only, without path, query or"
              + " fragment");
    }
    // Also proves the host fits the CSP host-source grammar used in frame-ancestors.
    try {
      return URI.create(SourceExpression.host(origin).render());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " " + shown + ": " + e.getMessage(), e);
    }
  }

  private static String requirePath(String field, String path) {
    if (path == null || !path.startsWith("/") || path.startsWith("//")) {
      throw new IllegalArgumentException(
          field + " " + Printable.quote(path) + " must start with a single '/'"
              + " ('//' would name another host)");
    }
    try {
      return SourceGrammar.requirePath(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          field + " " + Printable.quote(path) + " is not a plain path: " + e.getMessage(), e);
    }
  }
}
