package dev.tenantkit.examples.sample.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.adapters.servlet.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error path ({@code server.error.path}, {@code /error}) as a problem, in place of
 * Spring Boot's {@code BasicErrorController}, whose JSON is not a problem and whose answer to a
 * direct request is a 500 (status 999) or a Whitelabel HTML page. A direct request is 404 {@code
 * route-not-found}, like any path without a route; an error the container forwards here (an
 * exception no one handled, a {@code sendError}) keeps its status, with the code {@link
 * ProblemCodes#forStatus} names and the failed request's path as {@code instance}. Always {@code
 * application/problem+json}, whatever the request accepts: the sample app is an API.
 */
@RestController
class ErrorEndpoint implements ErrorController {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RequestMapping("${server.error.path:${error.path:/error}}")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    Object forwarded = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status =
        forwarded instanceof Integer code && code >= 400 && code <= 599
            ? code
            : HttpServletResponse.SC_NOT_FOUND;
    String path =
        forwarded == null
            ? request.getRequestURI()
            : String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
    String code = ProblemCodes.forStatus(status);
    String detail =
        forwarded == null
            ? "no route matches " + path
            : status >= 500
                ? "the server could not answer the request; the failure is logged"
                : "the request was refused (" + status + ")";
    byte[] body = JSON.writeValueAsBytes(Problems.body(status, code, detail, path, Map.of()));
    request.setAttribute(Problems.CODE_ATTRIBUTE, code);
    response.resetBuffer();
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType(Problems.MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
