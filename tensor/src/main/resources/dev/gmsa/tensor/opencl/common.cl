// Shared by every program: tensor views, dtype loads/stores and work-group reductions.
// Arithmetic that the reference does in double uses `real`, which is double where the device has fp64.
#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
typedef double2 real2;
#else
typedef float real;
typedef float2 real2;
#endif

#define MAX_RANK 8
// DType ordinals
#define DT_F32 0
#define DT_BF16 1
#define DT_F16 2
#define DT_I32 3

// A strided view: element [i0, .., ir-1] lives at offset + sum(i_d * stride[d]) of its buffer.
// Must match OpenClView.java byte for byte.
typedef struct {
    int rank;
    int offset;
    int contiguous;
    int dtype;
    int shape[MAX_RANK];
    int stride[MAX_RANK];
} View;

// Buffer position of the element with row-major number `linear`.
inline int at(const View* v, int linear) {
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
inline int batch_base(const View* v, int batch) {
    int pos = v->offset;
    for (int d = v->rank - 3; d >= 0; d--) {
        int size = v->shape[d];
        pos += (batch % size) * v->stride[d];
        batch /= size;
    }
    return pos;
}

// Element `pos` widened to float: BF16 is the top half of an F32, F16 goes through vload_half (core in 1.2).
inline float load(__global const uchar* buf, int dtype, int pos) {
    switch (dtype) {
        case DT_F32: return ((__global const float*) buf)[pos];
        case DT_BF16: return as_float(((uint) ((__global const ushort*) buf)[pos]) << 16);
        case DT_F16: return vload_half(pos, (__global const half*) buf);
        default: return (float) ((__global const int*) buf)[pos];
    }
}

// Round-to-nearest-even narrowing to BF16, as DType.floatToBf16 (NaN stays a quiet NaN).
inline ushort to_bf16(float v) {
    if (isnan(v)) return (ushort) 0x7fc0;
    uint bits = as_uint(v);
    uint rounding = 0x7fffu + ((bits >> 16) & 1u);
    return (ushort) ((bits + rounding) >> 16);
}

inline void store(__global uchar* buf, int dtype, int pos, float v) {
    switch (dtype) {
        case DT_F32: ((__global float*) buf)[pos] = v; break;
        case DT_BF16: ((__global ushort*) buf)[pos] = to_bf16(v); break;
        case DT_F16: vstore_half_rte(v, pos, (__global half*) buf); break;
        default: ((__global int*) buf)[pos] = convert_int_sat_rtz(v); break; // Java's (int) cast: NaN -> 0, saturating
    }
}

inline float load_at(__global const uchar* buf, const View* v, int linear) {
    return load(buf, v->dtype, at(v, linear));
}

inline int load_int(__global const uchar* buf, const View* v, int linear) {
    int pos = at(v, linear);
    return v->dtype == DT_I32 ? ((__global const int*) buf)[pos] : convert_int_sat_rtz(load(buf, v->dtype, pos));
}

inline void store_at(__global uchar* buf, const View* v, int linear, float value) {
    store(buf, v->dtype, at(v, linear), value);
}

// Math.max / Math.min on doubles: NaN wins.
inline real max_nan(real a, real b) {
    return isnan(a) ? a : (isnan(b) ? b : (a > b ? a : b));
}

// Work-group reductions for kernels that give one row to one work-group of ROW_WG items.
#define ROW_WG 128

inline real group_sum(real v, __local real* scratch) {
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

inline real group_max(real v, __local real* scratch) {
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
