package dev.tenantkit.examples.sample.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tenantkit.adapters.servlet.Problems;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report for the host, as a problem of Tenantkit's form in place of Tomcat's HTML
 * page. It answers the requests Tomcat refuses before any filter or servlet runs: a request line,
 * path, query or header Tomcat cannot parse or that is over its size limit (400), an encoded slash,
 * {@code %00} or invalid UTF-8 in the path (400), an absolute request target naming another host
 * (400), an {@code Expect} other than {@code 100-continue} (417), {@code TRACE} (405), {@code
 * CONNECT} (501) and an unsupported HTTP version (505). The status is Tomcat's; the code is the one
 * {@link ProblemCodes#forStatus} names, as for the errors {@link ErrorEndpoint} answers.
 *
 * <p>The body never contains Tomcat's message, the exception or the server's version: the message
 * can repeat the refused bytes, and the rest is of no use to the caller. There is no {@code
 * instance}, since the refused request has no path the app would recognize. The JSON is ASCII
 * (other characters escaped), so it reads the same whatever charset a writer already in use has.
 *
 * <p>Installed by {@link ContainerErrors}. Stateless after construction and thread-safe, like every
 * Tomcat valve. {@link #report} throws nothing; a response that cannot be written is left as it is.
 */
final class ProblemReportValve extends ErrorReportValve {
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .build();

  /** Creates the valve, which never shows Tomcat's report or the server's version. */
  ProblemReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As Tomcat's own: only an error status, only if nothing was written, only once.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    String code = ProblemCodes.forStatus(status);
    Map<String, Object> problem = Problems.body(status, code, detail(status), null, Map.of());
    problem.remove("instance");
    try {
      byte[] body = JSON.writeValueAsBytes(problem);
      response.setHeader("Cache-Control", "no-store");
      response.setContentType(Problems.MEDIA_TYPE);
      response.setContentLength(body.length);
      write(response, body);
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // The client went away or the response cannot take a body any more: nothing to answer.
    }
  }

  private static void write(Response response, byte[] body) throws IOException {
    OutputStream out;
    try {
      out = response.getOutputStream();
    } catch (IllegalStateException writerInUse) {
      PrintWriter writer = response.getReporter();
      if (writer != null) {
        writer.write(new String(body, StandardCharsets.US_ASCII));
        writer.flush();
      }
      return;
    }
    out.write(body);
  }

  private static String detail(int status) {
    return switch (status) {
      case 400 ->
          "the request is malformed or too large (its request line, path, query or headers);"
              + " the server refused it before it reached the application";
      case 404 -> "no route matches the request";
      case 405 -> "the method is not allowed";
      case 417 -> "the only expectation the server meets is Expect: 100-continue";
      case 501 -> "the method is not implemented";
      case 505 -> "the HTTP version is not supported; use HTTP/1.1";
      default ->
          status >= 500
              ? "the server could not answer the request"
              : "the request was refused (" + status + ")";
    };
  }
}
