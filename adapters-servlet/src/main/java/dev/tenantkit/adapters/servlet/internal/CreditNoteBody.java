package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNoteMethod;
import dev.tenantkit.billing.invoice.CreditNoteReason;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.tenancy.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the body of {@code POST /invoices/{id}/credit-notes} strictly: {@code {"whole": true}} or
 * {@code {"lines": [{"line": 0, "amount": "5.00"}]}} (amounts before tax, as decimal strings, never
 * JSON numbers), {@code "method"} ({@code refund}, or {@code credit} / {@code credit_back}), {@code
 * "reason"} (a {@link CreditNoteReason} in lower case) and an optional {@code "description"}.
 * Stateless.
 */
public final class CreditNoteBody {
  private static final Set<String> JSON = Set.of("application/json");
  private static final Set<String> FIELDS =
      Set.of("whole", "lines", "method", "reason", "description");
  private static final Set<String> LINE_FIELDS = Set.of("line", "amount");

  private CreditNoteBody() {}

  /**
   * The credit note asked for, under id {@code id}, issued on {@code today}, in {@code currency}.
   *
   * @throws InvalidInputException naming the member that is wrong
   * @throws IOException if the body cannot be read
   */
  public static CreditNoteRequest read(
      HttpServletRequest request, String id, LocalDate today, Currency currency)
      throws IOException {
    byte[] raw = RequestBody.read(request, JSON);
    if (raw.length == 0) {
      throw new InvalidInputException("body", "is required");
    }
    JsonFields body = JsonFields.parse(raw, FIELDS);
    CreditNoteMethod method = method(body.requiredText("method"));
    CreditNoteReason reason = reason(body.requiredText("reason"));
    String description = body.text("description");
    boolean whole = body.bool("whole");
    Map<Integer, Money> amounts = lines(body, currency);
    if (whole == !amounts.isEmpty()) {
      throw new InvalidInputException("lines", "give either \"whole\": true or some lines");
    }
    return whole
        ? CreditNoteRequest.whole(id, today, reason, description, method)
        : CreditNoteRequest.lines(id, today, reason, description, method, amounts);
  }

  private static Map<Integer, Money> lines(JsonFields body, Currency currency) {
    Map<Integer, Money> amounts = new TreeMap<>();
    JsonNode lines = body.node("lines");
    if (lines == null || lines.isNull()) {
      return amounts;
    }
    if (!lines.isArray()) {
      throw new InvalidInputException("lines", "must be an array");
    }
    for (int i = 0; i < lines.size(); i++) {
      String field = "lines[" + i + "]";
      JsonFields line = JsonFields.of(lines.get(i), field, LINE_FIELDS);
      Long index = line.integer("line");
      if (index == null || index < 0 || index > Integer.MAX_VALUE) {
        throw new InvalidInputException(field + ".line", "is required: the line's index from 0");
      }
      String text = line.requiredText("amount");
      BigDecimal amount;
      try {
        amount = new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw new InvalidInputException(field + ".amount", "must be a decimal string");
      }
      if (amounts.put(index.intValue(), Money.of(amount, currency)) != null) {
        throw new InvalidInputException(field + ".line", "is given twice");
      }
    }
    return amounts;
  }

  private static CreditNoteMethod method(String text) {
    return switch (text) {
      case "refund" -> CreditNoteMethod.REFUND;
      case "credit", "credit_back" -> CreditNoteMethod.CREDIT_BACK;
      default -> throw new InvalidInputException("method", "must be refund or credit");
    };
  }

  private static CreditNoteReason reason(String text) {
    List<String> names = new ArrayList<>();
    for (CreditNoteReason r : CreditNoteReason.values()) {
      if (r.wireName().equals(text)) {
        return r;
      }
      names.add(r.name().toLowerCase(Locale.ROOT));
    }
    throw new InvalidInputException("reason", "must be one of " + String.join(", ", names));
  }
}
