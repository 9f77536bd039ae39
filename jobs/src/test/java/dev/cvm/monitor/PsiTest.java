package dev.cvm.monitor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PsiTest {
    @Test
    void identicalDistributionsHaveZeroIndex() {
        assertEquals(0.0, Psi.index(new long[] {10, 20, 30}, new long[] {1, 2, 3}), 1e-12);
    }

    @Test
    void knownShift() {
        // shares 0.5/0.5 -> 0.25/0.75: (0.25-0.5)ln(0.5) + (0.75-0.5)ln(1.5) = 0.2747...
        double expected = (0.25 - 0.5) * Math.log(0.5) + (0.75 - 0.5) * Math.log(1.5);
        assertEquals(expected, Psi.index(new long[] {50, 50}, new long[] {25, 75}), 1e-12);
        assertEquals("fail", Psi.status(expected, 0.1, 0.25));
        assertEquals("warn", Psi.status(0.15, 0.1, 0.25));
        assertEquals("ok", Psi.status(0.01, 0.1, 0.25));
    }

    @Test
    void emptyBinIsFinite() {
        double psi = Psi.index(new long[] {100, 0}, new long[] {50, 50});
        assertTrue(Double.isFinite(psi) && psi > 1, "psi " + psi);
        assertEquals("no_data", Psi.status(Psi.index(new long[] {0, 0}, new long[] {1, 1}), 0.1, 0.25));
    }
}
