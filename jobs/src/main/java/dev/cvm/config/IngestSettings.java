package dev.cvm.config;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Validation thresholds of the ingest stage. */
public record IngestSettings(double maxQuarantineShare, boolean failOnExtraColumns, int maxKeyLength,
                             LocalDate minDate, VolumeCheckSettings volumeCheck) implements Serializable {

    static IngestSettings from(Config root) {
        Config c = root.getConfig("cvm.ingest");
        String extra = c.getString("extra-columns");
        if (!extra.equals("fail") && !extra.equals("ignore")) {
            throw CvmException.usage("config key cvm.ingest.extra-columns must be \"fail\" or \"ignore\", got \""
                    + extra + "\"");
        }
        LocalDate minDate;
        try {
            minDate = LocalDate.parse(c.getString("min-date"));
        } catch (DateTimeParseException e) {
            throw CvmException.usage("config key cvm.ingest.min-date must be a YYYY-MM-DD date, got \""
                    + c.getString("min-date") + "\"");
        }
        return new IngestSettings(CvmConfig.fraction(root, "cvm.ingest.max-quarantine-share"), extra.equals("fail"),
                CvmConfig.positiveInt(root, "cvm.ingest.max-key-length"), minDate,
                VolumeCheckSettings.from(root));
    }
}
