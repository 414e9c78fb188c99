package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.adapters.servlet.UsageMeteringFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The route template of a request in a Spring MVC application: the best-matching pattern that the
 * {@code DispatcherServlet} left on the request, such as {@code /api/files/{id}}. A request that
 * never reached Spring MVC (refused by the quota filter, say) is looked up in the application's
 * request mappings the way the dispatcher would, on a copy of its attributes, so it is metered
 * under its route too. Anything else falls back to {@link
 * UsageMeteringFilter#defaultRouteResolver()}. Thread-safe.
 */
public final class MvcRouteResolver implements Function<HttpServletRequest, String> {
  private final ObjectProvider<RequestMappingInfoHandlerMapping> mappings;

  /**
   * @param mappings the application's request mappings, looked up when first needed
   */
  public MvcRouteResolver(ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
    this.mappings = mappings;
  }

  @Override
  public String apply(HttpServletRequest request) {
    if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String p) {
      return p;
    }
    for (RequestMappingInfoHandlerMapping mapping :
        (Iterable<RequestMappingInfoHandlerMapping>) mappings.orderedStream()::iterator) {
      String pattern = lookUp(mapping, request);
      if (pattern != null) {
        return pattern;
      }
    }
    return UsageMeteringFilter.defaultRouteResolver().apply(request);
  }

  private static String lookUp(
      RequestMappingInfoHandlerMapping mapping, HttpServletRequest request) {
    ScratchAttributes scratch = new ScratchAttributes(request);
    try {
      if (mapping.usesPathPatterns()) {
        ServletRequestPathUtils.parseAndCache(scratch);
      }
      if (mapping.getHandler(scratch) == null) {
        return null;
      }
    } catch (Exception e) {
      // No handler for this method or media type: the request has no route of this mapping.
      return null;
    }
    return scratch.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String p
        ? p
        : null;
  }

  /** The request with attributes written to a private layer, so a look-up leaves no trace. */
  private static final class ScratchAttributes extends HttpServletRequestWrapper {
    private final Map<String, Object> written = new HashMap<>();
    private final Set<String> removed = new HashSet<>();

    ScratchAttributes(HttpServletRequest request) {
      super(request);
    }

    @Override
    public Object getAttribute(String name) {
      if (written.containsKey(name)) {
        return written.get(name);
      }
      return removed.contains(name) ? null : super.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
      Set<String> names = new HashSet<>(Collections.list(super.getAttributeNames()));
      names.removeAll(removed);
      names.addAll(written.keySet());
      return Collections.enumeration(names);
    }

    @Override
    public void setAttribute(String name, Object value) {
      if (value == null) {
        removeAttribute(name);
        return;
      }
      written.put(name, value);
      removed.remove(name);
    }

    @Override
    public void removeAttribute(String name) {
      written.remove(name);
      removed.add(name);
    }
  }
}
