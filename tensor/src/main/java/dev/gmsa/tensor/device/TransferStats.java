package dev.gmsa.tensor.device;

import java.util.concurrent.atomic.AtomicLong;

/** Counts explicit copies between host and device memory (what a GPU backend should keep rare). */
public final class TransferStats {
    private final AtomicLong uploads = new AtomicLong(), uploadedBytes = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong(), downloadedBytes = new AtomicLong();

    /** An immutable reading of the counters. */
    public record Snapshot(long uploads, long uploadedBytes, long downloads, long downloadedBytes) {
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(uploads - earlier.uploads, uploadedBytes - earlier.uploadedBytes,
                    downloads - earlier.downloads, downloadedBytes - earlier.downloadedBytes);
        }

        @Override
        public String toString() {
            return uploads + " host->device copies (" + uploadedBytes + " bytes), " + downloads + " device->host copies ("
                    + downloadedBytes + " bytes)";
        }
    }

    void hostToDevice(long bytes) {
        uploads.incrementAndGet();
        uploadedBytes.addAndGet(bytes);
    }

    void deviceToHost(long bytes) {
        downloads.incrementAndGet();
        downloadedBytes.addAndGet(bytes);
    }

    public Snapshot snapshot() {
        return new Snapshot(uploads.get(), uploadedBytes.get(), downloads.get(), downloadedBytes.get());
    }

    public void reset() {
        uploads.set(0);
        uploadedBytes.set(0);
        downloads.set(0);
        downloadedBytes.set(0);
    }
}
