package io.vigil.models.registry;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A separate process holding a registry's writer lock until its standard input closes: a hung
 * writer, for {@link FileSystemModelRegistryTest}. File locks are per process, so this cannot run
 * in the test's JVM.
 */
public final class RegistryLockHolder {

    private RegistryLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel channel =
                        FileChannel.open(
                                Path.of(args[0]).resolve(".lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // holds the lock until the test closes the pipe
            }
        }
    }
}
