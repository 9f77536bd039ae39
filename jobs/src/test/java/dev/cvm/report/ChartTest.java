package dev.cvm.report;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SVG charts: round ticks, well-formed output for awkward input, escaping. No Spark. */
class ChartTest {
    static void wellFormed(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
    }

    @Test
    void niceDomainsHaveRoundTicks() {
        assertArrayEquals(new double[] {0, 2500, 500}, Chart.nice(0, 2417, 5), 1e-9);
        assertArrayEquals(new double[] {0, 0.35, 0.05}, Chart.nice(0, 0.33, 6), 1e-9);
        double[] same = Chart.nice(5, 5, 4);
        assertTrue(same[0] < 5 && same[1] > 5, "a constant gets a range around it");
        assertEquals(List.of(0.0, 0.5, 1.0), Chart.ticks(0, 1, 0.5));
    }

    @Test
    void awkwardInputStillGivesWellFormedSvg() throws Exception {
        wellFormed(new Chart(300, 200, "empty").xLinear(0, 0, "x").yLinear(0, 0, "y").render());
        wellFormed(new Chart(300, 200, "nan <&> \"quoted\"").xFixed(0, 1, 0.2, "a & b").yFixed(0, 1, 0.2, "<y>")
                .line("s & t", new double[] {0, Double.NaN, 1}, new double[] {0, 0.5, Double.POSITIVE_INFINITY},
                        Chart.PALETTE[0], true, true)
                .points("p", new double[] {0.5}, new double[] {0.5}, List.of("<label>"), Chart.PALETTE[1], 4)
                .render());
        wellFormed(new Chart(300, 200, "one band").xBands(List.of("a very long category name indeed"), "c")
                .yLinear(0, 10, "v").bars(List.of("only"), new double[][] {{Double.NaN}}, Chart.PALETTE).render());
        wellFormed(Chart.hbars("no bars", List.of(), new double[0], Chart.PALETTE, Html::compact, 400));
        wellFormed(Chart.hbars("zeros", List.of("a", "b"), new double[] {0, 0}, Chart.PALETTE, Html::compact, 400));
    }

    @Test
    void numbersAreFormattedForReading() {
        assertEquals("1.2M", Html.compact(1_234_567));
        assertEquals("950", Html.compact(950));
        assertEquals("12.5k", Html.compact(12_500));
        assertEquals("–", Html.num(Double.NaN));
        assertEquals("12.3%", Html.pct(0.1234));
        assertEquals("&lt;b&gt; &amp; &quot;", Html.esc("<b> & \""));
    }
}
