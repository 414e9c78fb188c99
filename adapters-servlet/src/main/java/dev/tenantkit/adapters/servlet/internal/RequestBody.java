package dev.tenantkit.adapters.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;

/** Reads a request body of bounded size and checks its media type. */
final class RequestBody {
  /** The largest body the admin API reads: 64 KiB. */
  static final int MAX_BYTES = 64 * 1024;

  private RequestBody() {}

  /**
   * The body's bytes, empty when there is none.
   *
   * @param mediaTypes the media types a non-empty body may have, lower case
   * @throws HttpProblem 413 {@code payload-too-large} above {@link #MAX_BYTES}, 415 {@code
   *     unsupported-media-type} for a non-empty body of another type or a charset other than UTF-8
   * @throws IOException if the body cannot be read
   */
  static byte[] read(HttpServletRequest request, Set<String> mediaTypes) throws IOException {
    return read(request, mediaTypes, MAX_BYTES);
  }

  /**
   * {@link #read(HttpServletRequest, Set)} with another bound: at most {@code maxBytes} are ever
   * read, so a larger body is refused without being buffered.
   *
   * @throws HttpProblem 413 above {@code maxBytes}, 415 as above
   * @throws IOException if the body cannot be read
   */
  static byte[] read(HttpServletRequest request, Set<String> mediaTypes, int maxBytes)
      throws IOException {
    if (request.getContentLengthLong() > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(maxBytes + 1);
    }
    if (body.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    if (body.length > 0 && !acceptable(request.getContentType(), mediaTypes)) {
      throw new HttpProblem(
          415,
          "unsupported-media-type",
          "the body must be sent as "
              + String.join(" or ", mediaTypes.stream().sorted().toList())
              + " in UTF-8");
    }
    return body;
  }

  /** Whether {@code contentType} is one of {@code mediaTypes} in UTF-8 (or without a charset). */
  static boolean acceptable(String contentType, Set<String> mediaTypes) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!mediaTypes.contains(parts[0].strip().toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].strip().toLowerCase(Locale.ROOT);
      if (param.startsWith("charset=")) {
        String charset = param.substring("charset=".length()).replace("\"", "");
        if (!charset.equals("utf-8")) {
          return false;
        }
      }
    }
    return true;
  }

  private static HttpProblem tooLarge(int maxBytes) {
    return new HttpProblem(
        413, "payload-too-large", "the body must be at most " + maxBytes + " bytes");
  }
}
