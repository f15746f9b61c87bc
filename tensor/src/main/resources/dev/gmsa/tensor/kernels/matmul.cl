// Batched matrix products c [.., M, N] = a [.., M, K] b [.., K, N] over strided views of any float dtype.

#define TS 64           // a work-group computes a TS x TS tile of c
#define TK 16           // depth of the a and b tiles staged in local memory
#define WPT 4           // each work-item computes WPT x WPT outputs, spaced RTS apart
#define RTS (TS / WPT)  // the work-group is RTS x RTS items

// Tiled SGEMM. Each operand is loaded in the order that makes neighbouring work-items read neighbouring
// addresses (row-major or transposed), and BF16/F16 operands are widened as they are staged.
KERNEL WORK_GROUP_SIZE(RTS, RTS, 1)
void sgemm(GLOBAL const uchar* a, View av, GLOBAL const uchar* b, View bv, GLOBAL uchar* c, View cv,
           int M, int N, int K) {
    LOCAL float aTile[TK][TS];  // aTile[p][i] = a[row0 + i, k0 + p]
    LOCAL float bTile[TK][TS];  // bTile[p][j] = b[k0 + p, col0 + j]
    int tx = get_local_id(0), ty = get_local_id(1), item = ty * RTS + tx;
    int col0 = get_group_id(0) * TS, row0 = get_group_id(1) * TS, batch = get_group_id(2);
    int r = av.rank;
    int aBase = batch_base(&av, batch), bBase = batch_base(&bv, batch), cBase = batch_base(&cv, batch);
    int aRow = av.stride[r - 2], aCol = av.stride[r - 1];
    int bRow = bv.stride[r - 2], bCol = bv.stride[r - 1];
    int cRow = cv.stride[r - 2], cCol = cv.stride[r - 1];
    float acc[WPT][WPT];
    for (int wm = 0; wm < WPT; wm++)
        for (int wn = 0; wn < WPT; wn++) acc[wm][wn] = 0.0f;

    for (int k0 = 0; k0 < K; k0 += TK) {
        for (int e = item; e < TS * TK; e += RTS * RTS) {
            int i = aCol == 1 ? e / TK : e % TS, p = aCol == 1 ? e % TK : e / TS;
            int gi = row0 + i, gp = k0 + p;
            aTile[p][i] = gi < M && gp < K ? load(a, av.dtype, aBase + gi * aRow + gp * aCol) : 0.0f;
            int j = bCol == 1 ? e % TS : e / TK, q = bCol == 1 ? e / TS : e % TK;
            int gj = col0 + j, gq = k0 + q;
            bTile[q][j] = gj < N && gq < K ? load(b, bv.dtype, bBase + gq * bRow + gj * bCol) : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TK; p++) {
            float bRegs[WPT];
            for (int wn = 0; wn < WPT; wn++) bRegs[wn] = bTile[p][tx + wn * RTS];
            for (int wm = 0; wm < WPT; wm++) {
                float aValue = aTile[p][ty + wm * RTS];
                for (int wn = 0; wn < WPT; wn++) acc[wm][wn] = mad(aValue, bRegs[wn], acc[wm][wn]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int wm = 0; wm < WPT; wm++)
        for (int wn = 0; wn < WPT; wn++) {
            int gi = row0 + ty + wm * RTS, gj = col0 + tx + wn * RTS;
            if (gi < M && gj < N) store(c, cv.dtype, cBase + gi * cRow + gj * cCol, acc[wm][wn]);
        }
}

#define GEMV_WG 64

// M == 1 with b's K axis contiguous (a weight W [N, K] used as W^T, typically BF16): one work-group per
// output column reads that column's K weights with neighbouring items on neighbouring addresses.
KERNEL WORK_GROUP_SIZE(GEMV_WG, 1, 1)
void gemv_k_contiguous(GLOBAL const uchar* a, View av, GLOBAL const uchar* b, View bv, GLOBAL uchar* c, View cv,
                       int N, int K) {
    LOCAL float partial[GEMV_WG];
    int col = get_group_id(0), batch = get_group_id(1), lid = get_local_id(0);
    int r = av.rank;
    int aBase = batch_base(&av, batch), bBase = batch_base(&bv, batch) + col * bv.stride[r - 1];
    int aCol = av.stride[r - 1], bRow = bv.stride[r - 2];
    float acc = 0.0f;
    for (int p = lid; p < K; p += GEMV_WG)
        acc = fma(load(a, av.dtype, aBase + p * aCol), load(b, bv.dtype, bBase + p * bRow), acc);
    partial[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GEMV_WG / 2; s > 0; s >>= 1) {
        if (lid < s) partial[lid] += partial[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) store(c, cv.dtype, batch_base(&cv, batch) + col * cv.stride[r - 1], partial[0]);
}

// M == 1 otherwise: one work-item per output column, walking K (coalesced when b is row-major).
KERNEL void gemv_columns(GLOBAL const uchar* a, View av, GLOBAL const uchar* b, View bv, GLOBAL uchar* c, View cv,
                         int N, int K) {
    int col = get_global_id(0), batch = get_global_id(1);
    if (col >= N) return;
    int r = av.rank;
    int aBase = batch_base(&av, batch), bBase = batch_base(&bv, batch) + col * bv.stride[r - 1];
    int aCol = av.stride[r - 1], bRow = bv.stride[r - 2];
    float acc = 0.0f;
    for (int p = 0; p < K; p++) acc = fma(load(a, av.dtype, aBase + p * aCol), load(b, bv.dtype, bBase + p * bRow), acc);
    store(c, cv.dtype, batch_base(&cv, batch) + col * cv.stride[r - 1], acc);
}
