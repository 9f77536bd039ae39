package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import org.junit.jupiter.api.Test;

/** Models travel to Spark executors by Java serialization; they must survive the round trip. */
class SerializationTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void modelsAndResultsRoundTrip() throws Exception {
        BgNbd bg = roundTrip(BgNbdTest.CDNOW_MLE);
        assertEquals(BgNbdTest.CDNOW_MLE.params(), bg.params());
        assertEquals(BgNbdTest.CDNOW_MLE.conditionalExpectedPurchases(39, 2, 30.43, 38.86),
                bg.conditionalExpectedPurchases(39, 2, 30.43, 38.86));
        ParetoNbd pn = roundTrip(ParetoNbdTest.CDNOW_MLE);
        assertEquals(ParetoNbdTest.CDNOW_MLE.probabilityAlive(0, 0, 39), pn.probabilityAlive(0, 0, 39));
        GammaGamma gg = roundTrip(GammaGammaTest.CDNOW_MLE);
        assertEquals(GammaGammaTest.CDNOW_MLE.populationMeanSpend(), gg.populationMeanSpend());
        ShiftedBetaGeometric sbg = roundTrip(new ShiftedBetaGeometric(0.668, 3.806));
        assertEquals(new ShiftedBetaGeometric(0.668, 3.806).survival(5), sbg.survival(5));
        RfmGroup g = roundTrip(new RfmGroup(2, 30.43, 38.86, 3));
        assertEquals(new RfmGroup(2, 30.43, 38.86, 3), g);
        FitResult r = ShiftedBetaGeometric.fit(new double[] {1000, 869, 743, 653}).result();
        assertEquals(r, roundTrip(r));
    }
}
