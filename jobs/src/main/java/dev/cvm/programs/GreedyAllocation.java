package dev.cvm.programs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Budget allocation as a 0/1 knapsack: pick contacts maximising total expected net value with total cost within the
 * budget. cvm ranks candidates by value density (net value / cost, ties by id) and takes the longest prefix that fits.
 *
 * <p>Why this rule: it is what the Spark side computes with one window per program (a running sum of cost), so it
 * scales and is deterministic. It is optimal when every contact costs the same (then density order is value order),
 * and in general it is optimal for the fractional relaxation, so it is never worse than the optimum minus the net
 * value of the first candidate left out. Candidates with non-positive net value are never selected.
 */
public final class GreedyAllocation {
    private GreedyAllocation() {}

    public record Candidate(String id, double netValue, double cost) {
        public Candidate {
            if (!(cost > 0) || !Double.isFinite(cost)) {
                throw new IllegalArgumentException("cost of " + id + " must be positive, got " + cost);
            }
        }

        public double density() {
            return netValue / cost;
        }
    }

    /** The order cvm ranks candidates in: density descending, then id ascending. */
    public static final Comparator<Candidate> RANKING = Comparator.comparingDouble(Candidate::density).reversed()
            .thenComparing(Candidate::id);

    public static List<Candidate> select(List<Candidate> candidates, double budget) {
        List<Candidate> sorted = new ArrayList<>(candidates.stream().filter(c -> c.netValue() > 0).toList());
        sorted.sort(RANKING);
        List<Candidate> chosen = new ArrayList<>();
        double spent = 0;
        for (Candidate c : sorted) {
            if (spent + c.cost() > budget + 1e-9) {
                break;
            }
            spent += c.cost();
            chosen.add(c);
        }
        return chosen;
    }

    public static double value(List<Candidate> chosen) {
        return chosen.stream().mapToDouble(Candidate::netValue).sum();
    }

    public static double cost(List<Candidate> chosen) {
        return chosen.stream().mapToDouble(Candidate::cost).sum();
    }
}
