package dev.gmsa.loaders;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The project's one way to write a file: readers (and a crash at any moment) see the old content or the new, never
 * half of it. The content goes to a fresh temporary file beside the target, is forced to disk, then renamed over it;
 * on any failure the temporary file is removed and the old file is left as it was.
 */
public final class AtomicFiles {
    /** Writes the content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the content to a file of its own (for libraries that only write to a path, such as chart encoders). */
    @FunctionalInterface
    public interface FileContent {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {}

    public static void write(Path file, Content content) {
        writeFile(file, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
        });
    }

    public static void write(Path file, byte[] bytes) {
        write(file, out -> out.write(bytes));
    }

    /**
     * As {@link #write(Path, Content)}, through a path. The temporary name keeps the target's extension, since some
     * writers choose the format from it.
     */
    public static void writeFile(Path file, FileContent content) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            String name = target.getFileName().toString();
            int dot = name.lastIndexOf('.');
            tmp = createTemporary(target.getParent(), "." + name + ".", dot > 0 ? ".tmp" + name.substring(dot) : ".tmp");
            content.writeTo(tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true); // durable before the rename makes it visible
            }
            moveOver(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw LoadException.of(file.toString(), "cannot write: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * A new empty file with a unique name. Not Files.createTempFile: that makes it owner-only (0600), and a model
     * folder written for others to read would keep those permissions after the rename.
     */
    private static Path createTemporary(Path folder, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = folder.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix);
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }

    private static void moveOver(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING); // same folder: only exotic file systems get here
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) return;
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the write's own error (or success) is what the caller needs to hear about
        }
    }
}
