package dev.tenantkit.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link QuotaLocalBase} with two threads on one tenant (contended). */
@Threads(2)
public class QuotaLocal2ThreadsSameKey extends QuotaLocalBase {
  @Override
  protected boolean distinctKeys() {
    return false;
  }
}
