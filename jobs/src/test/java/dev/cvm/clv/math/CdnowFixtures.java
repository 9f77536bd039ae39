package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Locates and parses the shared CDNOW reference data (see shared/data/cdnow/SOURCE.md) and builds
 * RFM summaries in pure Java with the conventions of REFERENCE.md section 1: calibration ends
 * 1997-09-30 inclusive, weeks = days / 7, same-day purchases merged, x = distinct repeat purchase
 * days, t_x = (last − first)/7, T = (end − first)/7, m = mean of the repeat purchase-day totals.
 *
 * <p>The directory is the system property {@code cvm.shared.dir} if set (either the shared dir
 * itself or the cdnow data dir), otherwise the first {@code shared/data/cdnow} found walking up
 * from the working directory. If it cannot be found the calling test is skipped.
 */
final class CdnowFixtures {

    static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    /** One row of cdnow_customers_summary_with_transactions.csv (2-dp rounded weeks). */
    record CsvCustomer(int id, int x, double tx, double T, double zbar) {
    }

    /**
     * A customer summary rebuilt from the raw sample: calibration (x, t_x, T, m) in full-precision
     * weeks, plus the number of distinct purchase days in the holdout period.
     */
    record SampleCustomer(int id, LocalDate first, int x, double tx, double T, double m, int xHoldout) {
    }

    private static Path cachedDir;
    private static List<CsvCustomer> csvCache;
    private static List<SampleCustomer> sampleCache;
    private static List<RfmGroup> syntheticCache;
    private static Map<Integer, TreeMap<LocalDate, Double>> rawCache;
    private static Map<Integer, TreeMap<LocalDate, Double>> masterCache;

    private CdnowFixtures() {
    }

    /** The cdnow data directory; skips the calling test when it is not available. */
    static synchronized Path dir() {
        if (cachedDir == null) {
            cachedDir = locate();
        }
        assumeTrue(cachedDir != null, "../shared/data/cdnow not found: CDNOW reference tests skipped");
        return cachedDir;
    }

    private static Path locate() {
        String prop = System.getProperty("cvm.shared.dir");
        if (prop != null && !prop.isBlank()) {
            Path p = Paths.get(prop);
            for (Path candidate : List.of(p, p.resolve("data/cdnow"), p.resolve("shared/data/cdnow"))) {
                if (Files.isRegularFile(candidate.resolve("CDNOW_sample.txt"))) {
                    return candidate;
                }
            }
            return null;
        }
        Path cur = Paths.get("").toAbsolutePath();
        while (cur != null) {
            Path candidate = cur.resolve("shared").resolve("data").resolve("cdnow");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            cur = cur.getParent();
        }
        return null;
    }

    /** The 2,357 rows of cdnow_customers_summary_with_transactions.csv, in id order. */
    static synchronized List<CsvCustomer> csvCustomers() {
        if (csvCache == null) {
            List<CsvCustomer> out = new ArrayList<>();
            for (String line : lines(dir().resolve("cdnow_customers_summary_with_transactions.csv"))) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("ID")) {
                    continue;
                }
                String[] f = line.split(",");
                out.add(new CsvCustomer(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            }
            csvCache = Collections.unmodifiableList(out);
        }
        return csvCache;
    }

    /** Grouped (x, t_x, T) of the csv summary. */
    static List<RfmGroup> csvGroups() {
        List<RfmGroup> g = new ArrayList<>();
        for (CsvCustomer c : csvCustomers()) {
            g.add(RfmGroup.of(c.x(), c.tx(), c.T()));
        }
        return RfmGroup.aggregate(g);
    }

    /** Grouped (x, m) of the csv repeaters (x &gt; 0). */
    static List<SpendGroup> csvSpendGroups() {
        List<SpendGroup> g = new ArrayList<>();
        for (CsvCustomer c : csvCustomers()) {
            if (c.x() > 0) {
                g.add(SpendGroup.of(c.x(), c.zbar()));
            }
        }
        return SpendGroup.aggregate(g);
    }

    /** CDNOW_sample.txt as sample id -> (purchase day -> dollars), same-day purchases summed. */
    static synchronized Map<Integer, TreeMap<LocalDate, Double>> rawSample() {
        if (rawCache == null) {
            Map<Integer, TreeMap<LocalDate, Double>> byCustomer = new TreeMap<>();
            for (String line : lines(dir().resolve("CDNOW_sample.txt"))) {
                String s = line.strip();
                if (s.isEmpty()) {
                    continue;
                }
                String[] f = s.split("\\s+");
                if (f.length != 5) {
                    throw new IllegalStateException("CDNOW_sample.txt: expected 5 fields, got '" + line + "'");
                }
                int id = Integer.parseInt(f[1]);
                LocalDate day = LocalDate.parse(f[2], YYYYMMDD);
                double dollars = Double.parseDouble(f[4]);
                byCustomer.computeIfAbsent(id, k -> new TreeMap<>()).merge(day, dollars, Double::sum);
            }
            rawCache = Collections.unmodifiableMap(byCustomer);
        }
        return rawCache;
    }

    /** Summaries of the 2,357 sample customers rebuilt from CDNOW_sample.txt, in id order. */
    static synchronized List<SampleCustomer> sampleCustomers() {
        if (sampleCache == null) {
            sampleCache = Collections.unmodifiableList(summarize(CALIBRATION_END, HOLDOUT_END));
        }
        return sampleCache;
    }

    /**
     * Rebuilds the summaries with calibration ending at {@code end} (inclusive) and holdout purchases
     * counted in ({@code end}, {@code holdoutEnd}].
     */
    static List<SampleCustomer> summarize(LocalDate end, LocalDate holdoutEnd) {
        return summarize(rawSample(), end, holdoutEnd);
    }

    /** As {@link #summarize(LocalDate, LocalDate)} for any id -> (day -> dollars) table. */
    static List<SampleCustomer> summarize(Map<Integer, TreeMap<LocalDate, Double>> raw, LocalDate end,
                                          LocalDate holdoutEnd) {
        List<SampleCustomer> out = new ArrayList<>();
        for (Map.Entry<Integer, TreeMap<LocalDate, Double>> e : raw.entrySet()) {
            TreeMap<LocalDate, Double> days = e.getValue();
            LocalDate first = days.firstKey();
            int x = 0;
            int xHoldout = 0;
            double spend = 0;
            LocalDate last = first;
            for (Map.Entry<LocalDate, Double> d : days.entrySet()) {
                LocalDate day = d.getKey();
                if (day.equals(first)) {
                    continue;
                }
                if (!day.isAfter(end)) {
                    x++;
                    spend += d.getValue();
                    last = day;
                } else if (!day.isAfter(holdoutEnd)) {
                    xHoldout++;
                }
            }
            double tx = ChronoUnit.DAYS.between(first, last) / 7.0;
            double T = ChronoUnit.DAYS.between(first, end) / 7.0;
            out.add(new SampleCustomer(e.getKey(), first, x, tx, T, x > 0 ? spend / x : 0.0, xHoldout));
        }
        return out;
    }

    /** CDNOW_master.txt (23,570 customers) as id -> (purchase day -> dollars), same-day purchases summed. */
    static synchronized Map<Integer, TreeMap<LocalDate, Double>> rawMaster() {
        if (masterCache == null) {
            Map<Integer, TreeMap<LocalDate, Double>> byCustomer = new TreeMap<>();
            for (String line : lines(dir().resolve("CDNOW_master.txt"))) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("customer_id")) {
                    continue;
                }
                String[] f = s.split("\\s+");
                if (f.length != 4) {
                    throw new IllegalStateException("CDNOW_master.txt: expected 4 fields, got '" + line + "'");
                }
                byCustomer.computeIfAbsent(Integer.parseInt(f[0]), k -> new TreeMap<>())
                        .merge(LocalDate.parse(f[1], YYYYMMDD), Double.parseDouble(f[3]), Double::sum);
            }
            masterCache = Collections.unmodifiableMap(byCustomer);
        }
        return masterCache;
    }

    /** Grouped (x, t_x, T) of a list of summaries. */
    static List<RfmGroup> groups(List<SampleCustomer> customers) {
        List<RfmGroup> g = new ArrayList<>();
        for (SampleCustomer c : customers) {
            g.add(RfmGroup.of(c.x(), c.tx(), c.T()));
        }
        return RfmGroup.aggregate(g);
    }

    /** Grouped full-precision (x, t_x, T) of the raw sample (39-week calibration). */
    static List<RfmGroup> sampleGroups() {
        return groups(sampleCustomers());
    }

    /**
     * Summary of example_transactions_synthetic.csv in daily units (observation end 2014-12-31),
     * one group per customer in id order, for lifetimes' CLV known-value tests.
     */
    static synchronized List<RfmGroup> syntheticCustomers() {
        if (syntheticCache == null) {
            Map<Integer, TreeMap<LocalDate, Boolean>> byCustomer = new TreeMap<>();
            LocalDate end = null;
            for (String line : lines(dir().resolve("example_transactions_synthetic.csv"))) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("date")) {
                    continue;
                }
                String[] f = s.split(",");
                LocalDate day = LocalDate.parse(f[0].substring(0, 10));
                byCustomer.computeIfAbsent(Integer.parseInt(f[1]), k -> new TreeMap<>()).put(day, Boolean.TRUE);
                end = end == null || day.isAfter(end) ? day : end;
            }
            List<RfmGroup> out = new ArrayList<>();
            for (TreeMap<LocalDate, Boolean> days : byCustomer.values()) {
                LocalDate first = days.firstKey();
                out.add(RfmGroup.of(days.size() - 1, ChronoUnit.DAYS.between(first, days.lastKey()),
                        ChronoUnit.DAYS.between(first, end)));
            }
            syntheticCache = Collections.unmodifiableList(out);
        }
        return syntheticCache;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
