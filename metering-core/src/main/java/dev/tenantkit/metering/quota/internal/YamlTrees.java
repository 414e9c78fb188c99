package dev.tenantkit.metering.quota.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The only class that touches the optional YAML module, so that without it nothing but {@link
 * dev.tenantkit.metering.quota.PlanCatalog#fromYaml} fails (with {@link NoClassDefFoundError} when
 * this class is first loaded, which {@link CatalogReader} turns into a clear message).
 */
final class YamlTrees {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private YamlTrees() {}

  static JsonNode read(String text) throws JsonProcessingException {
    return YAML.readTree(text);
  }
}
