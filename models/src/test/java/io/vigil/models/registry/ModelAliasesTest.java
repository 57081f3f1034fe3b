package io.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.models.ModelRegistryException;
import io.vigil.models.registry.ModelAliases.Challenger;
import io.vigil.schemas.ChallengerMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelAliasesTest {

    private static final Challenger SHADOW_2 = new Challenger("2", ChallengerMode.SHADOW, 0);

    @Test
    void promotionKeepsTheOldChampionForRollback() {
        ModelAliases a = ModelAliases.none("m").withChampion("1").withChallenger(SHADOW_2);
        ModelAliases promoted = a.promoted();
        assertThat(promoted).isEqualTo(new ModelAliases("m", "2", null, List.of("1")));
        assertThat(promoted.withChampion("3").previousChampions()).containsExactly("2", "1");
        assertThat(promoted.withChampion("3").rolledBack().rolledBack())
                .isEqualTo(new ModelAliases("m", "1", null, List.of()));
    }

    @Test
    void rollbackDropsAChallengerThatBecomesTheChampion() {
        ModelAliases a =
                ModelAliases.none("m")
                        .withChampion("1")
                        .withChampion("2")
                        .withChallenger(new Challenger("1", ChallengerMode.CANARY, 0.05));
        assertThat(a.rolledBack()).isEqualTo(new ModelAliases("m", "1", null, List.of()));
        ModelAliases other = a.withChallenger(new Challenger("3", ChallengerMode.SHADOW, 0));
        assertThat(other.rolledBack().challenger().version()).isEqualTo("3");
    }

    @Test
    void refusesTransitionsThatMakeNoSense() {
        ModelAliases none = ModelAliases.none("m");
        assertThatThrownBy(() -> none.withChallenger(SHADOW_2))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessage("model m: there is no champion to challenge; set a champion first");
        ModelAliases one = none.withChampion("1");
        assertThatThrownBy(() -> one.withChampion("1"))
                .hasMessageContaining("already the champion");
        assertThatThrownBy(() -> one.withChallenger(new Challenger("1", ChallengerMode.SHADOW, 0)))
                .hasMessageContaining("cannot also be the challenger");
        assertThatThrownBy(() -> one.withChallenger(SHADOW_2).withChampion("2"))
                .hasMessageContaining("promote it instead");
        assertThatThrownBy(one::rolledBack).hasMessageContaining("no previous champion");
        assertThatThrownBy(one::promoted).hasMessageContaining("no challenger to promote");
        assertThatThrownBy(() -> new Challenger("2", ChallengerMode.SHADOW, 0.5))
                .hasMessageContaining("SHADOW challenger never decides");
        assertThatThrownBy(() -> new Challenger("2", ChallengerMode.CANARY, 1.5))
                .hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new Challenger("2", ChallengerMode.NONE, 0))
                .hasMessageContaining("SHADOW or CANARY");
    }
}
