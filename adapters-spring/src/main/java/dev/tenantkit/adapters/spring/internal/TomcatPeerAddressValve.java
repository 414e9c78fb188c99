package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.adapters.servlet.ServletRequestView;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Puts the address of the TCP peer into the request attribute {@link
 * ServletRequestView#PEER_ADDRESS_ATTRIBUTE}, so the gateway resolver checks the connection's peer
 * even when Tomcat's {@code RemoteIpValve} or Spring's {@code ForwardedHeaderFilter} has replaced
 * {@code getRemoteAddr()} with an address from {@code X-Forwarded-For}. Tomcat's {@link
 * Request#getPeerAddr()} reads the connection, which neither of them changes. Stateless and
 * thread-safe.
 */
public final class TomcatPeerAddressValve extends ValveBase {

  /** A valve that supports asynchronous requests. */
  public TomcatPeerAddressValve() {
    super(true);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    request.setAttribute(ServletRequestView.PEER_ADDRESS_ATTRIBUTE, request.getPeerAddr());
    getNext().invoke(request, response);
  }
}
