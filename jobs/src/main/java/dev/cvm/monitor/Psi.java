package dev.cvm.monitor;

/**
 * Population stability index between a baseline and a current distribution over the same bins:
 * PSI = sum over bins of (a - e) * ln(a / e), with a and e the current and baseline shares. Empty bins get a small
 * share (epsilon) so one empty bin does not make the index infinite. Rules of thumb: below 0.1 stable, 0.1-0.25 a
 * shift worth a look, above 0.25 a major shift.
 */
public final class Psi {
    public static final double EPSILON = 1e-4;

    private Psi() {}

    public static double index(long[] baseline, long[] current) {
        if (baseline.length != current.length) {
            throw new IllegalArgumentException("bins differ: " + baseline.length + " vs " + current.length);
        }
        double nb = 0;
        double nc = 0;
        for (int i = 0; i < baseline.length; i++) {
            nb += baseline[i];
            nc += current[i];
        }
        if (nb == 0 || nc == 0) {
            return Double.NaN;
        }
        double psi = 0;
        for (int i = 0; i < baseline.length; i++) {
            double e = Math.max(baseline[i] / nb, EPSILON);
            double a = Math.max(current[i] / nc, EPSILON);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    public static String status(double psi, double warn, double fail) {
        if (Double.isNaN(psi)) {
            return "no_data";
        }
        return psi >= fail ? "fail" : psi >= warn ? "warn" : "ok";
    }
}
