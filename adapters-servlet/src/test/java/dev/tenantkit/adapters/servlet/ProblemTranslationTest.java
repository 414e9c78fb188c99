package dev.tenantkit.adapters.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.billing.invoice.CurrencyMismatchException;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.plan.InvalidPriceCatalogException;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.UsageRejectedException;
import dev.tenantkit.metering.ingest.IngestLimitException;
import dev.tenantkit.metering.quota.InvalidPlanCatalogException;
import dev.tenantkit.metering.quota.QuotaUnavailableException;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.UnknownPlanException;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.MissingScopeException;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.NoTenantBoundException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.PurgeFailedException;
import dev.tenantkit.tenancy.StateException;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantNotFoundException;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.TenantStateException;
import dev.tenantkit.tenancy.TenantkitException;
import dev.tenantkit.tenancy.config.InvalidSettingException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Tenantkit exception type of tenancy-core and metering-core is answered with the same
 * problem whichever Tenantkit filter or route meets it: the tenant filter's answer (thrown by a
 * handler directly, inside a {@code ServletException} or inside another exception, past the quota
 * filter), the metering filter's {@code errors} event, and the operator API's answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProblemTranslationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR_KEY = "operator-key-0123456789";

  /** One row per exception type (and per rejection reason), with the status it must get. */
  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(new InvalidInputException("name", "must not be blank"), 400));
    rows.add(new Row(new InvalidTenantIdException("is not a tenant id"), 400));
    rows.add(new Row(new InvalidPlanCatalogException("plans.yaml", "plans.free", "bad"), 400));
    rows.add(new Row(new InvalidSettingException("consume", "holds 'x'"), 400));
    rows.add(new Row(new TenantNotFoundException(TenantId.of("nobody")), 404));
    rows.add(new Row(new NotFoundException("no such key"), 404));
    rows.add(new Row(new ConflictException("the name is taken"), 409));
    rows.add(new Row(new TenantStateException("the tenant is deleted"), 409));
    rows.add(new Row(new MissingScopeException("files:write"), 403));
    rows.add(new Row(new NoTenantBoundException(), 401));
    rows.add(new Row(new IngestLimitException("more than 1,000 events"), 413));
    rows.add(
        new Row(new PurgeFailedException(TenantId.of("gone"), new IllegalStateException()), 503));
    rows.add(new Row(new QuotaUnavailableException("down", new IllegalStateException()), 503));
    rows.add(new Row(new UnknownPlanException(TenantId.of("acme"), "gold"), 500));
    rows.add(new Row(new InvoiceStateException("a draft is not credited"), 409));
    rows.add(
        new Row(
            new CurrencyMismatchException(
                "currency", Currency.getInstance("USD"), Currency.getInstance("EUR")),
            400));
    rows.add(new Row(new InvalidPriceCatalogException("prices.yaml", "plans.pro", "bad"), 400));
    for (RejectionReason reason : RejectionReason.values()) {
      int status =
          switch (reason) {
            case BUFFER_FULL, STORE_UNAVAILABLE -> 503;
            case IDEMPOTENCY_CONFLICT -> 409;
            default -> 400;
          };
      rows.add(new Row(new UsageRejectedException(reason, "refused: " + reason.code()), status));
    }
    return rows;
  }

  record Row(TenantkitException exception, int status) {
    @Override
    public String toString() {
      return exception.getClass().getSimpleName() + " (" + exception.code() + ")";
    }
  }

  private final AtomicReference<RuntimeException> toThrow = new AtomicReference<>();
  private final BlockingQueue<List<UsageEvent>> metered = new LinkedBlockingQueue<>();
  private Harness http;
  private String key;

  @BeforeAll
  void start() throws Exception {
    Tenancy tenancy = Tenancy.builder().build();
    TenantId acme = TenantId.of("acme");
    // Unlimited, so the quota filter lets every call of the table through to the handler.
    tenancy.tenants().create(NewTenant.of(acme, "Acme", "enterprise"));
    key = tenancy.apiKeys().issue(acme, ApiKeyRequest.fullAccess("test")).secret();
    TenantAccess access =
        TenantAccess.of(
            TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())), tenancy.tenants());
    UsageMeter meter =
        new UsageMeter() {
          @Override
          public RecordOutcome record(UsageEvent event) {
            return recordAll(List.of(event)).get(0);
          }

          @Override
          public List<RecordOutcome> recordAll(List<UsageEvent> events) {
            metered.add(events);
            return events.stream().map(e -> RecordOutcome.accepted()).toList();
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    List<Filter> filters =
        List.of(
            TenantFilter.builder(access).build(),
            UsageMeteringFilter.builder(meter).build(),
            QuotaFilter.builder(
                    Quotas.builder()
                        .store(InMemoryQuotaStore.create())
                        .planOf(tenancy.tenants())
                        .build())
                .build());
    TenantAdminServlet admin =
        TenantAdminServlet.builder(tenancy, OPERATOR_KEY)
            .routes(
                () ->
                    List.of(
                        AdminRoute.get(
                            "/failures",
                            request -> {
                              throw wrapped(toThrow.get(), request.parameter("wrap").orElse(""));
                            })))
            .build();
    http =
        Harness.start(
            context -> {
              for (Filter f : filters) {
                context.addFilter(
                    new FilterHolder(f), "/api/*", EnumSet.of(DispatcherType.REQUEST));
              }
              context.addServlet(new ServletHolder(new Thrower()), "/api/failures");
              context.addServlet(new ServletHolder(admin), "/admin/*");
            });
  }

  @AfterAll
  void stop() {
    http.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void everyFilterAndRouteAnswersTheSameProblem(Row row) throws Exception {
    TenantkitException e = row.exception();
    Problem problem = Problems.forFailure(e).orElseThrow();
    assertThat(problem.status()).isEqualTo(row.status());
    assertThat(problem.code()).isEqualTo(e.code());
    for (String wrap : List.of("servlet", "runtime")) {
      assertThat(Problems.forFailure(wrapped(e, wrap))).as(wrap).contains(problem);
    }
    toThrow.set(e);

    for (String wrap : List.of("", "servlet", "runtime")) {
      Harness.Response answer =
          http.get("/api/failures?wrap=" + wrap, "Authorization", "Bearer " + key);
      assertAnswers(answer, problem, "/api/failures");

      List<UsageEvent> events = metered.poll(30, TimeUnit.SECONDS);
      assertThat(events).as("the call was metered").isNotNull();
      UsageEvent errors =
          events.stream().filter(ev -> ev.meter().equals("errors")).findFirst().orElseThrow();
      assertThat(errors.dimensions())
          .containsEntry("status", Integer.toString(problem.status()))
          .containsEntry("error_type", problem.code());
    }
    for (String wrap : List.of("", "runtime")) {
      Harness.Response answer =
          http.get("/admin/failures?wrap=" + wrap, "Authorization", "Bearer " + OPERATOR_KEY);
      assertAnswers(answer, problem, "/admin/failures");
    }
  }

  @Test
  void theTableHasEveryExceptionTypeOfTheCores() throws Exception {
    Set<Class<?>> inTable = new HashSet<>();
    for (Row row : rows()) {
      inTable.add(row.exception().getClass());
    }
    Set<Class<?>> inCores = new HashSet<>();
    for (Class<?> anchor :
        List.of(
            TenantkitException.class, UsageRejectedException.class, InvoiceStateException.class)) {
      for (String name : classNames(anchor)) {
        Class<?> c;
        try {
          c = Class.forName(name, false, anchor.getClassLoader());
        } catch (LinkageError | ClassNotFoundException skipped) {
          // An optional backend's class whose library is absent cannot be an exception of ours.
          continue;
        }
        if (TenantkitException.class.isAssignableFrom(c)
            && !Modifier.isAbstract(c.getModifiers())) {
          inCores.add(c);
        }
      }
    }
    assertThat(inCores).isNotEmpty();
    assertThat(inTable).containsAll(inCores);
  }

  @Test
  void everyStateExceptionOfAnyModuleIsAConflict() {
    // As billing's invalid-invoice-state: a module's own subclass, unknown to the adapters.
    TenantkitException moduleState = new StateException("invalid-widget-state", "already done") {};

    Problem problem = Problems.forFailure(moduleState).orElseThrow();

    assertThat(problem.status()).isEqualTo(409);
    assertThat(problem.code()).isEqualTo("invalid-widget-state");
  }

  @Test
  void aDatabaseThatCannotBeReachedIsUnavailableNotAServerError() {
    // What Jdbi throws when HikariCP gives up waiting for a connection.
    Exception poolTimeout =
        new RuntimeException(
            "Unable to acquire JDBC Connection",
            new SQLTransientConnectionException("pool - Connection is not available"));
    Exception refused =
        new ServletException(new SQLException("Connection to localhost:5432 refused", "08001"));
    for (Exception e : List.of(poolTimeout, refused)) {
      Problem problem = Problems.forFailure(e).orElseThrow();
      assertThat(problem.status()).isEqualTo(503);
      assertThat(problem.code()).isEqualTo(Problems.STORE_UNAVAILABLE);
      assertThat(problem.headers()).containsEntry("Retry-After", "5");
    }
    // Any other SQL failure (here a unique violation) is not the database being down.
    assertThat(Problems.forFailure(new RuntimeException(new SQLException("dup", "23505"))))
        .isEmpty();
    assertThat(Problems.forFailure(new RuntimeException(new SQLException("no state")))).isEmpty();
  }

  @Test
  void errorsAndOtherExceptionsAreLeftToTheContainer() {
    assertThat(Problems.forFailure(new IllegalStateException("boom"))).isEmpty();
    assertThat(Problems.forFailure(new ServletException("boom", new IOException()))).isEmpty();
    assertThat(Problems.forFailure(new AssertionError(new ConflictException("x")))).isEmpty();
  }

  private static void assertAnswers(Harness.Response answer, Problem problem, String path)
      throws IOException {
    assertThat(answer.status()).as(answer.body()).isEqualTo(problem.status());
    assertThat(answer.header("Content-Type")).startsWith(Problems.MEDIA_TYPE);
    JsonNode expected =
        JSON.valueToTree(
            Problems.body(
                problem.status(), problem.code(), problem.detail(), path, problem.extensions()));
    assertThat(answer.json()).isEqualTo(expected);
    assertThat(answer.json().path("type").asText()).isEqualTo(problem.type());
    assertThat(answer.json().path("title").asText()).isEqualTo(problem.title());
    assertThat(answer.header("WWW-Authenticate"))
        .isEqualTo(problem.status() == 401 ? "Bearer" : null);
  }

  private static RuntimeException wrapped(RuntimeException e, String how) {
    return switch (how) {
      case "servlet" -> new UncheckedServlet(new ServletException("handler failed", e));
      case "runtime" -> new IllegalStateException("wrapped by an executor", e);
      default -> e;
    };
  }

  /** Carries a ServletException out of code that can throw only unchecked exceptions. */
  private static final class UncheckedServlet extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedServlet(ServletException e) {
      super(e);
    }
  }

  /** Throws the exception of the current row, as the {@code wrap} parameter says. */
  private final class Thrower extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException {
      RuntimeException thrown = wrapped(toThrow.get(), req.getParameter("wrap"));
      if (thrown instanceof UncheckedServlet servlet) {
        throw (ServletException) servlet.getCause();
      }
      throw thrown;
    }
  }

  /** The names of the classes in the jar or directory {@code anchor} was loaded from. */
  private static List<String> classNames(Class<?> anchor) throws IOException {
    Path source;
    try {
      source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.walk(source)) {
        files
            .map(source::relativize)
            .map(Path::toString)
            .filter(n -> n.endsWith(".class"))
            .forEach(n -> names.add(className(n.replace('\\', '/'))));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    } else {
      try (JarFile jar = new JarFile(source.toFile())) {
        jar.stream()
            .map(entry -> entry.getName())
            .filter(n -> n.endsWith(".class"))
            .forEach(n -> names.add(className(n)));
      }
    }
    return names.stream().filter(n -> !n.endsWith("module-info")).toList();
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }
}
