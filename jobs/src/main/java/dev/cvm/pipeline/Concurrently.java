package dev.cvm.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Maps a short list of independent driver-side tasks (each one or more Spark jobs) on a few threads, so that Spark
 * runs their jobs at the same time. Worth it where every task is a long series of small jobs that leave cores idle
 * (model fits on small data). Results come back in input order, so nothing downstream depends on timing.
 */
public final class Concurrently {
    private Concurrently() {}

    /**
     * {@code fn} applied to every item, at most {@code parallelism} at a time. The first failure (in input order) is
     * rethrown as it was once every task has ended, the same throwable a loop would have seen; a task never outlives
     * this call.
     */
    public static <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> fn) {
        if (parallelism <= 1 || items.size() <= 1) {
            return items.stream().map(fn).toList();
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, items.size()), r -> {
            Thread t = new Thread(r, "cvm-concurrent-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> fn.apply(item)));
            }
            List<R> out = new ArrayList<>();
            Throwable failure = null;
            for (Future<R> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for concurrent tasks", e);
                }
            }
            if (failure != null) {
                throw Concurrently.<RuntimeException>unchanged(failure);
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Rethrows any throwable without wrapping: Spark throws checked exceptions (SparkException) from Scala code that
     * Java callers never see declared, and callers explain them by type.
     */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E unchanged(Throwable t) throws E {
        throw (E) t;
    }
}
