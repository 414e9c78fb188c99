package dev.tenantkit.metering.internal;

import com.fasterxml.jackson.core.JsonPointer;

/**
 * The JSON path subset a meter may name for its value and dimensions, relative to an event's {@code
 * data}: {@code $} followed by one to eight steps, each a member {@code .name} (a letter or
 * underscore, then letters, digits and underscores), a quoted member {@code ['any name']} (any
 * characters but {@code '} and {@code \}) or an array index {@code [0]}. Filters, wildcards and
 * recursive descent are not supported: a path names exactly one value or none. Compiled to a
 * Jackson {@link JsonPointer}, which does the walking. Stateless and thread-safe.
 */
public final class JsonPaths {
  /** The most steps a path may have. */
  public static final int MAX_STEPS = 8;

  /** The longest path accepted, in characters. */
  public static final int MAX_LENGTH = 256;

  private JsonPaths() {}

  /**
   * Compiles {@code path}.
   *
   * @throws IllegalArgumentException saying what is wrong, if the path is not of the subset
   */
  public static JsonPointer compile(String path) {
    if (path == null || path.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a JSON path is $ and 1 to " + MAX_STEPS + " steps, at most " + MAX_LENGTH + " long");
    }
    if (!path.startsWith("$")) {
      throw new IllegalArgumentException("a JSON path starts with $, such as $.tokens");
    }
    StringBuilder pointer = new StringBuilder();
    int steps = 0;
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      String member;
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && isNameChar(path.charAt(end), end == i + 1)) {
          end++;
        }
        if (end == i + 1) {
          throw new IllegalArgumentException(
              "'.' in a JSON path is followed by a name such as tokens; use ['a name'] for others");
        }
        member = path.substring(i + 1, end);
        i = end;
      } else if (c == '[' && path.startsWith("['", i)) {
        int close = path.indexOf("']", i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("['name'] in a JSON path is not closed");
        }
        member = path.substring(i + 2, close);
        if (member.isEmpty() || member.indexOf('\'') >= 0 || member.indexOf('\\') >= 0) {
          throw new IllegalArgumentException(
              "['name'] in a JSON path holds a non-empty name without ' or \\");
        }
        i = close + 2;
      } else if (c == '[') {
        int close = path.indexOf(']', i);
        String index = close < 0 ? "" : path.substring(i + 1, close);
        if (!index.matches("0|[1-9][0-9]{0,5}")) {
          throw new IllegalArgumentException(
              "[n] in a JSON path holds an array index such as [0]; wildcards and filters are"
                  + " not supported");
        }
        member = index;
        i = close + 1;
      } else {
        throw new IllegalArgumentException(
            "unexpected '" + c + "' in a JSON path; steps are .name, ['name'] or [0]");
      }
      if (++steps > MAX_STEPS) {
        throw new IllegalArgumentException("a JSON path has at most " + MAX_STEPS + " steps");
      }
      pointer.append('/').append(member.replace("~", "~0").replace("/", "~1"));
    }
    if (steps == 0) {
      throw new IllegalArgumentException("a JSON path names a member, such as $.tokens, not $");
    }
    return JsonPointer.compile(pointer.toString());
  }

  private static boolean isNameChar(char c, boolean first) {
    boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return first ? letter : letter || (c >= '0' && c <= '9');
  }
}
