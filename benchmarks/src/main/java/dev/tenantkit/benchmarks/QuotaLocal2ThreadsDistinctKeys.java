package dev.tenantkit.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link QuotaLocalBase} with two threads, each on its own tenant. */
@Threads(2)
public class QuotaLocal2ThreadsDistinctKeys extends QuotaLocalBase {
  @Override
  protected boolean distinctKeys() {
    return true;
  }
}
