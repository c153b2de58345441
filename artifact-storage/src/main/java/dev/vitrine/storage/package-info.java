/**
 * Storage of artifacts and their immutable versions.
 *
 * <p>{@link dev.vitrine.storage.ArtifactStores#open ArtifactStores.open} is the only entry point:
 * it returns an {@link dev.vitrine.storage.ArtifactStore} backed by embedded SQLite (one process,
 * the default) or by PostgreSQL (many processes behind a load balancer). Both backends run the
 * same SQL and the same contract tests; what differs between them lives in one small
 * package-private dialect type and in one migration script set per database.
 *
 * <pre>{@code
 * var settings = StorageSettings.embedded(Path.of("/var/lib/vitrine"));
 * try (ArtifactStore store = ArtifactStores.open(settings, Clock.systemUTC(), new SecureRandom())) {
 *     Artifact chart = store.create(ArtifactType.SVG, "Sales chart", "<svg/>");
 *     store.appendVersion(chart.id(), "<svg><rect/></svg>");
 * }
 * }</pre>
 */
package dev.vitrine.storage;
