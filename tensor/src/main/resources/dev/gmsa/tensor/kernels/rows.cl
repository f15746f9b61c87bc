// Kernels over the last axis, one row per work-group of ROW_WG items: softmax and logSoftmax.

KERNEL void softmax_rows(GLOBAL const uchar* x, View xv, GLOBAL uchar* out, View ov, int n, int logarithm) {
    LOCAL real scratch[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    real max = -INFINITY;
    for (int i = lid; i < n; i += ROW_WG) max = max_nan(max, load_at(x, &xv, row * n + i));
    max = group_max(max, scratch);
    real sum = 0;
    for (int i = lid; i < n; i += ROW_WG) sum += exp(load_at(x, &xv, row * n + i) - max);
    sum = group_sum(sum, scratch);
    real logSum = log(sum);
    for (int i = lid; i < n; i += ROW_WG) {
        real z = load_at(x, &xv, row * n + i) - max;
        store_at(out, &ov, row * n + i, (float) (logarithm ? z - logSum : exp(z) / sum));
    }
}
