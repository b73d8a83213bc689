package dev.servedeck.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.source.ServableVersionPolicy.All;
import dev.servedeck.core.source.ServableVersionPolicy.Latest;
import dev.servedeck.core.source.ServableVersionPolicy.Specific;
import dev.servedeck.proto.config.FileSystemStoragePathSourceConfig;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ServableVersionPolicyTest {

    private static final SortedSet<Long> ON_DISK = new TreeSet<>(List.of(1L, 2L, 5L, 123L));

    @Test
    void latestTakesTheHighestVersions() {
        assertThat(new Latest(1).select(ON_DISK)).containsExactly(123L);
        assertThat(new Latest(2).select(ON_DISK)).containsExactly(5L, 123L);
        assertThat(new Latest(10).select(ON_DISK)).containsExactly(1L, 2L, 5L, 123L);
        assertThat(new Latest(1).select(new TreeSet<>())).isEmpty();
    }

    @Test
    void allTakesEveryVersion() {
        assertThat(new All().select(ON_DISK)).containsExactly(1L, 2L, 5L, 123L);
    }

    @Test
    void specificTakesTheNamedVersionsThatExist() {
        assertThat(new Specific(new TreeSet<>(List.of(2L, 5L, 9L))).select(ON_DISK)).containsExactly(2L, 5L);
        assertThat(new Specific(new TreeSet<>()).select(ON_DISK)).isEmpty();
    }

    @Test
    void latestNeedsAtLeastOneVersion() {
        assertThatThrownBy(() -> new Latest(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void specificCopiesItsVersions() {
        TreeSet<Long> versions = new TreeSet<>(List.of(1L));
        Specific specific = new Specific(versions);
        versions.add(2L);

        assertThat(specific.versions()).containsExactly(1L);
    }

    @Test
    void readsTheConfigProtoLikeTfServing() {
        assertThat(fromProto(FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder())).isEqualTo(new Latest(1));
        assertThat(fromProto(FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder().setLatest(latest(0)))).isEqualTo(new Latest(1));
        assertThat(fromProto(FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder().setLatest(latest(3)))).isEqualTo(new Latest(3));
        assertThat(fromProto(FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder().setLatest(latest(-1)))).as("uint32 max").isEqualTo(new Latest(Integer.MAX_VALUE));
        assertThat(fromProto(FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder().setAll(FileSystemStoragePathSourceConfig.ServableVersionPolicy.All.getDefaultInstance()))).isEqualTo(new All());
        assertThat(fromProto(FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder().setSpecific(FileSystemStoragePathSourceConfig.ServableVersionPolicy.Specific.newBuilder().addVersions(3).addVersions(1))))
                .isEqualTo(new Specific(new TreeSet<>(List.of(1L, 3L))));
    }

    private static ServableVersionPolicy fromProto(FileSystemStoragePathSourceConfig.ServableVersionPolicy.Builder proto) {
        return ServableVersionPolicy.fromProto(proto.build());
    }

    private static FileSystemStoragePathSourceConfig.ServableVersionPolicy.Latest latest(int numVersions) {
        return FileSystemStoragePathSourceConfig.ServableVersionPolicy.Latest.newBuilder().setNumVersions(numVersions).build();
    }
}
