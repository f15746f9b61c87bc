// Fused causal attention with grouped-query heads (Backend.attention / attentionBackward): no [T, S] score
// matrix is ever stored. One work-group of ROW_WG items per query row (forward, dq) or per key row (dk, dv);
// keys (or queries) are taken ROW_WG at a time, one per item, and the head dimension is shared out across items.
// Shapes: q [B, H, T, hd], k and v [B, KV, S, hd]; query t sits at position offset + t and sees keys s <= offset + t.

#define MAX_HEAD_DIM 256
#define DIMS_PER_ITEM (MAX_HEAD_DIM / ROW_WG)

// Linear (row-major) number of element d of row `row` of a [rows, hd] view of q, k, v or their gradients.
DEVICE int elem(int row, int hd, int d) {
    return row * hd + d;
}

// dot(x_local, y[row]) over the head dimension; x already in local memory.
DEVICE real dot_row(LOCAL_PTR const float* x, GLOBAL const uchar* y, const View* yv, int row, int hd) {
    real acc = 0;
    for (int d = 0; d < hd; d++) acc += (real) x[d] * load_at(y, yv, elem(row, hd, d));
    return acc;
}

DEVICE void load_row(LOCAL_PTR float* dst, GLOBAL const uchar* src, const View* sv, int row, int hd) {
    for (int d = get_local_id(0); d < hd; d += ROW_WG) dst[d] = load_at(src, sv, elem(row, hd, d));
    barrier(CLK_LOCAL_MEM_FENCE);
}

// out[row] = softmax(scale q k^T, masked) v and lse[row] = log of the softmax denominator. Two passes over the
// visible keys: the exact row maximum first, then the weights, their sum and the weighted values.
KERNEL void attention_forward(GLOBAL const uchar* q, View qv, GLOBAL const uchar* k, View kv, GLOBAL const uchar* v, View vv,
                              float scale, int offset, GLOBAL uchar* out, View ov, GLOBAL uchar* lse, View lv, int writeLse,
                              int heads, int kvHeads, int t, int s, int hd) {
    LOCAL float query[MAX_HEAD_DIM];
    LOCAL float weight[ROW_WG];
    LOCAL real scratch[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);                 // row = (b * heads + h) * t + i
    int i = row % t, bh = row / t, b = bh / heads, h = bh % heads;
    int keyBase = (b * kvHeads + h / (heads / kvHeads)) * s;          // first key row of this query's kv head
    int visible = min(s, offset + i + 1);
    load_row(query, q, &qv, row, hd);

    real rowMax = -INFINITY;
    for (int j = lid; j < visible; j += ROW_WG) rowMax = max_nan(rowMax, scale * dot_row(query, k, &kv, keyBase + j, hd));
    rowMax = group_max(rowMax, scratch);

    real acc[DIMS_PER_ITEM];
    for (int c = 0; c < DIMS_PER_ITEM; c++) acc[c] = 0;
    real sum = 0;
    for (int start = 0; start < visible; start += ROW_WG) {
        int j = start + lid;
        float p = j < visible ? (float) exp(scale * dot_row(query, k, &kv, keyBase + j, hd) - rowMax) : 0.0f;
        weight[lid] = p;
        sum += p;
        barrier(CLK_LOCAL_MEM_FENCE);
        int block = min(ROW_WG, visible - start);
        for (int c = 0; c < DIMS_PER_ITEM; c++) {
            int d = lid + c * ROW_WG;
            if (d < hd)
                for (int jj = 0; jj < block; jj++) acc[c] += (real) weight[jj] * load_at(v, &vv, elem(keyBase + start + jj, hd, d));
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    sum = group_sum(sum, scratch);
    for (int c = 0; c < DIMS_PER_ITEM; c++) {
        int d = lid + c * ROW_WG;
        if (d < hd) store_at(out, &ov, elem(row, hd, d), (float) (acc[c] / sum));
    }
    if (writeLse && lid == 0) store_at(lse, &lv, row, (float) (log(sum) + rowMax));
}

// dq[row] = scale sum_j ds_j k_j with p_j = exp(scale q k_j - lse), ds_j = p_j (dOut v_j - rowDot).
KERNEL void attention_backward_dq(GLOBAL const uchar* q, View qv, GLOBAL const uchar* k, View kv, GLOBAL const uchar* v, View vv,
                                  GLOBAL const uchar* lse, View lv, GLOBAL const uchar* rowDot, View rv,
                                  GLOBAL const uchar* dOut, View dov, float scale, int offset, GLOBAL uchar* dq, View dqv,
                                  int heads, int kvHeads, int t, int s, int hd) {
    LOCAL float query[MAX_HEAD_DIM];
    LOCAL float gradOut[MAX_HEAD_DIM];
    LOCAL float dscore[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    int i = row % t, bh = row / t, b = bh / heads, h = bh % heads;
    int keyBase = (b * kvHeads + h / (heads / kvHeads)) * s;
    int visible = min(s, offset + i + 1);
    load_row(query, q, &qv, row, hd);
    load_row(gradOut, dOut, &dov, row, hd);
    real logSum = load_at(lse, &lv, row), delta = load_at(rowDot, &rv, row);

    real acc[DIMS_PER_ITEM];
    for (int c = 0; c < DIMS_PER_ITEM; c++) acc[c] = 0;
    for (int start = 0; start < visible; start += ROW_WG) {
        int j = start + lid;
        float ds = 0.0f;
        if (j < visible) {
            real p = exp(scale * dot_row(query, k, &kv, keyBase + j, hd) - logSum);
            ds = (float) (p * (dot_row(gradOut, v, &vv, keyBase + j, hd) - delta));
        }
        dscore[lid] = ds;
        barrier(CLK_LOCAL_MEM_FENCE);
        int block = min(ROW_WG, visible - start);
        for (int c = 0; c < DIMS_PER_ITEM; c++) {
            int d = lid + c * ROW_WG;
            if (d < hd)
                for (int jj = 0; jj < block; jj++) acc[c] += (real) dscore[jj] * load_at(k, &kv, elem(keyBase + start + jj, hd, d));
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int c = 0; c < DIMS_PER_ITEM; c++) {
        int d = lid + c * ROW_WG;
        if (d < hd) store_at(dq, &dqv, elem(row, hd, d), (float) (scale * acc[c]));
    }
}

// For key row (b, g, j): dv = sum over the queries that see it (every head h of group g, every i with
// offset + i >= j) of p dOut_i, and dk = scale sum of ds q_i; the heads of a group are summed into their kv head.
KERNEL void attention_backward_dkdv(GLOBAL const uchar* q, View qv, GLOBAL const uchar* k, View kv, GLOBAL const uchar* v, View vv,
                                    GLOBAL const uchar* lse, View lv, GLOBAL const uchar* rowDot, View rv,
                                    GLOBAL const uchar* dOut, View dov, float scale, int offset,
                                    GLOBAL uchar* dk, View dkv, GLOBAL uchar* dv, View dvv,
                                    int heads, int kvHeads, int t, int s, int hd) {
    LOCAL float key[MAX_HEAD_DIM];
    LOCAL float value[MAX_HEAD_DIM];
    LOCAL float prob[ROW_WG];
    LOCAL float dscore[ROW_WG];
    int keyRow = get_group_id(0), lid = get_local_id(0);             // keyRow = (b * kvHeads + g) * s + j
    int j = keyRow % s, bg = keyRow / s, b = bg / kvHeads, g = bg % kvHeads, group = heads / kvHeads;
    load_row(key, k, &kv, keyRow, hd);
    load_row(value, v, &vv, keyRow, hd);
    int first = max(0, j - offset);                                  // earliest query that sees key j

    real accK[DIMS_PER_ITEM], accV[DIMS_PER_ITEM];
    for (int c = 0; c < DIMS_PER_ITEM; c++) accK[c] = accV[c] = 0;
    for (int hh = 0; hh < group; hh++) {
        int queryBase = (b * heads + g * group + hh) * t;
        for (int start = first; start < t; start += ROW_WG) {
            int i = start + lid;
            float p = 0.0f, ds = 0.0f;
            if (i < t) {
                int qRow = queryBase + i;
                real pr = exp(scale * dot_row(key, q, &qv, qRow, hd) - load_at(lse, &lv, qRow));
                p = (float) pr;
                ds = (float) (pr * (dot_row(value, dOut, &dov, qRow, hd) - load_at(rowDot, &rv, qRow)));
            }
            prob[lid] = p;
            dscore[lid] = ds;
            barrier(CLK_LOCAL_MEM_FENCE);
            int block = min(ROW_WG, t - start);
            for (int c = 0; c < DIMS_PER_ITEM; c++) {
                int d = lid + c * ROW_WG;
                if (d < hd)
                    for (int ii = 0; ii < block; ii++) {
                        int qRow = queryBase + start + ii;
                        accV[c] += (real) prob[ii] * load_at(dOut, &dov, elem(qRow, hd, d));
                        accK[c] += (real) dscore[ii] * load_at(q, &qv, elem(qRow, hd, d));
                    }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }
    for (int c = 0; c < DIMS_PER_ITEM; c++) {
        int d = lid + c * ROW_WG;
        if (d < hd) {
            store_at(dk, &dkv, elem(keyRow, hd, d), (float) (scale * accK[c]));
            store_at(dv, &dvv, elem(keyRow, hd, d), (float) accV[c]);
        }
    }
}
