package dev.vitrine.csp;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Headers for pages of the app origin (the chat UI). Unlike an artifact document, such a page
 * must stop XSS, so scripts run only with the per-response nonce, Trusted Types guard the DOM
 * sinks, and the policy passes {@link CspLint} with no error (checked in {@link #create}).
 * {@code frame-src} is what keeps an artifact frame from navigating itself to an attacker's URL:
 * Chromium checks the <em>parent's</em> frame-src on every navigation of the child.
 *
 * <pre>{@code
 * AppPageHeaders app = AppPageHeaders.create(URI.create("http://127.0.0.1:8081/f/")); // start-up
 * Nonce nonce = nonces.next();                      // per response
 * HeaderSet headers = app.forResponse(nonce);       // put nonce.value() on each <script>
 * HeaderSet assets = app.forAsset();                // the app's own JS and CSS files
 * }</pre>
 */
public final class AppPageHeaders {

  private final String policyPrefix;
  private final String policySuffix;
  private final List<Header> fixedHeaders;
  private final HeaderSet assetHeaders;

  private AppPageHeaders(ContentSecurityPolicy beforeScripts, ContentSecurityPolicy afterScripts) {
    // Rendered once: per response only the nonce is spliced in between.
    this.policyPrefix = beforeScripts.render() + "; " + Directive.SCRIPT_SRC.headerName() + " ";
    this.policySuffix = "; " + afterScripts.render();
    this.fixedHeaders = List.of(
        HardeningHeaders.NOSNIFF,
        HardeningHeaders.NO_REFERRER,
        HardeningHeaders.COOP_SAME_ORIGIN,
        HardeningHeaders.CORP_SAME_ORIGIN,
        HardeningHeaders.FRAME_DENY,
        HardeningHeaders.PERMISSIONS_DENY_ALL,
        HardeningHeaders.NO_STORE);
    this.assetHeaders = HeaderSet.of(
        HardeningHeaders.NOSNIFF, HardeningHeaders.CORP_SAME_ORIGIN, HardeningHeaders.NO_REFERRER);
  }

  /**
   * @param frameSrc where artifact frames live: the sandbox origin plus the frame path prefix,
   *     e.g. {@code http://127.0.0.1:8081/f/}, or a bare origin to allow all of it
   * @throws IllegalArgumentException if {@code frameSrc} is not an http(s) URL fit for a host
   *     source
   */
  public static AppPageHeaders create(URI frameSrc) {
    if (frameSrc == null || frameSrc.getScheme() == null
        || !List.of("http", "https").contains(Ascii.lowercase(frameSrc.getScheme()))) {
      throw new IllegalArgumentException(
          "frameSrc " + Printable.quote(String.valueOf(frameSrc))
              + " must be an http or https URL like http://127.0.0.1:8081/f/");
    }
    SourceExpression frames;
    try {
      String path = frameSrc.getRawPath();
      frames = path == null || path.isEmpty() || path.equals("/")
          ? SourceExpression.host(frameSrc)
          : SourceExpression.hostWithPath(frameSrc);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("frameSrc: " + e.getMessage(), e);
    }
    ContentSecurityPolicy before = ContentSecurityPolicy.builder()
        .add(Directive.DEFAULT_SRC, SourceExpression.none())
        .build();
    ContentSecurityPolicy after = ContentSecurityPolicy.builder()
        .add(Directive.STYLE_SRC, SourceExpression.self())
        .add(Directive.IMG_SRC, SourceExpression.self(), SourceExpression.scheme("data"))
        .add(Directive.CONNECT_SRC, SourceExpression.self())
        .add(Directive.FRAME_SRC, frames)
        .add(Directive.OBJECT_SRC, SourceExpression.none())
        .add(Directive.BASE_URI, SourceExpression.none())
        .add(Directive.FORM_ACTION, SourceExpression.self())
        .add(Directive.FRAME_ANCESTORS, SourceExpression.none())
        .tokens(Directive.REQUIRE_TRUSTED_TYPES_FOR, "'script'")
        .build();
    AppPageHeaders headers = new AppPageHeaders(before, after);
    // Fail at start-up, not in a security review, if this preset ever weakens.
    CspLint.requireStrong(headers.policy(new Nonce("A".repeat(Nonce.MIN_CHARS))));
    return headers;
  }

  /** The full policy for one response: the fixed directives with {@code script-src 'nonce-…'}. */
  public ContentSecurityPolicy policy(Nonce nonce) {
    return ContentSecurityPolicy.parse(render(nonce));
  }

  /** Headers for one HTML response whose scripts all carry {@code nonce}. */
  public HeaderSet forResponse(Nonce nonce) {
    List<Header> headers = new ArrayList<>(fixedHeaders.size() + 1);
    headers.add(new Header(HardeningHeaders.CONTENT_SECURITY_POLICY, render(nonce)));
    headers.addAll(fixedHeaders);
    return new HeaderSet(headers);
  }

  /** Headers for the app origin's own static JS and CSS; they run under the page's policy. */
  public HeaderSet forAsset() {
    return assetHeaders;
  }

  private String render(Nonce nonce) {
    Objects.requireNonNull(nonce, "nonce");
    return policyPrefix + SourceExpression.nonce(nonce).render() + policySuffix;
  }
}
