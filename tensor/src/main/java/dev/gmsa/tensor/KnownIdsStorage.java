package dev.gmsa.tensor;

/** What every {@link Storage} shares: the record of what is known of its ids ({@link IdSummary}). */
public abstract class KnownIdsStorage implements Storage {
    private volatile IdSummary knownIds;

    @Override
    public IdSummary knownIds() {
        return knownIds;
    }

    @Override
    public void knownIds(IdSummary summary) {
        knownIds = summary;
    }
}
