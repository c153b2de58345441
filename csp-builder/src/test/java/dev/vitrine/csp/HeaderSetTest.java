package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeaderSetTest {

  private static final Header NOSNIFF = new Header("X-Content-Type-Options", "nosniff");
  private static final Header NO_STORE = new Header("Cache-Control", "no-store");

  @Test
  void aHeaderValueWithCrOrLfCannotBeMade() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Header("Content-Security-Policy", "default-src 'none'\r\nSet-Cookie: a=b"));
    assertTrue(e.getMessage().contains("U+000D at index 18"), e.getMessage());
  }

  @Test
  void aHeaderNameMustBeAToken() {
    assertThrows(IllegalArgumentException.class, () -> new Header("Bad Name", "x"));
    assertThrows(IllegalArgumentException.class, () -> new Header("Bad:Name", "x"));
    assertThrows(IllegalArgumentException.class, () -> new Header(null, "x"));
  }

  @Test
  void aHeaderValueMayNotStartOrEndWithWhitespace() {
    assertThrows(IllegalArgumentException.class, () -> new Header("X-A", " x"));
  }

  @Test
  void valuesAreFoundIgnoringTheCaseOfTheName() {
    HeaderSet set = HeaderSet.of(NOSNIFF, NO_STORE);
    assertEquals(Optional.of("no-store"), set.value("cache-control"));
    assertEquals(Optional.empty(), set.value("X-Frame-Options"));
  }

  @Test
  void aNameMayAppearOnlyOnceInASet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HeaderSet.of(NO_STORE, new Header("cache-control", "max-age=60")));
    assertTrue(e.getMessage().contains("cache-control twice"), e.getMessage());
  }

  @Test
  void withReplacesTheHeaderOfTheSameNameInPlaceOrAppends() {
    HeaderSet set = HeaderSet.of(NO_STORE, NOSNIFF);
    HeaderSet replaced = set.with(new Header("CACHE-CONTROL", "max-age=60"));
    assertEquals(List.of(new Header("CACHE-CONTROL", "max-age=60"), NOSNIFF), replaced.headers());
    HeaderSet appended = set.with(new Header("X-Frame-Options", "DENY"));
    assertEquals(3, appended.headers().size());
    assertEquals(List.of(NO_STORE, NOSNIFF), set.headers());
  }

  @Test
  void aSetIsAnImmutableCopyOfItsList() {
    List<Header> source = new ArrayList<>(List.of(NOSNIFF));
    HeaderSet set = new HeaderSet(source);
    source.add(NO_STORE);
    assertEquals(List.of(NOSNIFF), set.headers());
    assertThrows(UnsupportedOperationException.class, () -> set.headers().add(NO_STORE));
  }
}
