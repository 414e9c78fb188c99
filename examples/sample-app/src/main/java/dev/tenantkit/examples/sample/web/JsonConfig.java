package dev.tenantkit.examples.sample.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Locale;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Writes enum constants in JSON as lower-case words ({@code GAUGE} as {@code "gauge"}, {@code UP}
 * as {@code "up"}), the form of Tenantkit's operator API, so the app's answers and the operator's
 * look alike.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfig {
  @Bean
  Jackson2ObjectMapperBuilderCustomizer lowerCaseEnums() {
    return builder -> builder.serializerByType(Enum.class, new LowerCaseEnum());
  }

  /** {@code SOFT_LIMIT} as {@code "soft_limit"}. */
  private static final class LowerCaseEnum extends StdSerializer<Enum<?>> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings({"unchecked", "rawtypes"})
    LowerCaseEnum() {
      super((Class) Enum.class);
    }

    @Override
    public void serialize(Enum<?> value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.name().toLowerCase(Locale.ROOT));
    }
  }
}
