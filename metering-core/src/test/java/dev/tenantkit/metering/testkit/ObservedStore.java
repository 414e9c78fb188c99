package dev.tenantkit.metering.testkit;

import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.jobs.JobLeases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A usage store that answers as its delegate and lets a test look at every answer, or replace it
 * with a failure, without writing out the whole SPI.
 */
public final class ObservedStore {

  /** What a test does after each call of the delegate. */
  @FunctionalInterface
  public interface AfterCall {
    /**
     * @param method the SPI method's name
     * @param result what the delegate returned ({@code null} for void methods)
     * @throws RuntimeException to make the call fail after the delegate did its work
     */
    void after(String method, Object result);
  }

  private ObservedStore() {}

  /**
   * {@code delegate}, with {@code hook} called after each of its calls that returned, and after
   * each call of its {@link UsageStore#jobLeases() job leases} (method names such as {@code
   * acquire}).
   */
  public static UsageStore of(UsageStore delegate, AfterCall hook) {
    JobLeases leases = observe(JobLeases.class, delegate.jobLeases(), hook);
    return observe(
        UsageStore.class,
        delegate,
        (method, result) -> {
          if (!method.equals("jobLeases")) {
            hook.after(method, result);
          }
        },
        leases);
  }

  private static <T> T observe(Class<T> type, T delegate, AfterCall hook) {
    return observe(type, delegate, hook, null);
  }

  private static <T> T observe(Class<T> type, T delegate, AfterCall hook, JobLeases leases) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (leases != null && method.getName().equals("jobLeases")) {
                return leases;
              }
              Object result;
              try {
                result = method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              hook.after(method.getName(), result);
              return result;
            }));
  }
}
