package dev.cvm.clv.math;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sufficient statistic of the repeat-purchase models (BG/NBD, Pareto/NBD) for a group of
 * customers who share the same calibration history.
 *
 * <p>Fitting always works on groups so that the cost grows with the number of distinct
 * (x, t_x, T) combinations, not with the number of customers: the Spark layer aggregates
 * distinct triples with their counts.
 *
 * <p>{@code tx} and {@code T} must be in the same time unit (e.g. weeks = days / 7); the fitted
 * rate parameters (alpha, beta) and every prediction horizon are then in that unit.
 *
 * @param x      number of repeat purchases in the calibration period (first purchase excluded;
 *               same-day purchases merged), {@code >= 0}
 * @param tx     recency: time of the last repeat purchase measured from the first purchase,
 *               {@code 0 <= tx <= T}; must be 0 when {@code x == 0}
 * @param T      age: time from the first purchase to the end of the calibration period, {@code >= 0}
 * @param weight number of customers sharing this history (a double so that aggregated counts and
 *               sampling weights both fit), {@code > 0}
 */
public record RfmGroup(int x, double tx, double T, double weight) implements Serializable {

    /** Validates the group; see the component descriptions for the rules. */
    public RfmGroup {
        Checks.history(x, tx, T);
        if (!Double.isFinite(weight) || !(weight > 0)) {
            throw new IllegalArgumentException("RfmGroup: weight must be finite and > 0, got " + weight);
        }
    }

    /** A single customer (weight 1). */
    public static RfmGroup of(int x, double tx, double T) {
        return new RfmGroup(x, tx, T, 1.0);
    }

    /**
     * Merges groups with identical (x, t_x, T) by summing their weights, keeping first-seen order.
     * Use it to turn one-row-per-customer input into the compact form the fitters expect.
     */
    public static List<RfmGroup> aggregate(Collection<RfmGroup> groups) {
        Map<List<Double>, double[]> merged = new LinkedHashMap<>();
        for (RfmGroup g : groups) {
            merged.computeIfAbsent(List.of((double) g.x(), g.tx(), g.T()), k -> new double[1])[0] += g.weight();
        }
        List<RfmGroup> out = new ArrayList<>(merged.size());
        merged.forEach((k, w) -> out.add(new RfmGroup((int) (double) k.get(0), k.get(1), k.get(2), w[0])));
        return out;
    }
}
