package dev.tenantkit.examples.sample.web;

import dev.tenantkit.adapters.servlet.Problems;
import dev.tenantkit.adapters.servlet.QuotaFilter;
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
    if (p.refusal() != null) {
      QuotaFilter.addRefusalFields(response, p.refusal());
    }
    Problems.write(request, response, p.status(), p.code(), p.getMessage(), p.extensions());
  }

  /**
   * The upload is over {@code spring.servlet.multipart.max-file-size} or max-request-size: 413.
   * Spring raises the same exception when the container's limit on the number of parts or on the
   * size of a part's headers is hit, which a file of a few bytes can do (60 form fields, a file
   * name of 450 characters); that is a 400 saying which limit it was, not a 413.
   */
  @ExceptionHandler(MaxUploadSizeExceededException.class)
  void tooLarge(
      MaxUploadSizeExceededException e, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String notSize = limitOtherThanSize(e);
    if (notSize != null) {
      Problems.write(request, response, 400, "invalid-input", notSize, Map.of("field", "file"));
      return;
    }
    Problems.write(
        request,
        response,
        413,
        ProblemCodes.FILE_TOO_LARGE,
        "the upload is larger than the server accepts",
        Map.of());
  }

  /**
   * What a container limit other than size was, or {@code null} for a size limit. Tomcat's
   * exceptions are recognised by name and message, so this advice does not depend on Tomcat's
   * classes (only the container's error valve does).
   */
  private static String limitOtherThanSize(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t.getClass().getSimpleName().equals("FileCountLimitExceededException")
          || message.contains("FileCountLimitExceededException")) {
        return "the upload has more parts than the server accepts; send the file in a part named"
            + " 'file' with few or no other fields";
      }
      if (message.contains("Header section has more than")) {
        return "the headers of a part are longer than the server accepts (the file name counts);"
            + " send a shorter file name";
      }
    }
    return null;
  }

  /** Not a multipart request, or one the container could not parse. */
  @ExceptionHandler(MultipartException.class)
  void notMultipart(MultipartException e, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String limit = limitOtherThanSize(e);
    Problems.write(
        request,
        response,
        400,
        "invalid-input",
        limit != null ? limit : "send the file as multipart/form-data in a part named 'file'",
        Map.of("field", "file"));
  }
}
