package dev.tenantkit.examples.sample.web;

import dev.tenantkit.adapters.servlet.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Gives Spring MVC's own refusals (no route, a method or media type the route does not take, a
 * missing parameter) Tenantkit's problem form: {@code type} {@code
 * https://tenantkit.dev/problems/<code>}, its title, and the extension {@code code}, as {@link
 * ProblemCodes#forStatus} names it. Spring writes them as {@code about:blank} problems otherwise.
 * Being a {@link ResponseEntityExceptionHandler}, it takes the place of Spring Boot's own (which
 * {@code spring.mvc.problemdetails.enabled} would register); ordered after {@link ProblemAdvice}.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class MvcProblems extends ResponseEntityExceptionHandler {
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem) {
      String code = ProblemCodes.forStatus(statusCode.value());
      problem.setType(Problems.type(code));
      problem.setTitle(Problems.title(code));
      problem.setProperty("code", code);
      if (statusCode.value() == 404 && request instanceof ServletWebRequest servlet) {
        // Spring's own detail ("No static resource api/nope.") speaks of files the API has none of.
        problem.setDetail("no route matches " + servlet.getRequest().getRequestURI());
      }
      // Read by Tenantkit's metering filter, so the error is counted under this code.
      request.setAttribute(Problems.CODE_ATTRIBUTE, code, RequestAttributes.SCOPE_REQUEST);
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }
}
