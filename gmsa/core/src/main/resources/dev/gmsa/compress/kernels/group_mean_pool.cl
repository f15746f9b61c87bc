// GroupMeanPool's device kernel (gmsa), compiled after the tensor module's prelude and common.cl.
// One work-item per output (o, g, in) of x seen as [outer, len, inner]: the mean of positions
// [g * groupSize, min(len, (g + 1) * groupSize)) of the pooled axis.
KERNEL void group_mean_pool(GLOBAL const uchar* x, View xv, GLOBAL uchar* out, View ov,
                            int outer, int len, int inner, int groups, int groupSize) {
    int i = get_global_id(0);
    if (i >= outer * groups * inner) return;
    int in = i % inner, g = (i / inner) % groups, o = i / (inner * groups);
    int start = g * groupSize, end = min(start + groupSize, len);
    real acc = 0;
    for (int l = start; l < end; l++) acc += load_at(x, &xv, (o * len + l) * inner + in);
    store_at(out, &ov, i, (float) (acc / (end - start)));
}
