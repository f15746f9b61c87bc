// Shared by every program: tensor views, dtype loads/stores and work-group reductions.
// Written in the kernel dialect of prelude_opencl.h / prelude_cuda.h (one of which comes first): OpenCL C
// with KERNEL, DEVICE, GLOBAL, LOCAL, LOCAL_PTR and WORK_GROUP_SIZE for the words the two languages spell differently.
// Arithmetic that the reference does in double uses `real` (see the preludes).

#define MAX_RANK 8
// DT_*, UNARY_*, BINARY_*, REDUCE_*: the Java enums' ordinals, defined before this file (KernelOpCodes)

// A strided view: element [i0, .., ir-1] lives at offset + sum(i_d * stride[d]) of its buffer.
// Must match KernelLaunch.tensor (dev.gmsa.tensor.device) byte for byte.
typedef struct {
    int rank;
    int offset;
    int contiguous;
    int dtype;
    int shape[MAX_RANK];
    int stride[MAX_RANK];
} View;

// Buffer position of the element with row-major number `linear`.
DEVICE int at(const View* v, int linear) {
    if (v->contiguous) return v->offset + linear;
    int pos = v->offset;
    for (int d = v->rank - 1; d >= 0; d--) {
        int size = v->shape[d];
        pos += (linear % size) * v->stride[d];
        linear /= size;
    }
    return pos;
}

// Buffer position of matrix number `batch` (row-major over the axes before the last two).
DEVICE int batch_base(const View* v, int batch) {
    int pos = v->offset;
    for (int d = v->rank - 3; d >= 0; d--) {
        int size = v->shape[d];
        pos += (batch % size) * v->stride[d];
        batch /= size;
    }
    return pos;
}

// Element `pos` widened to float: BF16 is the top half of an F32, F16 through load_half (see the preludes).
DEVICE float load(GLOBAL const uchar* buf, int dtype, int pos) {
    switch (dtype) {
        case DT_F32: return ((GLOBAL const float*) buf)[pos];
        case DT_BF16: return as_float(((uint) ((GLOBAL const ushort*) buf)[pos]) << 16);
        case DT_F16: return load_half(buf, pos);
        default: return (float) ((GLOBAL const int*) buf)[pos];
    }
}

// Round-to-nearest-even narrowing to BF16, as DType.floatToBf16 (NaN stays a quiet NaN).
DEVICE ushort to_bf16(float v) {
    if (isnan(v)) return (ushort) 0x7fc0;
    uint bits = as_uint(v);
    uint rounding = 0x7fffu + ((bits >> 16) & 1u);
    return (ushort) ((bits + rounding) >> 16);
}

DEVICE void store(GLOBAL uchar* buf, int dtype, int pos, float v) {
    switch (dtype) {
        case DT_F32: ((GLOBAL float*) buf)[pos] = v; break;
        case DT_BF16: ((GLOBAL ushort*) buf)[pos] = to_bf16(v); break;
        case DT_F16: store_half(buf, pos, v); break;
        default: ((GLOBAL int*) buf)[pos] = convert_int_sat_rtz(v); break; // Java's (int) cast: NaN -> 0, saturating
    }
}

DEVICE float load_at(GLOBAL const uchar* buf, const View* v, int linear) {
    return load(buf, v->dtype, at(v, linear));
}

DEVICE int load_int(GLOBAL const uchar* buf, const View* v, int linear) {
    int pos = at(v, linear);
    return v->dtype == DT_I32 ? ((GLOBAL const int*) buf)[pos] : convert_int_sat_rtz(load(buf, v->dtype, pos));
}

DEVICE void store_at(GLOBAL uchar* buf, const View* v, int linear, float value) {
    store(buf, v->dtype, at(v, linear), value);
}

// Math.max / Math.min on doubles: NaN wins.
DEVICE real max_nan(real a, real b) {
    return isnan(a) ? a : (isnan(b) ? b : (a > b ? a : b));
}

// Work-group reductions for kernels that give one row to one work-group of ROW_WG items.
#define ROW_WG 128

DEVICE real group_sum(real v, LOCAL_PTR real* scratch) {
    int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_WG / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] += scratch[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    real result = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return result;
}

DEVICE real group_max(real v, LOCAL_PTR real* scratch) {
    int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_WG / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = max_nan(scratch[lid], scratch[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    real result = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return result;
}
