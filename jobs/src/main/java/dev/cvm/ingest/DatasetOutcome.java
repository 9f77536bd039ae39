package dev.cvm.ingest;

import java.util.Map;

/** What ingest did with one dataset: rows read, rows kept, and quarantined rows by rule. */
public record DatasetOutcome(String dataset, boolean present, long input, long valid,
                             Map<String, Long> quarantinedByRule) {

    public long quarantined() {
        return quarantinedByRule.values().stream().mapToLong(Long::longValue).sum();
    }

    public double quarantineShare() {
        return input == 0 ? 0 : (double) quarantined() / input;
    }
}
