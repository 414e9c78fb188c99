package dev.tenantkit.metering.testkit;

import dev.tenantkit.metering.spi.UsageStore;
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

  /** {@code delegate}, with {@code hook} called after each of its calls that returned. */
  public static UsageStore of(UsageStore delegate, AfterCall hook) {
    return (UsageStore)
        Proxy.newProxyInstance(
            UsageStore.class.getClassLoader(),
            new Class<?>[] {UsageStore.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              hook.after(method.getName(), result);
              return result;
            });
  }
}
