package io.vigil.cli.commands;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The code version a training run records: the git commit of the checkout this CLI was built in
 * ({@code git rev-parse HEAD} where its jar or classes are, not the working directory), with {@code
 * -dirty} when tracked files differ from it, or {@code unknown} without git.
 */
final class ModelCodeVersion {

    private static final long GIT_TIMEOUT_SECONDS = 5;

    private ModelCodeVersion() {}

    static String detect() {
        Path dir = codeLocation();
        if (dir == null) {
            return "unknown";
        }
        String head = git(dir, "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String changes = git(dir, "status", "--porcelain", "--untracked-files=no");
        return head.strip() + (changes == null || changes.isBlank() ? "" : "-dirty");
    }

    private static Path codeLocation() {
        try {
            Path location =
                    Path.of(
                            ModelCodeVersion.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return Files.isDirectory(location) ? location : location.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null; // no code source (e.g. a custom class loader): no version to tell
        }
    }

    // stdout of git, or null when git is missing, fails or hangs.
    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
