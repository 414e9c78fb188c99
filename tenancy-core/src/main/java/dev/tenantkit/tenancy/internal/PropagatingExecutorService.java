package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.TenantContext;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Wraps every task so that it runs with the submitter's tenant binding. */
public final class PropagatingExecutorService implements ExecutorService {
  private final ExecutorService delegate;

  /**
   * @param delegate the pool that runs the tasks
   */
  public PropagatingExecutorService(ExecutorService delegate) {
    this.delegate = delegate;
  }

  private static <T> List<Callable<T>> wrap(Collection<? extends Callable<T>> tasks) {
    return tasks.stream().map(TenantContext::capture).toList();
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(TenantContext.capture(command));
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return delegate.submit(TenantContext.capture(task));
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return delegate.submit(TenantContext.capture(task), result);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return delegate.submit(TenantContext.capture(task));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    return delegate.invokeAll(wrap(tasks));
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    return delegate.invokeAll(wrap(tasks), timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    return delegate.invokeAny(wrap(tasks));
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return delegate.invokeAny(wrap(tasks), timeout, unit);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return delegate.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }
}
