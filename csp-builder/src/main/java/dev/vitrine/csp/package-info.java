/**
 * Typed Content Security Policy model, parser, lint and the complete response header sets of
 * Vitrine's two origins.
 *
 * <p>Two kinds of page get two opposite policies, and this package keeps them apart on purpose:
 *
 * <ul>
 *   <li><b>Artifact documents</b> on the sandbox origin run hostile code by design. Their policy
 *       controls <em>egress</em>, so it trusts only where code comes from ({@code 'self'} plus
 *       inline code) and never a nonce or a hash: both let a script pull in more script from
 *       elsewhere. See {@link dev.vitrine.csp.SandboxHeaders}.
 *   <li><b>App pages</b> (the chat UI) must stop XSS, so they get a strict nonce-only policy that
 *       passes {@link dev.vitrine.csp.CspLint} with no error. See {@link
 *       dev.vitrine.csp.AppPageHeaders}.
 * </ul>
 *
 * <p>Everything here is an immutable value built and validated once at start-up (or per artifact
 * version); request handlers only copy the rendered {@link dev.vitrine.csp.HeaderSet} onto a
 * response.
 *
 * <pre>{@code
 * SandboxSettings settings = new SandboxSettings(
 *     URI.create("http://127.0.0.1:8081"),
 *     List.of(URI.create("http://localhost:8080")),
 *     "/_vitrine/", "/_vitrine/csp-report");
 * HeaderSet artifactHeaders = SandboxHeaders.artifactDocument(settings, false);
 *
 * AppPageHeaders app = AppPageHeaders.create(URI.create("http://127.0.0.1:8081/f/"));
 * NonceGenerator nonces = new NonceGenerator(new SecureRandom());
 * HeaderSet pageHeaders = app.forResponse(nonces.next());
 * }</pre>
 */
package dev.vitrine.csp;
