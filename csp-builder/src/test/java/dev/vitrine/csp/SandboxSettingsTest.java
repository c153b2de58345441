package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxSettingsTest {

  private static final URI SANDBOX = URI.create("http://127.0.0.1:8081");
  private static final List<URI> CHAT = List.of(URI.create("http://localhost:8080"));

  private static String failure(URI sandbox, List<URI> ancestors, String reportPath) {
    return assertThrows(IllegalArgumentException.class, () -> new SandboxSettings(sandbox, ancestors, "/_vitrine/", reportPath))
        .getMessage();
  }

  @Test
  void originsAreNormalisedToLowerCaseWithoutTrailingSlash() {
    SandboxSettings settings = new SandboxSettings(URI.create("HTTP://Sandbox.Localhost:8081/"),
        List.of(URI.create("https://Chat.Example/")), "/_vitrine/", "/_vitrine/csp-report");
    assertEquals(URI.create("http://sandbox.localhost:8081"), settings.sandboxOrigin());
    assertEquals(List.of(URI.create("https://chat.example")), settings.frameAncestors());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8081/f/", "http://127.0.0.1:8081?x=1", "http://127.0.0.1:8081#top"})
  void aSandboxOriginWithPathQueryOrFragmentIsRejectedNamingFieldAndValue(String value) {
    String message = failure(URI.create(value), CHAT, "/r");
    assertTrue(message.startsWith("sandboxOrigin '" + value + "'"), message);
    assertTrue(message.contains("without path, query or fragment"), message);
  }

  @Test
  void aSandboxOriginMustBeHttpOrHttps() {
    String message = failure(URI.create("ftp://127.0.0.1"), CHAT, "/r");
    assertTrue(message.startsWith("sandboxOrigin 'ftp://127.0.0.1' must be an http or https origin"), message);
    assertTrue(failure(null, CHAT, "/r").startsWith("sandboxOrigin is null"));
  }

  @Test
  void aSandboxOriginWithUserInfoOrWithoutHostIsRejected() {
    assertTrue(failure(URI.create("http://user@127.0.0.1:8081"), CHAT, "/r").contains("user info"));
    assertTrue(failure(URI.create("http:///path"), CHAT, "/r").contains("has no host"));
  }

  @Test
  void frameAncestorsMustNotBeEmpty() {
    assertTrue(failure(SANDBOX, List.of(), "/r").startsWith("frameAncestors [] must list at least one origin"));
    assertTrue(failure(SANDBOX, null, "/r").startsWith("frameAncestors null"));
  }

  @Test
  void aFrameAncestorIsNamedByItsIndex() {
    String message = failure(SANDBOX, List.of(URI.create("http://localhost:8080"), URI.create("http://localhost:8080/chat")), "/r");
    assertTrue(message.startsWith("frameAncestors[1] 'http://localhost:8080/chat'"), message);
  }

  @Test
  void aFrameAncestorListedTwiceIsRejected() {
    String message = failure(SANDBOX, List.of(URI.create("http://localhost:8080"), URI.create("HTTP://LOCALHOST:8080/")), "/r");
    assertTrue(message.startsWith("frameAncestors[1] 'http://localhost:8080' is listed twice"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"csp-report", "//evil.example/r", "/r;x", "/r?x", "/r x", "/r\"x", ""})
  void aReportPathMustBeAPlainAbsolutePath(String reportPath) {
    String message = failure(SANDBOX, CHAT, reportPath);
    assertTrue(message.startsWith("reportPath '" + reportPath + "'"), message);
  }

  @Test
  void aNullReportPathIsRejected() {
    assertTrue(failure(SANDBOX, CHAT, null).startsWith("reportPath null"));
  }

  @Test
  void runtimePathMustEndWithASlash() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> new SandboxSettings(SANDBOX, CHAT, "/_vitrine", "/_vitrine/csp-report")).getMessage();
    assertTrue(message.contains("runtimePath") && message.contains("end with '/'"), message);
  }
}
