package dev.servedeck.core.requestlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real file on a disk with only {@code free} bytes left, behaving as Linux does when it fills up: a write
 * takes what still fits and returns the short count, the next one fails with "No space left on device";
 * truncating gives the space back. Shared by every channel a test opens, like one disk.
 */
final class SpaceLimitedChannel extends FileChannel {

    /** The disk: bytes still free, for every file opened on it. */
    static final class Disk {

        private final AtomicLong free;

        Disk(long free) {
            this.free = new AtomicLong(free);
        }

        /** Someone deleted files elsewhere on the disk. */
        void release(long bytes) {
            free.addAndGet(bytes);
        }

        LogFileOpener opener() {
            return file -> new SpaceLimitedChannel(LogFileOpener.files().open(file), this);
        }
    }

    private final FileChannel file;
    private final Disk disk;

    private SpaceLimitedChannel(FileChannel file, Disk disk) {
        this.file = file;
        this.disk = disk;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        long fits = Math.min(src.remaining(), disk.free.get());
        if (fits == 0 && src.hasRemaining()) {
            throw new IOException("No space left on device");
        }
        ByteBuffer part = src.slice();
        part.limit((int) fits);
        int written = file.write(part);
        src.position(src.position() + written);
        disk.free.addAndGet(-written);
        return written;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        long before = file.size();
        file.truncate(size);
        disk.free.addAndGet(Math.max(0, before - file.size()));
        return this;
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException("gathering writes");
    }

    @Override
    public int write(ByteBuffer src, long position) {
        throw new UnsupportedOperationException("positional writes");
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException("transferTo");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException("transferFrom");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("map");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("lock");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("tryLock");
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
