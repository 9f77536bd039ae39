package dev.cvm.programs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GreedyAllocationTest {

    /** The best subset by exhaustive search. */
    private static double bruteForce(List<GreedyAllocation.Candidate> c, double budget) {
        double best = 0;
        for (int mask = 0; mask < (1 << c.size()); mask++) {
            double v = 0;
            double k = 0;
            for (int i = 0; i < c.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    v += c.get(i).netValue();
                    k += c.get(i).cost();
                }
            }
            if (k <= budget + 1e-9) {
                best = Math.max(best, v);
            }
        }
        return best;
    }

    private static List<GreedyAllocation.Candidate> random(Random rnd, int n, boolean equalCost) {
        List<GreedyAllocation.Candidate> c = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double cost = equalCost ? 2.0 : 0.5 + rnd.nextInt(6);
            c.add(new GreedyAllocation.Candidate("a" + i, rnd.nextDouble() * 20 - 4, cost));
        }
        return c;
    }

    @Test
    void optimalWhenCostsAreEqual() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            List<GreedyAllocation.Candidate> c = random(rnd, 12, true);
            double budget = 2.0 * rnd.nextInt(13);
            var chosen = GreedyAllocation.select(c, budget);
            assertEquals(bruteForce(c, budget), GreedyAllocation.value(chosen), 1e-9, "trial " + trial);
        }
    }

    @Test
    void withinOneItemOfOptimalAndNeverOverBudget() {
        Random rnd = new Random(2);
        for (int trial = 0; trial < 200; trial++) {
            List<GreedyAllocation.Candidate> c = random(rnd, 12, false);
            double budget = rnd.nextInt(30);
            var chosen = GreedyAllocation.select(c, budget);
            double optimum = bruteForce(c, budget);
            double maxValue = c.stream().mapToDouble(GreedyAllocation.Candidate::netValue).max().orElse(0);
            assertTrue(GreedyAllocation.cost(chosen) <= budget + 1e-9, "within budget");
            assertTrue(GreedyAllocation.value(chosen) >= optimum - maxValue - 1e-9, "trial " + trial);
            assertTrue(GreedyAllocation.value(chosen) <= optimum + 1e-9);
        }
    }

    @Test
    void neverSelectsLossMakingContacts() {
        var c = List.of(new GreedyAllocation.Candidate("x", -1, 1), new GreedyAllocation.Candidate("y", 0, 1));
        assertTrue(GreedyAllocation.select(c, 100).isEmpty());
    }

    @Test
    void rejectsNonPositiveCost() {
        assertThrows(IllegalArgumentException.class, () -> new GreedyAllocation.Candidate("x", 1, 0));
    }
}
