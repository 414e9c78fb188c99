package dev.tenantkit.examples.sample.setup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the sample app an operator key when none is configured: the key stored in {@code
 * <data-dir>/operator-key}, generated there (readable by the owner only) on first start, so it
 * stays the same across restarts. A key set through {@code TENANTKIT_OPERATOR_KEY} or {@code
 * tenantkit.operator-key} always wins and is never written to disk. Registered in {@code
 * META-INF/spring.factories}; runs before any bean is created, so Tenantkit's auto-configuration
 * sees the key like any other property.
 *
 * <p>Throws {@link IllegalStateException} when the key file exists but holds no usable key, and
 * {@link UncheckedIOException} when it cannot be read or written; either stops startup.
 */
public final class OperatorKeyEnvironment implements EnvironmentPostProcessor {
  /** The file in the data dir that holds a generated operator key. */
  public static final String FILE_NAME = "operator-key";

  /** Set to {@code true} when this start generated the key, so it is printed once. */
  static final String GENERATED = "sample.operator-key.generated";

  /** Set to the key file's path when the key comes from it. */
  static final String FILE = "sample.operator-key.file";

  private static final String OPERATOR_KEY = "tenantkit.operator-key";
  private static final int MIN_LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Created by Spring Boot. */
  public OperatorKeyEnvironment() {}

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    String configured = environment.getProperty(OPERATOR_KEY);
    if ((configured != null && !configured.isBlank())
        || !environment.getProperty("tenantkit.admin.enabled", Boolean.class, true)
        || !environment.getProperty("tenantkit.enabled", Boolean.class, true)) {
      return;
    }
    String dataDir = environment.getProperty("tenantkit.data-dir");
    if (dataDir == null || dataDir.isBlank()) {
      // The adapter refuses a blank data dir with a report naming the property.
      return;
    }
    Path file = Path.of(dataDir, FILE_NAME);
    boolean generated = false;
    String key;
    try {
      if (Files.exists(file)) {
        key = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (key.length() < MIN_LENGTH) {
          throw new IllegalStateException(
              file.toAbsolutePath()
                  + " holds no usable operator key (it needs at least "
                  + MIN_LENGTH
                  + " characters). Delete the file to have a new key generated, or set"
                  + " TENANTKIT_OPERATOR_KEY.");
        }
      } else {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        key = "tko_" + HexFormat.of().formatHex(bytes);
        OwnerOnlyFiles.write(file, key + "\n");
        generated = true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the operator key from " + file, e);
    }
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "sampleOperatorKey",
                Map.of(
                    OPERATOR_KEY,
                    key,
                    GENERATED,
                    Boolean.toString(generated),
                    FILE,
                    file.toAbsolutePath().normalize().toString())));
  }
}
