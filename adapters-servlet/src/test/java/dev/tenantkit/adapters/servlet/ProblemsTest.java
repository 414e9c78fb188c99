package dev.tenantkit.adapters.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageRejectedException;
import dev.tenantkit.metering.quota.QuotaUnavailableException;
import dev.tenantkit.metering.quota.UnknownPlanException;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.MissingScopeException;
import dev.tenantkit.tenancy.NoTenantBoundException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantNotFoundException;
import dev.tenantkit.tenancy.TenantStateException;
import dev.tenantkit.tenancy.TenantkitException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemsTest {

  /** A Tenantkit exception no mapping knows about. */
  private static final class Other extends TenantkitException {
    private static final long serialVersionUID = 1L;

    Other() {
      super("something-else", "other");
    }
  }

  @Test
  void mapsEachExceptionToItsStatus() {
    assertThat(Problems.status(new InvalidInputException("name", "bad"))).isEqualTo(400);
    assertThat(Problems.status(new InvalidTenantIdException("bad"))).isEqualTo(400);
    assertThat(Problems.status(new TenantNotFoundException(TenantId.of("x")))).isEqualTo(404);
    assertThat(Problems.status(new NotFoundException("x"))).isEqualTo(404);
    assertThat(Problems.status(new ConflictException("x"))).isEqualTo(409);
    assertThat(Problems.status(new TenantStateException("x"))).isEqualTo(409);
    assertThat(Problems.status(new MissingScopeException("a:b"))).isEqualTo(403);
    assertThat(Problems.status(new NoTenantBoundException())).isEqualTo(401);
    assertThat(Problems.status(new Other())).isEqualTo(400);
  }

  @Test
  void mapsMeteringAndQuotaExceptions() {
    assertThat(Problems.status(new QuotaUnavailableException("down", new RuntimeException())))
        .isEqualTo(503);
    assertThat(Problems.status(new UnknownPlanException(TenantId.of("x"), "gold"))).isEqualTo(500);
    assertThat(Problems.status(new UsageRejectedException(RejectionReason.BUFFER_FULL, "full")))
        .isEqualTo(503);
    assertThat(
            Problems.status(new UsageRejectedException(RejectionReason.STORE_UNAVAILABLE, "down")))
        .isEqualTo(503);
    assertThat(
            Problems.status(
                new UsageRejectedException(RejectionReason.IDEMPOTENCY_CONFLICT, "other payload")))
        .isEqualTo(409);
    assertThat(
            Problems.status(new UsageRejectedException(RejectionReason.UNKNOWN_METER, "no meter")))
        .isEqualTo(400);
  }

  @Test
  void namesTheFieldOfInvalidInputAndTheMissingScope() {
    assertThat(Problems.extensions(new InvalidInputException("plan", "bad")))
        .isEqualTo(Map.of("field", "plan"));
    assertThat(Problems.extensions(new InvalidTenantIdException("bad")))
        .isEqualTo(Map.of("field", "tenantId"));
    assertThat(Problems.extensions(new MissingScopeException("a:b")))
        .isEqualTo(Map.of("scope", "a:b"));
    assertThat(Problems.extensions(new ConflictException("x"))).isEmpty();
  }

  @Test
  void buildsTheBodyInRfc9457Order() {
    Map<String, Object> body =
        Problems.body(404, "tenant-not-found", "no acme", "/api/x", Map.of("field", "id"));

    assertThat(List.copyOf(body.keySet()))
        .containsExactly("type", "title", "status", "detail", "instance", "code", "field");
    assertThat(body.get("type")).isEqualTo("https://tenantkit.dev/problems/tenant-not-found");
    assertThat(body.get("title")).isEqualTo("Tenant not found");
    assertThat(body.get("status")).isEqualTo(404);
    assertThat(Problems.type("conflict")).isEqualTo(URI.create(Problems.TYPE_BASE + "conflict"));
  }

  @Test
  void anExtensionCannotRedefineAStandardMember() {
    assertThatThrownBy(() -> Problems.body(400, "x", "d", "/", Map.of("status", 200)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClosedUsageMeterIs503AndNoOtherIllegalStateExceptionIsARefusal() {
    Problem closed =
        Problems.forFailure(
                new jakarta.servlet.ServletException(
                    new dev.tenantkit.metering.UsageMeterClosedException()))
            .orElseThrow();
    assertThat(closed.status()).isEqualTo(503);
    assertThat(closed.code()).isEqualTo("store-unavailable");
    assertThat(Problems.forFailure(new IllegalStateException("a bug"))).isEmpty();
  }

  @Test
  void aRejectionCodeHasOneStatusForInProcessAndIngestedEvents() {
    assertThat(Problems.rejectionStatus("idempotency-conflict")).isEqualTo(409);
    assertThat(Problems.rejectionStatus("store-unavailable")).isEqualTo(503);
    assertThat(Problems.rejectionStatus("buffer-full")).isEqualTo(503);
    assertThat(Problems.rejectionStatus("subject-mismatch")).isEqualTo(403);
    assertThat(Problems.rejectionStatus("meter-not-ingestible")).isEqualTo(403);
    assertThat(Problems.rejectionStatus("unknown-meter")).isEqualTo(400);
    for (RejectionReason reason : RejectionReason.values()) {
      assertThat(Problems.status(new UsageRejectedException(reason, "x")))
          .as(reason.code())
          .isEqualTo(Problems.rejectionStatus(reason.code()));
    }
  }

  @Test
  void aLongDetailIsCutAndNeverInsideASurrogatePair() {
    String quoted = "no plan '" + "x".repeat(10_000) + "'";
    Object detail = Problems.body(400, "invalid-input", quoted, "/x", Map.of()).get("detail");
    assertThat((String) detail)
        .hasSize(Problems.MAX_DETAIL)
        .startsWith("no plan 'xxx")
        .endsWith("\u2026");
    String emoji = "a".repeat(Problems.MAX_DETAIL - 2) + "\uD83D\uDE00" + "b".repeat(10);
    String cut = (String) Problems.body(400, "invalid-input", emoji, "/x", Map.of()).get("detail");
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    assertThat(cut).endsWith("\u2026");
    assertThat(Problems.body(400, "invalid-input", "short", "/x", Map.of()).get("detail"))
        .isEqualTo("short");
  }
}
