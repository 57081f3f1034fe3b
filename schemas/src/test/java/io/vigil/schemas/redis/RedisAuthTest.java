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

        assertThat(auth).isEqualTo(new RedisAuth("vigil", "s3cret", true));
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
}
