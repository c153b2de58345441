package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StorageScopeTest {

    private static final ArtifactId ARTIFACT = ArtifactId.random(new SecureRandom());
    private static final ViewerId ALICE = new ViewerId("alice");

    @Test
    void aPersonalScopeNamesItsViewer() {
        StorageScope scope = StorageScope.personal(ARTIFACT, ALICE);

        assertFalse(scope.shared());
        assertEquals(Optional.of(ALICE), scope.viewer());
        assertEquals("alice", scope.owner());
        assertEquals("personal scope of viewer alice of artifact " + ARTIFACT, scope.toString());
    }

    @Test
    void theSharedScopeHasNoViewerAndAnOwnerNoViewerIdCanEqual() {
        StorageScope scope = StorageScope.shared(ARTIFACT);

        assertTrue(scope.shared());
        assertEquals(Optional.empty(), scope.viewer());
        assertEquals("", scope.owner());
        assertEquals("shared scope of artifact " + ARTIFACT, scope.toString());
    }

    @Test
    void scopesAreEqualByValue() {
        assertEquals(StorageScope.personal(ARTIFACT, new ViewerId("alice")), StorageScope.personal(ARTIFACT, ALICE));
        assertNotEquals(StorageScope.shared(ARTIFACT), StorageScope.personal(ARTIFACT, ALICE));
    }

    @Test
    void nullFieldsAreRejectedByName() {
        assertEquals("artifact must not be null",
                assertThrows(IllegalArgumentException.class, () -> StorageScope.shared(null)).getMessage());
        assertEquals("viewer must not be null for a personal scope",
                assertThrows(IllegalArgumentException.class, () -> StorageScope.personal(ARTIFACT, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StorageScope(ARTIFACT, null));
    }
}
