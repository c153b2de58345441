/**
 * Everything Vitrine stores: artifacts and their immutable versions, each artifact's
 * {@code window.storage} key-value data with quotas and scopes, each artifact's append-only
 * audit trail (which outlives the artifact until retention prunes it), and secrets shared by
 * all nodes.
 *
 * <p>{@link dev.vitrine.storage.Storage#open Storage.open} is the entry point: one connection
 * pool behind an {@link dev.vitrine.storage.ArtifactStore}, a
 * {@link dev.vitrine.storage.KeyValueStore}, an {@link dev.vitrine.storage.AuditLog} and
 * {@link dev.vitrine.storage.Storage#secret}, on
 * embedded SQLite (one process, the default) or PostgreSQL (many processes behind a load
 * balancer). {@link dev.vitrine.storage.ArtifactStores#open ArtifactStores.open} opens the
 * artifact store alone. Both backends run the same SQL and the same contract tests; what differs
 * between them lives in one small package-private dialect type and in one migration script set
 * per database.
 *
 * <pre>{@code
 * var settings = StorageSettings.embedded(Path.of("/var/lib/vitrine"));
 * try (Storage storage = Storage.open(settings, StorageLimits.defaults(), Clock.systemUTC(), new SecureRandom())) {
 *     Artifact chart = storage.artifacts().create(ArtifactType.SVG, "Sales chart", "<svg/>");
 *     ViewerId viewer = new ViewerId("alice");
 *     storage.values().set(StorageScope.personal(chart.id(), viewer), "zoom", "2", new Writer(viewer, 1));
 * }
 * }</pre>
 */
package dev.vitrine.storage;
