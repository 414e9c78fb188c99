package dev.tenantkit.examples.sample.web;

import dev.tenantkit.adapters.servlet.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Answers the sample app's own refusals, and the multipart failures Spring raises before a
 * controller runs, as problems written by Tenantkit's {@link Problems}, so every error of the API
 * has one form. Tenantkit's exceptions are not handled here: they propagate to the tenant filter,
 * which answers them. Ordered first, ahead of Spring Boot's generic problem details, which would
 * answer an oversized upload with a problem of type {@code about:blank}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProblemAdvice {
  @ExceptionHandler(ApiProblem.class)
  void apiProblem(ApiProblem p, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    p.headers().forEach(response::setHeader);
    Problems.write(request, response, p.status(), p.code(), p.getMessage(), p.extensions());
  }

  /** The upload is over {@code spring.servlet.multipart.max-file-size} or max-request-size. */
  @ExceptionHandler(MaxUploadSizeExceededException.class)
  void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Problems.write(
        request,
        response,
        413,
        ProblemCodes.FILE_TOO_LARGE,
        "the upload is larger than the server accepts",
        Map.of());
  }

  /** Not a multipart request, or one the container could not parse. */
  @ExceptionHandler(MultipartException.class)
  void notMultipart(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Problems.write(
        request,
        response,
        400,
        "invalid-input",
        "send the file as multipart/form-data in a part named 'file'",
        Map.of("field", "file"));
  }
}
