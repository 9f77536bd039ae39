package dev.cvm.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentlyTest {

    @Test
    void resultsComeBackInInputOrderWhateverOrderTheyFinishIn() {
        List<Integer> items = List.of(5, 1, 4, 2, 3);
        // The largest item sleeps longest, so the tasks finish in a different order than they were given.
        List<String> out = Concurrently.map(items, 3, i -> {
            sleep(i * 20L);
            return "r" + i;
        });
        assertEquals(List.of("r5", "r1", "r4", "r2", "r3"), out);
    }

    @Test
    void runsTasksAtTheSameTimeButNeverMoreThanAsked() throws InterruptedException {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch twoStarted = new CountDownLatch(2);
        List<Integer> items = IntStream.range(0, 8).boxed().toList();
        Concurrently.map(items, 2, i -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            twoStarted.countDown();
            try {
                // Each task waits (bounded) until a second one runs beside it: proof that two run at once.
                twoStarted.await(5, TimeUnit.SECONDS);
                sleep(10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
            return i;
        });
        assertEquals(2, peak.get());
    }

    @Test
    void theFirstFailureInInputOrderIsRethrownAsItWasAfterAllTasksEnded() {
        IllegalArgumentException first = new IllegalArgumentException("item 1");
        AtomicInteger finished = new AtomicInteger();
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Concurrently.map(List.of(0, 1, 2, 3), 2,
                i -> {
                    try {
                        if (i == 1) {
                            throw first;
                        }
                        if (i == 3) {
                            throw new IllegalStateException("item 3");
                        }
                        sleep(30);
                        return i;
                    } finally {
                        finished.incrementAndGet();
                    }
                }));
        assertSame(first, thrown);
        assertEquals(4, finished.get());
    }

    @Test
    void aCheckedExceptionThrownFromScalaStyleCodeComesBackUnwrapped() {
        Exception checked = new java.io.IOException("a file went away");
        Exception thrown = assertThrows(Exception.class, () -> Concurrently.map(List.of(0, 1), 2, i -> {
            if (i == 1) {
                sneaky(checked);
            }
            return i;
        }));
        assertSame(checked, thrown);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void oneAtATimeRunsOnTheCallersThread() {
        Thread caller = Thread.currentThread();
        List<Boolean> sameThread = Concurrently.map(List.of(1, 2, 3), 1, i -> Thread.currentThread() == caller);
        assertTrue(sameThread.stream().allMatch(b -> b));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
