package dev.cvm.report;

/**
 * One section of the run report. {@link #render} computes its aggregates in Spark (never collecting per-account rows)
 * and returns the section's HTML body; it throws {@link Unavailable} when its tables are absent for the run date.
 */
interface Section {
    /** The HTML id of the section (also its anchor in the table of contents). */
    String id();

    String title();

    String render(ReportInput in);

    /** The section's input is absent for the run date: the report says so instead of failing. */
    final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
