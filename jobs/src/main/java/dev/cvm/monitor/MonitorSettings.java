package dev.cvm.monitor;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;

/** Drift thresholds and back-testing depth ({@code cvm.monitor}). */
public record MonitorSettings(double psiWarn, double psiFail, boolean failOnDrift, int backtestRuns)
        implements Serializable {

    public static MonitorSettings from(Config root) {
        Config c = root.getConfig("cvm.monitor");
        double warn = c.getDouble("psi-warn");
        double fail = c.getDouble("psi-fail");
        if (!(warn > 0 && fail > warn)) {
            throw CvmException.usage("config keys cvm.monitor.psi-warn and psi-fail need 0 < psi-warn < psi-fail, got "
                    + warn + ", " + fail);
        }
        int runs = c.getInt("backtest-runs");
        if (runs < 0) {
            throw CvmException.usage("config key cvm.monitor.backtest-runs must not be negative, got " + runs);
        }
        return new MonitorSettings(warn, fail, c.getBoolean("fail-on-drift"), runs);
    }
}
