package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Where the app keeps its data when {@code TENANTKIT_DATA_DIR} is not set: in the user's home, not
 * under the working directory, which is the clone when the README's command is run.
 */
class DefaultDataDirTest {
  @Test
  void theDefaultDataDirIsInTheHomeDirectoryNotTheWorkingDirectory() throws IOException {
    // The application's own file, not the tests' config/application.properties.
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    env.getPropertySources()
        .addLast(
            new PropertiesPropertySource(
                "app",
                PropertiesLoaderUtils.loadProperties(
                    new ClassPathResource("application.properties"))));

    Path dataDir = Path.of(env.getRequiredProperty("tenantkit.data-dir")).toAbsolutePath();

    assertThat(dataDir).isEqualTo(Path.of(System.getProperty("user.home"), ".tenantkit-sample"));
    assertThat(dataDir.startsWith(Path.of("").toAbsolutePath())).isFalse();
  }
}
