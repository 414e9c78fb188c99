package dev.tenantkit.tenancy;

import dev.tenantkit.tenancy.internal.PropagatingExecutorService;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The tenant bound to the current thread for a scope of work. {@code run} and {@code call} bind a
 * tenant for the duration of a task and always restore what was bound before, also when the task
 * throws; the tenant id is mirrored into the SLF4J {@link MDC} under {@value #MDC_KEY}.
 *
 * <p>The binding is a plain {@link ThreadLocal}, never an {@code InheritableThreadLocal}: a thread
 * started inside a scope does not inherit it, and a pooled thread never keeps a stale tenant. Use
 * {@link #propagating(Executor)} or {@link #propagating(ExecutorService)} to carry the tenant of
 * the submitting thread into a pool. All methods are thread-safe.
 */
public final class TenantContext {
  /** The MDC key that holds the bound tenant id. */
  public static final String MDC_KEY = "tenant_id";

  private static final ThreadLocal<TenantBinding> CURRENT = new ThreadLocal<>();

  private TenantContext() {}

  /** The binding of the current thread, if any. */
  public static Optional<TenantBinding> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** The tenant bound to the current thread, if any. */
  public static Optional<TenantId> currentTenant() {
    TenantBinding b = CURRENT.get();
    return b == null ? Optional.empty() : Optional.of(b.tenantId());
  }

  /**
   * @throws NoTenantBoundException if no tenant is bound
   */
  public static TenantId requireTenant() {
    TenantBinding b = CURRENT.get();
    if (b == null) {
      throw new NoTenantBoundException();
    }
    return b.tenantId();
  }

  /**
   * Checks that the bound credential grants {@code scope}.
   *
   * @throws NoTenantBoundException if no tenant is bound
   * @throws MissingScopeException if the scope is not granted
   */
  public static void requireScope(String scope) {
    TenantBinding b = CURRENT.get();
    if (b == null) {
      throw new NoTenantBoundException();
    }
    if (!b.hasScope(scope)) {
      throw new MissingScopeException(scope);
    }
  }

  /**
   * Runs {@code task} with {@code tenantId} bound with full access ({@link TenantBinding#system}).
   */
  public static void run(TenantId tenantId, Runnable task) {
    run(TenantBinding.system(tenantId), task);
  }

  /** Runs {@code task} with {@code binding} bound, then restores the previous binding. */
  public static void run(TenantBinding binding, Runnable task) {
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(task, "task");
    runBound(binding, task);
  }

  /** Calls {@code task} with {@code tenantId} bound with full access. */
  public static <T> T call(TenantId tenantId, Supplier<T> task) {
    return call(TenantBinding.system(tenantId), task);
  }

  /** Calls {@code task} with {@code binding} bound, then restores the previous binding. */
  public static <T> T call(TenantBinding binding, Supplier<T> task) {
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(task, "task");
    TenantBinding previous = bind(binding);
    try {
      return task.get();
    } finally {
      bind(previous);
    }
  }

  /**
   * Wraps {@code task} so that it runs with the binding current now (or with none, if none is bound
   * now), whatever thread runs it later.
   */
  public static Runnable capture(Runnable task) {
    TenantBinding captured = CURRENT.get();
    return () -> runBound(captured, task);
  }

  /** Like {@link #capture(Runnable)} for a {@link Callable}. */
  public static <T> Callable<T> capture(Callable<T> task) {
    TenantBinding captured = CURRENT.get();
    return () -> {
      TenantBinding previous = bind(captured);
      try {
        return task.call();
      } finally {
        bind(previous);
      }
    };
  }

  /** An executor that runs each task with the binding of the thread that submitted it. */
  public static Executor propagating(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(capture(task));
  }

  /**
   * An executor service that runs each task with the binding of the thread that submitted it.
   * Shutting it down shuts down {@code executor}.
   */
  public static ExecutorService propagating(ExecutorService executor) {
    return new PropagatingExecutorService(Objects.requireNonNull(executor, "executor"));
  }

  private static void runBound(TenantBinding binding, Runnable task) {
    TenantBinding previous = bind(binding);
    try {
      task.run();
    } finally {
      bind(previous);
    }
  }

  /** Binds {@code binding} (or clears when null) and returns what was bound before. */
  private static TenantBinding bind(TenantBinding binding) {
    TenantBinding previous = CURRENT.get();
    if (binding == null) {
      CURRENT.remove();
      MDC.remove(MDC_KEY);
    } else {
      CURRENT.set(binding);
      MDC.put(MDC_KEY, binding.tenantId().value());
    }
    return previous;
  }
}
