// Kernels over one axis of a view split as [outer, len, inner] (row-major element (o, l, in) is
// number (o * len + l) * inner + in): reduce, argmax, indexSelect, indexAdd.


// One work-item per output (o, in).
KERNEL void reduce_axis(int op, GLOBAL const uchar* x, View xv, GLOBAL uchar* out, View ov,
                        int outer, int len, int inner) {
    int i = get_global_id(0);
    if (i >= outer * inner) return;
    int o = i / inner, in = i % inner;
    real acc = op == REDUCE_MAX ? -INFINITY : 0;
    for (int l = 0; l < len; l++) {
        real v = load_at(x, &xv, (o * len + l) * inner + in);
        acc = op == REDUCE_MAX ? max_nan(acc, v) : acc + v;
    }
    if (op == REDUCE_MEAN) acc /= len;
    store_at(out, &ov, i, (float) acc);
}

// One work-group per output row when the reduced axis is the last one (inner == 1) and long.
KERNEL void reduce_rows(int op, GLOBAL const uchar* x, View xv, GLOBAL uchar* out, View ov, int len) {
    LOCAL real scratch[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    real acc = op == REDUCE_MAX ? -INFINITY : 0;
    for (int l = lid; l < len; l += ROW_WG) {
        real v = load_at(x, &xv, row * len + l);
        acc = op == REDUCE_MAX ? max_nan(acc, v) : acc + v;
    }
    acc = op == REDUCE_MAX ? group_max(acc, scratch) : group_sum(acc, scratch);
    if (op == REDUCE_MEAN) acc /= len;
    if (lid == 0) store_at(out, &ov, row, (float) acc);
}

// Index of the first maximum; a NaN counts as larger than any number (the first NaN wins).
KERNEL void argmax_axis(GLOBAL const uchar* x, View xv, GLOBAL int* out, View ov, int outer, int len, int inner) {
    int i = get_global_id(0);
    if (i >= outer * inner) return;
    int o = i / inner, in = i % inner;
    int best = 0;
    float bestValue = load_at(x, &xv, o * len * inner + in);
    for (int l = 1; l < len; l++) {
        float v = load_at(x, &xv, (o * len + l) * inner + in);
        if (v > bestValue || (isnan(v) && !isnan(bestValue))) { best = l; bestValue = v; }
    }
    out[at(&ov, i)] = best;
}

// out (o, j, in) = x (o, ids[j], in); x has len entries on the axis, out has count.
KERNEL void index_select(GLOBAL const uchar* x, View xv, GLOBAL const uchar* ids, View iv,
                         GLOBAL uchar* out, View ov, int outer, int len, int count, int inner) {
    int i = get_global_id(0);
    if (i >= outer * count * inner) return;
    int in = i % inner, j = (i / inner) % count, o = i / (inner * count);
    int id = load_int(ids, &iv, j);
    store_at(out, &ov, i, load_at(x, &xv, (o * len + id) * inner + in));
}

// links[j] = the next j' > j with the same id (or -1); links[count + j] = 1 when j is the first with its id.
// O(count^2) comparisons, once per indexAdd, independent of the row width.
KERNEL void index_links(GLOBAL const uchar* ids, View iv, int count, GLOBAL int* links) {
    int j = get_global_id(0);
    if (j >= count) return;
    int id = load_int(ids, &iv, j);
    int next = -1;
    for (int k = j + 1; k < count && next < 0; k++) if (load_int(ids, &iv, k) == id) next = k;
    int first = 1;
    for (int k = 0; k < j && first; k++) if (load_int(ids, &iv, k) == id) first = 0;
    links[j] = next;
    links[count + j] = first;
}

// out (o, ids[j], in) += src (o, j, in): the work-item of the first j with a given id follows the chain of
// repeats in order, so the float sums are exactly the reference's and no atomics are needed.
KERNEL void index_add(GLOBAL const uchar* src, View sv, GLOBAL const uchar* ids, View iv,
                      GLOBAL const int* links, GLOBAL uchar* out, View ov,
                      int outer, int len, int count, int inner) {
    int i = get_global_id(0);
    if (i >= outer * count * inner) return;
    int in = i % inner, j = (i / inner) % count, o = i / (inner * count);
    if (!links[count + j]) return;
    int id = load_int(ids, &iv, j);
    int dst = at(&ov, (o * len + id) * inner + in);
    float acc = load(out, ov.dtype, dst);
    for (int k = j; k >= 0; k = links[k]) acc += load_at(src, &sv, (o * count + k) * inner + in);
    store(out, ov.dtype, dst, acc);
}
