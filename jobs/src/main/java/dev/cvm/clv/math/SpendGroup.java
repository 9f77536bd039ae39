package dev.cvm.clv.math;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sufficient statistic of the Gamma-Gamma spend model for a group of repeat customers who share
 * the same number of repeat purchases and the same average repeat spend.
 *
 * @param x      number of repeat purchases (the transactions averaged in {@code m}), {@code >= 1}
 * @param m      average value of those repeat purchases, {@code > 0} (currency units)
 * @param weight number of customers in the group, {@code > 0}
 */
public record SpendGroup(int x, double m, double weight) implements Serializable {

    /** Validates the group; see the component descriptions for the rules. */
    public SpendGroup {
        if (x < 1) {
            throw new IllegalArgumentException("SpendGroup: Gamma-Gamma needs repeat customers, x must be >= 1, got " + x);
        }
        if (!Double.isFinite(m) || !(m > 0)) {
            throw new IllegalArgumentException("SpendGroup: average spend m must be finite and > 0, got " + m
                    + " (filter out customers with a zero mean spend before fitting)");
        }
        if (!Double.isFinite(weight) || !(weight > 0)) {
            throw new IllegalArgumentException("SpendGroup: weight must be finite and > 0, got " + weight);
        }
    }

    /** A single customer (weight 1). */
    public static SpendGroup of(int x, double m) {
        return new SpendGroup(x, m, 1.0);
    }

    /**
     * Merges groups with identical (x, m) by summing their weights, keeping first-seen order.
     */
    public static List<SpendGroup> aggregate(Collection<SpendGroup> groups) {
        Map<List<Double>, double[]> merged = new LinkedHashMap<>();
        for (SpendGroup g : groups) {
            merged.computeIfAbsent(List.of((double) g.x(), g.m()), k -> new double[1])[0] += g.weight();
        }
        List<SpendGroup> out = new ArrayList<>(merged.size());
        merged.forEach((k, w) -> out.add(new SpendGroup((int) (double) k.get(0), k.get(1), w[0])));
        return out;
    }
}
