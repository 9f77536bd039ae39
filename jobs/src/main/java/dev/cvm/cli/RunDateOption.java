package dev.cvm.cli;

import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.ZoneOffset;

/** The run date option of every stage command. */
public final class RunDateOption {
    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", converter = RunDateConverter.class,
            description = "The business date this run is for. Default: today (UTC).")
    LocalDate runDate;

    LocalDate orToday() {
        return runDate != null ? runDate : LocalDate.now(ZoneOffset.UTC);
    }
}
