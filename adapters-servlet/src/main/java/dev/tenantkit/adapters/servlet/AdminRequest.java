package dev.tenantkit.adapters.servlet;

import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.TenantId;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * One request to an {@link AdminRoute}, after the operator key was checked. Not thread-safe; used
 * by the thread that handles the request.
 */
public interface AdminRequest {

  /** The HTTP method, such as {@code PUT}. */
  String method();

  /** The path within the operator API (the servlet's path info), such as {@code /usage}. */
  String path();

  /**
   * The value of a variable of the route's pattern, as the container decoded it.
   *
   * @throws IllegalArgumentException if the pattern has no such variable
   */
  String pathVariable(String name);

  /**
   * The variable {@code name} read as a tenant id (trimmed, lower-cased).
   *
   * @throws InvalidTenantIdException if it is not a valid tenant id (answered 400 {@code
   *     malformed-tenant-id})
   * @throws IllegalArgumentException if the pattern has no such variable
   */
  TenantId tenantId(String name);

  /** A query parameter, empty when absent. */
  Optional<String> parameter(String name);

  /**
   * Reads the body as JSON into {@code type}, strictly: the body is required and of at most 64 KiB,
   * sent as {@code application/json} (UTF-8); unknown members, duplicate members, members of a
   * record's constructor that are missing, values of the wrong type (no coercion of {@code "5"} to
   * a number, or of {@code 5.5} to an integer) and trailing content are refused. A member that is
   * present as {@code null} is read as {@code null} (or {@code NullNode} for a {@code JsonNode}
   * member), so a handler can tell "absent" from "null".
   *
   * @throws InvalidInputException naming the member ({@code field}) that is wrong, or {@code body}
   *     (a body over 64 KiB or of another media type is answered 413 {@code payload-too-large} or
   *     415 {@code unsupported-media-type} by the servlet)
   * @throws IOException if the body cannot be read
   */
  <T> T body(Class<T> type) throws IOException;

  /** The underlying servlet request, for what this interface does not cover. */
  HttpServletRequest servletRequest();
}
