package dev.servedeck.core.source;

import dev.servedeck.proto.config.FileSystemStoragePathSourceConfig;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/** Which of the version directories found on disk to serve (TF Serving's ServableVersionPolicy). */
public sealed interface ServableVersionPolicy {

    /** The versions to aspire, out of the (stable) versions on disk. */
    SortedSet<Long> select(SortedSet<Long> versionsOnDisk);

    /** The {@code numVersions} highest-numbered versions. */
    record Latest(int numVersions) implements ServableVersionPolicy {

        public Latest {
            if (numVersions < 1) {
                throw new IllegalArgumentException("Latest needs at least one version, got " + numVersions);
            }
        }

        @Override
        public SortedSet<Long> select(SortedSet<Long> versionsOnDisk) {
            TreeSet<Long> newestFirst = new TreeSet<>(versionsOnDisk);
            SortedSet<Long> selected = new TreeSet<>();
            while (selected.size() < numVersions && !newestFirst.isEmpty()) {
                selected.add(newestFirst.pollLast());
            }
            return Collections.unmodifiableSortedSet(selected);
        }
    }

    /** Every version on disk. */
    record All() implements ServableVersionPolicy {

        @Override
        public SortedSet<Long> select(SortedSet<Long> versionsOnDisk) {
            return Collections.unmodifiableSortedSet(new TreeSet<>(versionsOnDisk));
        }
    }

    /** Exactly these versions, those of them that are on disk (none if the set is empty). */
    record Specific(SortedSet<Long> versions) implements ServableVersionPolicy {

        public Specific {
            versions = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(versions, "versions")));
        }

        @Override
        public SortedSet<Long> select(SortedSet<Long> versionsOnDisk) {
            SortedSet<Long> selected = new TreeSet<>(versionsOnDisk);
            selected.retainAll(versions);
            return Collections.unmodifiableSortedSet(selected);
        }
    }

    /** The policy a config asks for; an unset policy, or latest with 0 versions, means Latest(1) as in TF Serving. */
    public static ServableVersionPolicy fromProto(FileSystemStoragePathSourceConfig.ServableVersionPolicy proto) {
        return switch (proto.getPolicyChoiceCase()) {
            case LATEST -> new Latest(latestCount(proto.getLatest().getNumVersions()));
            case ALL -> new All();
            case SPECIFIC -> new Specific(new TreeSet<>(proto.getSpecific().getVersionsList()));
            case POLICYCHOICE_NOT_SET -> new Latest(1);
        };
    }

    /** num_versions is a proto uint32: 0 means 1, and values past int range are clamped. */
    private static int latestCount(int unsignedNumVersions) {
        long count = Integer.toUnsignedLong(unsignedNumVersions);
        return (int) Math.min(Math.max(1, count), Integer.MAX_VALUE);
    }
}
