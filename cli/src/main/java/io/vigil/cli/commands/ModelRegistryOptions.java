package io.vigil.cli.commands;

import io.vigil.models.ModelRegistryException;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the model registry is: {@code --registry DIR}, else {@code $VIGIL_HOME/var/registry}, else
 * {@code var/registry} under the working directory (the registry's own default).
 */
public final class ModelRegistryOptions {

    @Option(
            names = "--registry",
            paramLabel = "DIR",
            description =
                    "Model registry directory (default: $VIGIL_HOME/var/registry, else"
                            + " var/registry).")
    Path registry;

    public Path root() {
        if (registry != null) {
            return registry;
        }
        String home = System.getenv("VIGIL_HOME");
        return home == null || home.isBlank()
                ? FileSystemModelRegistry.DEFAULT_ROOT
                : Path.of(home).resolve(FileSystemModelRegistry.DEFAULT_ROOT);
    }

    /** Whether a registry directory exists yet (reading commands do not create one). */
    public boolean exists() {
        return Files.isDirectory(root());
    }

    /**
     * The registry for reading; nothing it does publishes.
     *
     * @throws ModelRegistryException if there is no registry directory
     */
    public FileSystemModelRegistry openForReading() {
        if (!exists()) {
            throw new ModelRegistryException(
                    "no model registry at "
                            + root().toAbsolutePath()
                            + " (register or train a model first, or give --registry DIR)");
        }
        return FileSystemModelRegistry.open(root(), ModelEventPublisher.none());
    }
}
