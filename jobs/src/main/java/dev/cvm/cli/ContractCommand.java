package dev.cvm.cli;

import dev.cvm.contract.ContractDoc;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "contract", mixinStandardHelpOptions = true,
        description = "Print the input data contract (datasets, columns, types, keys, rules) as Markdown.")
final class ContractCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(ContractDoc.markdown());
        return 0;
    }
}
