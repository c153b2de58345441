package dev.vitrine.storage;

import java.util.List;

/**
 * What an artifact's storage holds, scope by scope, next to the limits that apply to each
 * scope: what a chat backend shows its operators, or answers {@code GET /v1/artifacts/{id}/storage} with.
 *
 * <pre>{@code
 * ArtifactUsage usage = values.usage(artifactId);
 * ScopeUsage shared = usage.scopes().get(0);               // always the shared scope
 * double full = (double) shared.bytes() / usage.limits().maxScopeBytes();
 * }</pre>
 *
 * @param artifact the artifact
 * @param limits   the limits every scope of it is held to
 * @param scopes   the shared scope first (also when empty), then each personal scope that holds
 *                 at least one key, ordered by viewer id
 */
public record ArtifactUsage(ArtifactId artifact, StorageLimits limits, List<ScopeUsage> scopes) {

    /** @throws IllegalArgumentException if a field is null */
    public ArtifactUsage {
        if (artifact == null) {
            throw new IllegalArgumentException("artifact must not be null");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        if (scopes == null) {
            throw new IllegalArgumentException("scopes must not be null");
        }
        scopes = List.copyOf(scopes);
    }
}
