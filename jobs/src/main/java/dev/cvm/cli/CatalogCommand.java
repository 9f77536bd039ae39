package dev.cvm.cli;

import dev.cvm.config.CvmConfig;
import dev.cvm.features.FeatureCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Print the feature catalog of account_features for the given config, as Markdown.")
final class CatalogCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        System.out.print(FeatureCatalog.markdown(CvmConfig.load(common.confFile()).features()));
        return 0;
    }
}
