package dev.tenantkit.adapters.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A start in an embedded Tomcat that fails on a bad property: it names the property, and leaves
 * Tomcat no thread of the embedded database's pool to warn about (its "appears to have started a
 * thread ... but has failed to stop it").
 */
@ExtendWith(OutputCaptureExtension.class)
class FailedStartupTest {
  @TempDir Path dataDir;

  @Test
  void aBadPropertyStopsStartupWithoutThreadsLeftToTheContainer(CapturedOutput output) {
    SpringApplication app = new SpringApplication(TestApp.class);

    assertThatThrownBy(
            () ->
                app.run(
                    "--server.port=0",
                    "--tenantkit.data-dir=" + dataDir,
                    "--tenantkit.resolvers.order=api-key,bogus",
                    // logback-test.xml logs errors only; the container's warning is a WARN.
                    "--logging.level.org.apache.catalina=WARN"))
        .rootCause()
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageContaining("tenantkit.resolvers.order");
    assertThat(output).doesNotContain("failed to stop it").doesNotContain("tenantkit-h2-file");
  }
}
