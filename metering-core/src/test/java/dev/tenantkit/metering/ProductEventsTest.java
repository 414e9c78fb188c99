package dev.tenantkit.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.TenantId;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Product events as docs/metering.md shows them: a dotted meter next to the built-ins, with user,
 * source and properties that are stored, filtered on and exported, never aggregated.
 */
class ProductEventsTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  private final MeterDefinition login =
      MeterDefinition.builder("auth.user.login")
          .unit("logins")
          .dimensions("method")
          .durability(Durability.BUFFERED)
          .build();
  private final Metering metering =
      Metering.builder()
          .store(InMemoryUsageStore.create())
          .catalog(MeterCatalog.builder().addAll(Meters.BUILT_INS).add(login).build())
          .build();

  @AfterEach
  void close() {
    metering.close();
  }

  @Test
  void aLoginIsRecordedWithItsUserSourceAndPropertiesAndFoundByUser() {
    metering
        .usageMeter()
        .record(
            UsageEvent.builder(ACME, "auth.user.login")
                .dimension("method", "sso")
                .userId("u-123")
                .source("web")
                .property("ip_country", "DE")
                .build());
    metering
        .usageMeter()
        .record(UsageEvent.builder(ACME, "auth.user.login").userId("u-456").source("cli").build());
    metering
        .usageMeter()
        .record(UsageEvent.builder(GLOBEX, "auth.user.login").userId("u-123").build());
    metering.usageMeter().flush();

    List<RecordedEvent> mine =
        metering
            .queries()
            .events(ACME, new EventFilter("auth.user.login", null, "u-123", null), null, 50)
            .items();
    assertThat(mine).hasSize(1);
    UsageEvent e = mine.get(0).event();
    assertThat(e.source()).isEqualTo("web");
    assertThat(e.dimensions()).containsEntry("method", "sso");
    assertThat(e.properties()).containsEntry("ip_country", "DE");
    assertThat(
            metering
                .queries()
                .events(ACME, new EventFilter(null, null, null, "cli"), null, 50)
                .items())
        .extracting(r -> r.event().userId())
        .containsExactly("u-456");

    StringWriter csv = new StringWriter();
    assertThat(metering.queries().exportCsv(ACME, EventFilter.all(), csv)).isEqualTo(2);
    assertThat(csv.toString()).contains("auth.user.login", "u-123", "ip_country", "web");
    assertThat(csv.toString()).doesNotContain("globex");
  }
}
