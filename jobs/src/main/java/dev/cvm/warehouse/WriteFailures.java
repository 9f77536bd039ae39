package dev.cvm.warehouse;

import dev.cvm.CvmException;

import java.time.LocalDate;
import java.util.ConcurrentModificationException;

/**
 * Turns the failures of a Delta write that a person can act on into one clear {@link CvmException}: a commit
 * that lost to a concurrent writer, and the fault-injection hook's own failure (which Spark wraps when a task threw
 * it). Anything else gives null: the caller rethrows it as it is.
 */
final class WriteFailures {
    private WriteFailures() {}

    static CvmException explain(Table table, LocalDate runDate, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FaultInjection.InjectedFault fault) {
                return fault;
            }
            // Delta's conflicts (ConcurrentAppendException, ConcurrentDeleteReadException, MetadataChanged...)
            // all extend java.util.ConcurrentModificationException.
            if (t instanceof ConcurrentModificationException) {
                return new CvmException("table " + table.tableName() + ", run date " + runDate + ": another writer "
                        + "committed to the table while this run was writing it (Delta " + t.getClass().getSimpleName()
                        + "), so this run's write was not committed and the table is as the other writer left it. "
                        + "Another cvm process is probably running on this warehouse: let it finish, then re-run the "
                        + "failed command for run date " + runDate + " (each stage replaces its run date, so a re-run "
                        + "is safe)", t);
            }
        }
        return null;
    }
}
