package dev.vitrine.frame;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vitrine.csp.HeaderSet;
import dev.vitrine.csp.SandboxHeaders;
import dev.vitrine.csp.SandboxSettings;
import dev.vitrine.sanitizer.CleanedSvg;
import dev.vitrine.sanitizer.HeadInjection;
import dev.vitrine.sanitizer.HtmlNormalizer;
import dev.vitrine.sanitizer.InvalidSvgException;
import dev.vitrine.sanitizer.NormalizedDocument;
import dev.vitrine.sanitizer.Removal;
import dev.vitrine.storage.ArtifactType;
import dev.vitrine.storage.ArtifactVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns stored artifact content into the document the sandbox origin serves. Documents
 * are rendered once per content hash and type, then served from a bounded cache; the
 * header set is built once at construction.
 *
 * <pre>{@code
 * FrameRenderer renderer = new FrameRenderer(settings, 1_000);
 * FrameDocument doc = renderer.render(ArtifactType.HTML, version);
 * }</pre>
 */
public final class FrameRenderer {
    /** Path of the runtime script every artifact document loads first. */
    public static final String RUNTIME_SCRIPT = FramePaths.RUNTIME_PREFIX + "frame.js";

    /** React documents name their component's URL, so they are cached per version, not per content. */
    private record Key(ArtifactType type, String sha256, String version) {
    }

    private final HtmlNormalizer normalizer = HtmlNormalizer.standard();
    private final SvgDocument svgDocument = new SvgDocument();
    private final MarkdownDocument markdownDocument = new MarkdownDocument();
    private final HeaderSet documentHeaders;
    private final Cache<Key, FrameDocument> cache;
    private final ComponentCompiler compiler;
    private final ReactDocument reactDocument;
    private final MermaidDocument mermaidDocument;
    private final Set<ArtifactType> supported;

    /** A renderer for HTML, SVG and Markdown artifacts. */
    public FrameRenderer(SandboxSettings settings, long maximumCachedDocuments) {
        this(settings, maximumCachedDocuments, null, null);
    }

    /**
     * A renderer for HTML, SVG, Markdown, React and mermaid artifacts; the compiler's
     * importable modules should be the libraries' specifiers.
     */
    public FrameRenderer(SandboxSettings settings, long maximumCachedDocuments, ComponentCompiler compiler, BrowserLibraries libraries) {
        this.documentHeaders = SandboxHeaders.artifactDocument(settings, false);
        this.cache = Caffeine.newBuilder().maximumSize(maximumCachedDocuments).build();
        this.compiler = compiler;
        this.reactDocument = libraries == null ? null : new ReactDocument(libraries);
        this.mermaidDocument = libraries == null ? null : new MermaidDocument(libraries);
        this.supported = compiler == null || libraries == null
                ? Set.of(ArtifactType.HTML, ArtifactType.SVG, ArtifactType.MARKDOWN)
                : Set.copyOf(EnumSet.allOf(ArtifactType.class));
    }

    /** The served document of a stored version, from the cache when it was rendered before. */
    public FrameDocument render(ArtifactType type, ArtifactVersion version) {
        String versionKey = type == ArtifactType.REACT ? version.artifactId().value() + "/" + version.number() : "";
        return cache.get(new Key(type, version.sha256(), versionKey), key -> renderNow(type, version.content(), version));
    }

    /**
     * The ES module a React version's document imports, compiled from its source (cached by
     * the compiler).
     *
     * @throws InvalidArtifactException if React artifacts are not served or the source does not compile
     */
    public String component(ArtifactVersion version) {
        requireSupported(ArtifactType.REACT);
        return compiler.compile(version.content()).javascript();
    }

    /**
     * The document of text still being streamed, rendered as a stored version of {@code type}
     * would be (same normalisation, same header set) but not cached. React drafts are not
     * rendered: a page keeps showing the last stored version until the stream's version lands.
     *
     * @throws InvalidArtifactException for React, or if the text is not of its type yet (an SVG
     *                                  that is not well-formed so far)
     */
    public FrameDocument draft(ArtifactType type, String content) {
        if (type == ArtifactType.REACT) {
            throw new InvalidArtifactException("unsupported_type",
                    "React drafts are not rendered; the last stored version stays until the stream ends", null);
        }
        return renderNow(type, content, null);
    }

    /**
     * Renders content that is about to be stored, so an API client learns at once that it
     * cannot be served and what normalisation will remove.
     *
     * @throws InvalidArtifactException if the type is not served yet or the content is not of that type
     */
    public List<Removal> check(ArtifactType type, String content) {
        requireSupported(type);
        if (type == ArtifactType.REACT) {
            compiler.compile(content);
            return List.of();
        }
        return renderNow(type, content, null).removals();
    }

    private void requireSupported(ArtifactType type) {
        if (!supported.contains(type)) {
            throw new InvalidArtifactException("unsupported_type", "type '" + type.wireName()
                    + "' is not served by this version of Vitrine; use one of "
                    + String.join(", ", supported.stream().map(ArtifactType::wireName).sorted().toList()), null);
        }
    }

    /**
     * Stored versions compiled when they were created, but a version can stop compiling when
     * the served library set changes; its document then reports the compile error instead of
     * importing a module that answers 400. A timeout says nothing about the source, so it is
     * thrown rather than cached as the version's document.
     */
    private String reactHtml(ArtifactVersion version) {
        try {
            compiler.compile(version.content());
            return reactDocument.html(version.artifactId(), version.number());
        } catch (InvalidArtifactException e) {
            if (e.code().equals("compile_timeout")) {
                throw e;
            }
            return FrameErrors.compileErrorDocument(e);
        }
    }

    private FrameDocument renderNow(ArtifactType type, String content, ArtifactVersion version) {
        requireSupported(type);
        List<Removal> removals = new ArrayList<>();
        String html = content;
        if (type == ArtifactType.REACT) {
            html = reactHtml(version);
        } else if (type == ArtifactType.MERMAID) {
            html = mermaidDocument.html(content);
        } else if (type == ArtifactType.MARKDOWN) {
            html = markdownDocument.html(content);
        } else if (type == ArtifactType.SVG) {
            try {
                CleanedSvg svg = svgDocument.clean(content);
                removals.addAll(svg.removals());
                html = svgDocument.wrap(svg);
            } catch (InvalidSvgException e) {
                throw new InvalidArtifactException("invalid_svg", e.getMessage(), e);
            }
        }
        NormalizedDocument document = normalizer.normalize(html, HeadInjection.scripts(RUNTIME_SCRIPT));
        removals.addAll(document.removals());
        return new FrameDocument(document.html().getBytes(StandardCharsets.UTF_8), documentHeaders, removals);
    }
}
