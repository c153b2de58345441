package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaMigrationsTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyDialectHasAScriptForEveryMigration(Dialect dialect) {
        for (SchemaMigrations.Migration migration : SchemaMigrations.ALL) {
            String script = SchemaMigrations.load(dialect, migration);
            // A version that changes nothing on a dialect says so, rather than being left empty by mistake.
            assertFalse(SchemaMigrations.statements(script).isEmpty() && !script.contains("nothing changes"),
                    dialect + " V" + migration.version());
        }
    }

    @Test
    void migrationsAreNumberedFromOneWithoutGaps() {
        for (int i = 0; i < SchemaMigrations.ALL.size(); i++) {
            assertEquals(i + 1, SchemaMigrations.ALL.get(i).version());
        }
    }

    @Test
    void scriptsSplitAtSemicolonsEndingALineAndSkipCommentLines() {
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE a (
                    x TEXT -- trailing comments stay with their statement
                );

                CREATE INDEX a_x ON a (x);
                """;

        assertEquals(List.of(
                "CREATE TABLE a (\n    x TEXT -- trailing comments stay with their statement\n)",
                "CREATE INDEX a_x ON a (x)"), SchemaMigrations.statements(script));
    }

    @Test
    void aScriptEndingWithoutSemicolonIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SchemaMigrations.statements("CREATE TABLE a (x TEXT)\n"));
        assertEquals("migration script ends with a statement missing its ';': CREATE TABLE a (x TEXT)", e.getMessage());
    }
}
