package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "todo:42", "user.settings", "a-b_c", "emoji😀", "é", "100%", "#tag", "a,b;c"})
    void keysWithoutForbiddenCharactersAreAccepted(String key) {
        assertEquals(key, StorageKeys.requireValid(key));
    }

    @Test
    void aKeyOf199CharactersIsAcceptedAnd200AreNot() {
        StorageKeys.requireValid("k".repeat(199));

        StorageRejectedException e = assertThrows(StorageRejectedException.class,
                () -> StorageKeys.requireValid("k".repeat(200)));
        assertEquals(StorageRejectedException.INVALID_KEY, e.code());
        assertEquals("key is 200 characters; keys must be shorter than 200 characters", e.getMessage());
    }

    @Test
    void lengthCountsUtf16CharactersAsJavaScriptDoes() {
        // 100 emoji are 100 code points but 200 UTF-16 characters: key.length in the browser.
        assertThrows(StorageRejectedException.class, () -> StorageKeys.requireValid("😀".repeat(100)));
        StorageKeys.requireValid("😀".repeat(99));
    }

    @Test
    void anEmptyOrNullKeyIsRejected() {
        assertEquals("key must not be empty",
                assertThrows(StorageRejectedException.class, () -> StorageKeys.requireValid("")).getMessage());
        assertEquals("key must not be null",
                assertThrows(StorageRejectedException.class, () -> StorageKeys.requireValid(null)).getMessage());
    }

    @Test
    void eachRuleIsNamedWithTheCharacterAndItsIndex() {
        assertEquals("key \"a b\" is not allowed: keys must not contain whitespace (found U+0020 at index 1)",
                message("a b"));
        assertEquals("key \"a/b\" is not allowed: keys must not contain /, \\, ' or \" (found U+002F at index 1)",
                message("a/b"));
        assertEquals("key \"ab\\u0007\" is not allowed: keys must not contain control characters (found U+0007 at"
                + " index 2)", message("ab\u0007"));
        assertEquals("key \"x\\ud800\" is not allowed: keys must not contain lone surrogates (they have no UTF-8"
                + " form) (found U+D800 at index 1)", message("x\ud800"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tab\t", "nl\n", "cr\r", "nbsp\u00a0", "em\u2003space", "ideographic\u3000", "line\u2028",
        "a\\b", "it's", "say\"hi\"", "nul\u0000", "del\u007f", "c1\u0085", "\udc00lone-low"})
    void whitespaceSlashesQuotesControlsAndLoneSurrogatesAreRejected(String key) {
        assertEquals(StorageRejectedException.INVALID_KEY,
                assertThrows(StorageRejectedException.class, () -> StorageKeys.requireValid(key)).code());
    }

    @Test
    void aPrefixMayBeEmptyAndFollowsTheCharacterRules() {
        StorageKeys.requireValidPrefix("");
        StorageKeys.requireValidPrefix("todo:");

        StorageRejectedException e = assertThrows(StorageRejectedException.class,
                () -> StorageKeys.requireValidPrefix("a b"));
        assertEquals(StorageRejectedException.INVALID_KEY, e.code());
        assertEquals("prefix \"a b\" is not allowed: keys must not contain whitespace (found U+0020 at index 1)",
                e.getMessage());
        assertEquals("prefix must not be null; use \"\" to list every key",
                assertThrows(StorageRejectedException.class, () -> StorageKeys.requireValidPrefix(null)).getMessage());
        assertThrows(StorageRejectedException.class, () -> StorageKeys.requireValidPrefix("p".repeat(200)));
    }

    @Test
    void aHugeKeyIsNotEchoedInFull() {
        String message = assertThrows(StorageRejectedException.class,
                () -> StorageKeys.requireValid("x".repeat(150) + " ")).getMessage();
        assertEquals(true, message.length() < 200, message);
    }

    private static String message(String key) {
        return assertThrows(StorageRejectedException.class, () -> StorageKeys.requireValid(key)).getMessage();
    }
}
