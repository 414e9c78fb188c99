package dev.tenantkit.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link QuotaLocalBase} with one thread. */
@Threads(1)
public class QuotaLocal1Thread extends QuotaLocalBase {
  @Override
  protected boolean distinctKeys() {
    return false;
  }
}
