package dev.vitrine.csp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, ordered set of response headers with distinct names (compared ignoring case).
 * Built once at start-up or per artifact version; a request handler only copies it onto the
 * response.
 *
 * <pre>{@code
 * HeaderSet headers = SandboxHeaders.lockedDown(settings);
 * for (Header h : headers.headers()) {
 *   response.setHeader(h.name(), h.value()); // whatever the server's API is
 * }
 * headers.value("content-security-policy"); // Optional of the policy
 * }</pre>
 *
 * @param headers the headers, in the order they should be sent
 */
public record HeaderSet(List<Header> headers) {

  public HeaderSet {
    if (headers == null) {
      throw new IllegalArgumentException("headers is null");
    }
    headers = List.copyOf(headers);
    Set<String> names = new HashSet<>();
    for (Header header : headers) {
      if (!names.add(Ascii.lowercase(header.name()))) {
        throw new IllegalArgumentException(
            "headers has " + header.name() + " twice; a header set holds each name once so"
                + " that no second value can weaken the first");
      }
    }
  }

  public static HeaderSet of(Header... headers) {
    return new HeaderSet(List.of(headers));
  }

  /** The value of the header called {@code name}, ignoring ASCII case. */
  public Optional<String> value(String name) {
    Objects.requireNonNull(name, "name");
    String lower = Ascii.lowercase(name);
    return headers.stream()
        .filter(h -> Ascii.lowercase(h.name()).equals(lower))
        .map(Header::value)
        .findFirst();
  }

  /** A copy with {@code header} replacing the one of the same name, or appended if none. */
  public HeaderSet with(Header header) {
    Objects.requireNonNull(header, "header");
    String lower = Ascii.lowercase(header.name());
    List<Header> copy = new ArrayList<>(headers.size() + 1);
    boolean replaced = false;
    for (Header existing : headers) {
      if (Ascii.lowercase(existing.name()).equals(lower)) {
        copy.add(header);
        replaced = true;
      } else {
        copy.add(existing);
      }
    }
    if (!replaced) {
      copy.add(header);
    }
    return new HeaderSet(copy);
  }
}
