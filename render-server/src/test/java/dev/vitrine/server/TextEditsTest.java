package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextEditsTest {

    private static TextEdits.Edit edit(String old, String replacement) {
        return new TextEdits.Edit(old, replacement);
    }

    @Test
    void eachEditAppliesToTheTextThePreviousOneLeft() {
        assertEquals("c", TextEdits.apply("a", List.of(edit("a", "b"), edit("b", "c"))));
        assertEquals("x-Y-z", TextEdits.apply("x-y-z", List.of(edit("-y-", "-Y-"))));
    }

    @Test
    void anEmptyListLeavesTheTextAlone() {
        assertEquals("same", TextEdits.apply("same", List.of()));
    }

    @Test
    void missingOldTextNamesTheEditAndCountsZero() {
        TextEdits.EditFailedException e = assertThrows(TextEdits.EditFailedException.class,
                () -> TextEdits.apply("abc", List.of(edit("a", "A"), edit("a", "again"))));

        assertEquals(1, e.index());
        assertEquals(0, e.occurrences());
        assertEquals("edits[1].old \"a\" does not occur in the text after edits[0]; copy it exactly from the current"
                + " text, whitespace included (edit 2 of 2)", e.getMessage());
    }

    @Test
    void overlappingOccurrencesCountAsAmbiguous() {
        TextEdits.EditFailedException e = assertThrows(TextEdits.EditFailedException.class,
                () -> TextEdits.apply("aaaa", List.of(edit("aa", "b"))));

        assertEquals(3, e.occurrences());
        assertEquals(0, e.index());
    }

    @Test
    void aMatchAfterAPartialOneAndAtTheVeryEndIsFound() {
        assertEquals("abX", TextEdits.apply("ababc", List.of(edit("abc", "X"))));
        assertEquals("aabaX", TextEdits.apply("aabaaaab", List.of(edit("aaab", "X"))));
        assertEquals(3, assertThrows(TextEdits.EditFailedException.class,
                () -> TextEdits.apply("aabaabaab", List.of(edit("aab", "X")))).occurrences());
    }

    @Test
    void excerptsAreQuotedEscapedAndCutShort() {
        assertEquals("\"a\\nb\\t\\\"c\\\\ \\u2028 \\ud800 😀\"", TextEdits.excerpt("a\nb\t\"c\\ \u2028 \ud800 😀"));
        assertEquals("\"" + "x".repeat(60) + "\"… (61 chars)", TextEdits.excerpt("x".repeat(61)));
    }

    @Test
    void aPathologicalPatternIsSearchedInLinearTime() {
        // String.indexOf would compare about 10^12 characters here.
        String text = "a".repeat(2_000_000);
        String old = "a".repeat(1_000_000) + "b";

        TextEdits.EditFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(TextEdits.EditFailedException.class, () -> TextEdits.apply(text, List.of(edit(old, "")))));

        assertEquals(0, e.occurrences());
    }

    @Test
    void anEmptyOldTextIsNotAnEdit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> edit("", "x"));
        assertEquals("old must not be empty", e.getMessage());
    }
}
