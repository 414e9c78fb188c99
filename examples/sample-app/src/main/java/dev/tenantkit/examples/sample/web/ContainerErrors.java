package dev.tenantkit.examples.sample.web;

import org.apache.catalina.Container;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Puts {@link ProblemReportValve} in place of the host's {@link ErrorReportValve}, so that the
 * requests embedded Tomcat refuses itself, before Tenantkit's filter or Spring MVC run, are
 * answered as problems too and not as Tomcat's HTML page.
 *
 * <p>Spring Boot adds an {@code ErrorReportValve} of its own to the host (without the server's
 * version or the report) while it configures the context, and {@link StandardHost} would add its
 * default one when it starts. So this customizer runs last ({@link Ordered#LOWEST_PRECEDENCE}),
 * removes every {@code ErrorReportValve} from the host's pipeline, adds the problem valve and names
 * its class as the host's error report valve class, which keeps the host from adding another.
 */
@Component
class ContainerErrors
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          Container host = context.getParent();
          Pipeline pipeline = host.getPipeline();
          for (Valve valve : pipeline.getValves()) {
            if (valve instanceof ErrorReportValve) {
              pipeline.removeValve(valve);
            }
          }
          pipeline.addValve(new ProblemReportValve());
          if (host instanceof StandardHost standard) {
            standard.setErrorReportValveClass(ProblemReportValve.class.getName());
          }
        });
  }

  @Override
  public int getOrder() {
    // After Spring Boot's TomcatWebServerFactoryCustomizer, whose context customizer adds its
    // valve.
    return Ordered.LOWEST_PRECEDENCE;
  }
}
