package io.vigil.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns an exception and its causes into one readable line. */
public final class Errors {

    private Errors() {}

    /** Each distinct message of the cause chain, outermost first, joined with ": ". */
    public static String describe(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = error; t != null && parts.size() < 4; t = t.getCause()) {
            if (t instanceof ExecutionException || t instanceof CompletionException) {
                continue;
            }
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(message);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return parts.isEmpty() ? error.getClass().getName() : String.join(": ", parts);
    }
}
