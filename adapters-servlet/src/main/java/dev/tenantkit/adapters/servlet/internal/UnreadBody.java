package dev.tenantkit.adapters.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Closes the connection after a refusal that leaves a request body unread. Otherwise the container
 * may find the unread bytes only after the answer has gone out as keep-alive and then drop the
 * connection, and a client that reuses it for its next request fails.
 */
public final class UnreadBody {
  private UnreadBody() {}

  /** Sets {@code Connection: close} if the request announced a body (a length or chunking). */
  public static void closeConnectionIfAny(
      HttpServletRequest request, HttpServletResponse response) {
    if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
      response.setHeader("Connection", "close");
    }
  }
}
