package io.anomalyze.store;

import java.util.List;

/** One page of a longer list: its items and the size of the whole list. */
public record Page<T>(List<T> items, long total, int limit, long offset) {

    public boolean hasNext() {
        return offset + items.size() < total;
    }

    public boolean hasPrevious() {
        return offset > 0;
    }

    public long nextOffset() {
        return offset + limit;
    }

    public long previousOffset() {
        return Math.max(0, offset - limit);
    }

    /** 1-based number of the page and of pages, for display. */
    public long pageNumber() {
        return limit == 0 ? 1 : offset / limit + 1;
    }

    public long pageCount() {
        return limit == 0 ? 1 : Math.max(1, (total + limit - 1) / limit);
    }
}
