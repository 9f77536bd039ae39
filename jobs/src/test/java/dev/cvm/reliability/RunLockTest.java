package dev.cvm.reliability;

import dev.cvm.CvmException;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.RunLock;
import dev.cvm.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-date run lock: one holder, a message naming the holder, release on close, stale locks explained. */
class RunLockTest {
    static final LocalDate RUN = LocalDate.parse("2026-03-01");
    @TempDir
    Path tmp;

    Warehouse warehouse() {
        return new Warehouse(SparkTestSupport.spark(), tmp.resolve("wh").toString());
    }

    static Path lockFile(Warehouse w, LocalDate date) {
        return Paths.get(RunLock.file(w, date).toUri().getPath());
    }

    @Test
    void aSecondHolderOfTheSameDateIsRefusedWithTheOwnerAndOtherDatesAreFree() {
        Warehouse w = warehouse();
        try (RunLock first = RunLock.acquire(w, RUN, "run")) {
            CvmException e = assertThrows(CvmException.class, () -> RunLock.acquire(w, RUN, "segment"));
            String pid = Long.toString(ProcessHandle.current().pid());
            for (String part : List.of("run date 2026-03-01", "is locked by another cvm process", "`cvm run`",
                    "pid " + pid, "(that process is running)", "stale: delete " + RunLock.file(w, RUN))) {
                assertTrue(e.getMessage().contains(part), e.getMessage());
            }
            try (RunLock other = RunLock.acquire(w, RUN.plusDays(1), "run")) {
                assertTrue(Files.exists(lockFile(w, RUN.plusDays(1))));
            }
        }
        assertFalse(Files.exists(lockFile(w, RUN)), "close() must release the lock");
        RunLock.acquire(w, RUN, "run").close();
    }

    @Test
    void aLockLeftByADeadProcessOnThisHostIsCalledStale() throws Exception {
        Warehouse w = warehouse();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path f = lockFile(w, RUN);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "command=run\npid=" + gone.pid() + "\nhost=" + InetAddress.getLocalHost().getHostName()
                + "\nstarted=2026-03-01T02:30:00Z\ntoken=x\n");
        CvmException e = assertThrows(CvmException.class, () -> RunLock.acquire(w, RUN, "run"));
        assertTrue(e.getMessage().contains("no process " + gone.pid() + " runs on this host: the lock is stale"),
                e.getMessage());
        assertTrue(Files.exists(f), "a refused run must not remove someone else's lock");
    }

    @Test
    void closeLeavesALockThatIsNoLongerItsOwn() throws Exception {
        Warehouse w = warehouse();
        RunLock mine = RunLock.acquire(w, RUN, "run");
        Path f = lockFile(w, RUN);
        Files.writeString(f, "command=run\npid=1\nhost=elsewhere\nstarted=x\ntoken=someone-else\n");
        mine.close();
        assertTrue(Files.exists(f));
    }
}
