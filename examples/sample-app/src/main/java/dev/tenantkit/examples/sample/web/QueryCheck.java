package dev.tenantkit.examples.sample.web;

import dev.tenantkit.tenancy.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses an {@code /api} request whose query string has a broken percent-escape ({@code
 * period=%zz}) with a 400 problem naming the parameter. Tomcat drops such a parameter without a
 * word, so the request would otherwise be answered as if it had not been sent (with the default
 * period, say). Runs after the tenant filter, so a request without a valid credential still gets
 * its 401 first.
 */
@Configuration(proxyBeanMethods = false)
class QueryCheck implements WebMvcConfigurer, HandlerInterceptor {
  /** A {@code %} not followed by two hex digits. */
  private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns("/api/**");
  }

  /**
   * @throws InvalidInputException naming the parameter ({@code query} when its name is broken too),
   *     answered 400 by the tenant filter
   */
  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    String query = request.getQueryString();
    if (query == null || query.indexOf('%') < 0) {
      return true;
    }
    for (String pair : query.split("&", -1)) {
      if (!BROKEN_ESCAPE.matcher(pair).find()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String field =
          name.isEmpty() || BROKEN_ESCAPE.matcher(name).find()
              ? "query"
              : URLDecoder.decode(name, StandardCharsets.UTF_8);
      throw new InvalidInputException(
          field,
          field + " is not percent-encoded correctly: a '%' must be followed by two hex digits");
    }
    return true;
  }
}
