package dev.tenantkit.examples.sample;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Lets a test wait until the server has finished every request, filters included. A client can hold
 * a whole response while the usage metering filter, which records after the chain, is still
 * running; a test that reads usage waits for this first, so its numbers are exact. The filter is
 * outermost, so a request counts as running from before the tenant filter until after the last
 * filter returned. Listed in a test's classes, it is a bean itself; not a {@code @Configuration},
 * so component scanning never picks it up.
 */
class ServerIdle {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private int running;

  @Bean
  FilterRegistrationBean<Filter> serverIdleFilter() {
    FilterRegistrationBean<Filter> r = new FilterRegistrationBean<>(this::filter);
    r.addUrlPatterns("/*");
    r.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return r;
  }

  /**
   * Blocks until no request is running.
   *
   * @throws IllegalStateException if requests are still running after 30 seconds (a hung server)
   */
  void await() {
    lock.lock();
    try {
      while (running > 0) {
        if (!idle.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException(running + " requests still running");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      lock.unlock();
    }
  }

  private void filter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    lock.lock();
    try {
      running++;
    } finally {
      lock.unlock();
    }
    try {
      chain.doFilter(req, res);
    } finally {
      lock.lock();
      try {
        running--;
        idle.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
