/**
 * Normalises untrusted, model-generated documents before the sandbox origin serves them.
 *
 * <p>An artifact is hostile and is allowed to run script, so nothing here is an XSS filter.
 * The sandbox origin's CSP header ({@code script-src 'self' 'unsafe-inline'},
 * {@code connect-src 'none'}, {@code base-uri 'none'}, {@code form-action 'none'},
 * {@code frame-src 'none'}, {@code sandbox allow-scripts allow-forms}) decides what may be
 * fetched. This package does the two jobs that header cannot:
 * <ul>
 *   <li>{@link dev.vitrine.sanitizer.HtmlNormalizer} turns whatever the model wrote (a
 *       fragment, plain text, a full page) into one well-formed UTF-8 HTML5 document, puts
 *       the Vitrine runtime scripts first in {@code <head>}, and removes the markup that
 *       leaks or navigates outside CSP's reach (meta refresh, resource hints, {@code ping},
 *       portals, ...);</li>
 *   <li>{@link dev.vitrine.sanitizer.SvgSanitizer} reduces an SVG to static drawing markup,
 *       because an SVG is inlined into a document that is <em>not</em> its own sandbox.</li>
 * </ul>
 *
 * <p>What this package is not: a barrier against the artifact's own script, which can
 * re-create any removed element at run time. Removing the static markup still matters: it
 * keeps artifacts that never run script (or whose script fails) from leaking, and every
 * removal is reported as a {@link dev.vitrine.sanitizer.Removal} so the embedder can show
 * what was taken out and why. Run-time leaks are the job of the CSP header, the embedding
 * page's {@code frame-src}, and the in-frame runtime.
 *
 * <p>Only the types needed to call the two engines are public; the rule values they apply
 * ({@code DocumentRules}, {@code SvgRules}) are package-private, because weakening them is a
 * security decision this module owns.
 */
package dev.vitrine.sanitizer;
