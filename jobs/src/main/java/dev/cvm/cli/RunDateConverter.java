package dev.cvm.cli;

import picocli.CommandLine;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Strict YYYY-MM-DD; anything else is a usage error (exit code 2) with the bad value in the message. */
public final class RunDateConverter implements CommandLine.ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a date in YYYY-MM-DD form");
        }
    }
}
