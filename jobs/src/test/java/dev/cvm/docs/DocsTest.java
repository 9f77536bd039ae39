package dev.cvm.docs;

import dev.cvm.contract.ContractDoc;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documentation describes the code as it is. */
class DocsTest {
    static Path home() {
        return Path.of(System.getProperty("cvm.home", "."));
    }

    @Test
    void dataContractDocEmbedsTheContract() throws Exception {
        String doc = Files.readString(home().resolve("docs/data-contract.md"));
        assertTrue(doc.contains(ContractDoc.markdown()),
                "docs/data-contract.md is out of date: paste the output of `bin/cvm contract` into its Datasets section");
    }

    @Test
    void featureDocEmbedsTheCatalog() throws Exception {
        String doc = Files.readString(home().resolve("docs/features.md"));
        String catalog = dev.cvm.features.FeatureCatalog.markdown(
                dev.cvm.config.CvmConfig.load(home().resolve("conf/local.conf").toFile()).features());
        assertTrue(doc.contains(catalog), "docs/features.md is out of date: paste the output of `bin/cvm catalog`");
    }
}
