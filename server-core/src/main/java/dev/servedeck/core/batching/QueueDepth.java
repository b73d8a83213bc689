package dev.servedeck.core.batching;

/**
 * What waits for a batch, at one moment.
 *
 * @param tasks requests (or pieces of split requests) waiting
 * @param rows their rows
 */
public record QueueDepth(int tasks, long rows) {

    public static final QueueDepth EMPTY = new QueueDepth(0, 0);

    QueueDepth plus(int moreTasks, long moreRows) {
        return new QueueDepth(tasks + moreTasks, rows + moreRows);
    }
}
