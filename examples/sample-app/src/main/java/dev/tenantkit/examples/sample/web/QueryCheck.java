package dev.tenantkit.examples.sample.web;

import dev.tenantkit.adapters.servlet.QueryStrings;
import dev.tenantkit.tenancy.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
    QueryStrings.requireDecodable(request.getQueryString());
    return true;
  }
}
