package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in plain words why a body is not valid JSON. The parser's own messages name its classes and
 * switches ({@code StreamReadConstraints.getMaxNumberLength()}, {@code
 * JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}), which mean nothing to a caller, so only the position
 * and a short reason of ours are answered.
 */
final class JsonErrors {
  private static final Pattern MAXIMUM = Pattern.compile("maximum allowed \\((\\d+)");
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.{1,64})'$");
  private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '(\\w{1,16})'");

  private JsonErrors() {}

  /**
   * The {@link InvalidInputException} (field {@code body}) for a body that is not valid JSON, or
   * {@code null} when {@code e} is about something else, such as a member of the wrong type.
   */
  static InvalidInputException ifNotJson(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StreamConstraintsException limit) {
        return new InvalidInputException("body", "is too large to read: " + limit(limit));
      }
      if (t instanceof JsonParseException parse) {
        return new InvalidInputException("body", "is not valid JSON" + where(parse, reason(parse)));
      }
    }
    if (String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
      return new InvalidInputException(
          "body", "is not valid JSON" + where(e, "there is more content after the JSON value"));
    }
    return null;
  }

  /** {@link #ifNotJson}, or a plain "is not valid JSON" with the position for anything else. */
  static InvalidInputException notJson(JsonProcessingException e) {
    InvalidInputException known = ifNotJson(e);
    return known != null
        ? known
        : new InvalidInputException("body", "is not valid JSON" + where(e, null));
  }

  private static String limit(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    Matcher max = MAXIMUM.matcher(message);
    String n = max.find() ? max.group(1) : null;
    if (message.startsWith("Number value length") || message.startsWith("Number length")) {
      return n == null ? "a number is too long" : "a number longer than " + n + " digits";
    }
    if (message.startsWith("Document nesting depth") || message.contains("nesting depth")) {
      return n == null ? "it is nested too deeply" : "nesting deeper than " + n + " levels";
    }
    if (message.startsWith("String value length") || message.startsWith("String length")) {
      return n == null ? "a string is too long" : "a string longer than " + n + " characters";
    }
    if (message.startsWith("Name length")) {
      return n == null
          ? "a member name is too long"
          : "a member name longer than " + n + " characters";
    }
    return "it exceeds a limit of the JSON reader";
  }

  private static String reason(JsonParseException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (e instanceof JsonEOFException) {
      return "it ends before the JSON value is complete";
    }
    Matcher duplicate = DUPLICATE.matcher(message);
    if (duplicate.find()) {
      return "the member '" + duplicate.group(1) + "' appears twice";
    }
    Matcher nonStandard = NON_STANDARD.matcher(message);
    if (nonStandard.find()) {
      return "'" + nonStandard.group(1) + "' is not a JSON value";
    }
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("invalid utf-8")) {
      return "it is not valid UTF-8";
    }
    if (lower.startsWith("illegal unquoted character")) {
      return "a control character in a string must be escaped";
    }
    if (lower.contains("leading zeroes")) {
      return "a number has a leading zero";
    }
    return null;
  }

  private static String where(JsonProcessingException e, String reason) {
    JsonLocation at = e.getLocation();
    String position =
        at == null || at.getLineNr() < 1
            ? ""
            : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return position + (reason == null ? "" : ": " + reason);
  }
}
