package dev.tenantkit.billing.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The only class that touches the optional YAML module, so that without it only {@link
 * PriceCatalog#fromYaml} fails. Decimals are read as {@link java.math.BigDecimal}, never through a
 * {@code double}.
 */
final class YamlTrees {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private YamlTrees() {}

  static JsonNode read(String text) throws JsonProcessingException {
    return YAML.readTree(text);
  }
}
