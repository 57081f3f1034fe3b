package io.vigil.schemas.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisAuthTest {

    @TempDir Path dir;

    @Test
    void readsThePasswordFileWithoutItsTrailingNewlineAndMasksIt() throws IOException {
        Path file = Files.writeString(dir.resolve("redis.password"), "s3cret\n");

        RedisAuth auth = RedisAuth.of("vigil", file, true);

        assertThat(auth)
                .isEqualTo(
                        new RedisAuth(
                                "vigil", "s3cret", true, null, file.toAbsolutePath().toString()));
        assertThat(auth.toString()).isEqualTo("RedisAuth[user=vigil, password=****, tls=true]");
        assertThat(RedisAuth.of(null, null, false)).isEqualTo(RedisAuth.NONE);
    }

    @Test
    void refusesAnEmptyOrMissingPasswordFileAndAUserWithoutPassword() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> RedisAuth.of(null, empty, false))
                .hasMessage("the Redis password file " + empty + " is empty");
        assertThatThrownBy(() -> RedisAuth.of(null, dir.resolve("missing"), false))
                .hasMessageStartingWith("cannot read the Redis password file ");
        assertThatThrownBy(() -> RedisAuth.of("vigil", null, false))
                .hasMessage("Redis user vigil needs a password (--redis-password-file)");
    }

    @Test
    void connectionsTakeThePasswordFileAsItIsNowOrTheSubmittedPasswordWithoutIt()
            throws IOException {
        Path file = Files.writeString(dir.resolve("redis.password"), "first\n");
        RedisAuth auth = RedisAuth.of("vigil", file, false);

        Files.writeString(file, "rotated\n");
        assertThat(auth.currentPassword()).isEqualTo("rotated");
        assertThat(auth.password()).as("what the job was configured with").isEqualTo("first");

        Files.writeString(file, "");
        assertThat(auth.currentPassword()).as("a file being rewritten").isEqualTo("first");
        Files.delete(file);
        assertThat(auth.currentPassword()).as("no file on this machine").isEqualTo("first");
        assertThat(new RedisAuth("vigil", "given", false).currentPassword()).isEqualTo("given");
        assertThat(RedisAuth.NONE.currentPassword()).isNull();
    }
}
