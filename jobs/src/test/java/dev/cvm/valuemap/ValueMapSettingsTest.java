package dev.cvm.valuemap;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueMapSettingsTest {

    @Test
    void defaultsComeFromReferenceConf() {
        ValueMapSettings s = ValueMapSettings.from(CvmConfig.parse("cvm.warehouse = /tmp/w"));
        assertEquals(WeightMethod.REGRESSION, s.weights());
        assertEquals(30, s.minRespondents());
        assertEquals(List.of("plan", "region", "competitor"), s.segments());
        assertEquals(0.02, s.parityBand());
        assertEquals(0.95, s.confidenceLevel());
    }

    @Test
    void overridesAreRead() {
        ValueMapSettings s = ValueMapSettings.from(CvmConfig.parse(
                "cvm.value-map { weights = stated, min-respondents = 50, segments = [competitor], parity-band = 0 }"));
        assertEquals(WeightMethod.STATED, s.weights());
        assertEquals(50, s.minRespondents());
        assertEquals(List.of("competitor"), s.segments());
        assertEquals(0.0, s.parityBand());
    }

    @Test
    void badValuesAreUsageErrorsNamingTheKey() {
        for (String[] bad : new String[][] {
                {"cvm.value-map.weights = ols", "cvm.value-map.weights"},
                {"cvm.value-map.weights = equal", "cvm.value-map.weights"},
                {"cvm.value-map.min-respondents = 1", "cvm.value-map.min-respondents"},
                {"cvm.value-map.min-respondents = many", "min-respondents"},
                {"cvm.value-map.segments = [plan, plan]", "cvm.value-map.segments"},
                {"cvm.value-map.segments = [all]", "cvm.value-map.segments"},
                {"cvm.value-map.parity-band = 1.5", "cvm.value-map.parity-band"},
                {"cvm.value-map.confidence-level = 1", "cvm.value-map.confidence-level"}}) {
            CvmException e = assertThrows(CvmException.class, () -> ValueMapSettings.from(CvmConfig.parse(bad[0])),
                    bad[0]);
            assertEquals(2, e.exitCode(), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void unknownKeyInTheSectionIsRejected() {
        CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse("cvm.value-map.min-respondent = 5"));
        assertTrue(e.getMessage().contains("cvm.value-map.min-respondent"), e.getMessage());
    }
}
