package dev.tenantkit.adapters.servlet.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path pattern of the admin API, such as {@code /tenants/{id}/quotas/{name}}: literal segments
 * and whole-segment variables. Immutable and thread-safe.
 */
public final class RoutePattern {
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~-]+");
  private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

  private final String text;
  private final List<String> segments;
  // null where the segment is literal
  private final List<String> variables;

  private RoutePattern(String text, List<String> segments, List<String> variables) {
    this.text = text;
    this.segments = segments;
    this.variables = variables;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException if it does not start with {@code /}, has an empty segment, a
   *     segment that is neither a plain literal nor a whole {@code {name}}, or a variable twice
   */
  public static RoutePattern parse(String text) {
    if (text == null || !text.startsWith("/") || text.length() < 2) {
      throw new IllegalArgumentException(
          "an admin route pattern starts with '/' and names a path, like /usage, but got '"
              + text
              + "'");
    }
    List<String> segments = new ArrayList<>();
    List<String> variables = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String segment : text.substring(1).split("/", -1)) {
      Matcher variable = VARIABLE.matcher(segment);
      if (variable.matches()) {
        if (!seen.add(variable.group(1))) {
          throw new IllegalArgumentException(
              "admin route pattern '" + text + "' names {" + variable.group(1) + "} twice");
        }
        segments.add(segment);
        variables.add(variable.group(1));
      } else if (LITERAL.matcher(segment).matches()) {
        segments.add(segment);
        variables.add(null);
      } else {
        throw new IllegalArgumentException(
            "admin route pattern '"
                + text
                + "' has the segment '"
                + segment
                + "'; a segment is a literal of A-Z a-z 0-9 . _ ~ - or a whole {variable}");
      }
    }
    return new RoutePattern(text, List.copyOf(segments), Collections.unmodifiableList(variables));
  }

  /**
   * The variables of {@code path} if it matches, else {@code null}.
   *
   * @param path the path's segments, none of them empty
   */
  public Map<String, String> match(List<String> path) {
    if (path.size() != segments.size()) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String variable = variables.get(i);
      if (variable != null) {
        values.put(variable, path.get(i));
      } else if (!segments.get(i).equals(path.get(i))) {
        return null;
      }
    }
    return values;
  }

  /** Whether some path matches both this pattern and {@code other}. */
  public boolean overlaps(RoutePattern other) {
    if (segments.size() != other.segments.size()) {
      return false;
    }
    for (int i = 0; i < segments.size(); i++) {
      boolean literals = variables.get(i) == null && other.variables.get(i) == null;
      if (literals && !segments.get(i).equals(other.segments.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
