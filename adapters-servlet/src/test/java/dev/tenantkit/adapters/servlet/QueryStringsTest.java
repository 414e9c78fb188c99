package dev.tenantkit.adapters.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The check that a query string has no broken percent-escape, which containers drop silently. */
class QueryStringsTest {

  @Test
  void wellFormedQueriesPass() {
    assertThatCode(() -> QueryStrings.requireDecodable(null)).doesNotThrowAnyException();
    assertThatCode(() -> QueryStrings.requireDecodable("period=30d&userId=a%20b%C3%BC"))
        .doesNotThrowAnyException();
  }

  @Test
  void aBrokenEscapeNamesItsParameterOrTheQuery() {
    assertThatThrownBy(() -> QueryStrings.requireDecodable("limit=5&period=%zz"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("period");
              assertThat(e.getMessage()).startsWith("period is not percent-encoded correctly");
            });
    assertThatThrownBy(() -> QueryStrings.requireDecodable("a=1&b=%2"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("b"));
    assertThatThrownBy(() -> QueryStrings.requireDecodable("%zz=1"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("query"));
  }
}
