// The kernel dialect as CUDA C++ (compiled to PTX by nvcc or NVRTC, no headers needed): the OpenCL C words
// the kernels use, mapped onto CUDA. A work-item is a thread, a work-group is a block of blockDim threads.
#define KERNEL extern "C" __global__      // unmangled names, so cuModuleGetFunction finds "sgemm"
#define DEVICE __device__ inline
#define GLOBAL
#define LOCAL __shared__
#define LOCAL_PTR                         // CUDA cannot qualify a parameter __shared__: a plain pointer
#define WORK_GROUP_SIZE(x, y, z) __launch_bounds__((x) * (y) * (z))

typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef double real;                      // every CUDA device has fp64

// OpenCL's NDRange: global size = grid * block in each dimension.
DEVICE int get_local_id(int d) { return d == 0 ? threadIdx.x : d == 1 ? threadIdx.y : threadIdx.z; }
DEVICE int get_group_id(int d) { return d == 0 ? blockIdx.x : d == 1 ? blockIdx.y : blockIdx.z; }
DEVICE int get_local_size(int d) { return d == 0 ? blockDim.x : d == 1 ? blockDim.y : blockDim.z; }
DEVICE int get_num_groups(int d) { return d == 0 ? gridDim.x : d == 1 ? gridDim.y : gridDim.z; }
DEVICE int get_global_id(int d) { return get_group_id(d) * get_local_size(d) + get_local_id(d); }
#define CLK_LOCAL_MEM_FENCE 1
#define barrier(fence) __syncthreads()

#undef INFINITY
#undef NAN
#define INFINITY __int_as_float(0x7f800000)
#define NAN __int_as_float(0x7fc00000)
DEVICE float as_float(uint bits) { return __uint_as_float(bits); }
DEVICE uint as_uint(float v) { return __float_as_uint(v); }
DEVICE float mad(float a, float b, float c) { return fmaf(a, b, c); }
// Java's (int) cast: truncates, saturates, NaN -> 0 (what PTX cvt.rzi.s32.f32 does).
DEVICE int convert_int_sat_rtz(float v) { return __float2int_rz(v); }

// F16 element `pos` of a buffer, converted by the PTX instructions (round-to-nearest-even when narrowing).
DEVICE float load_half(const uchar* buf, int pos) {
    unsigned short bits = ((const unsigned short*) buf)[pos];
    float v;
    asm("cvt.f32.f16 %0, %1;" : "=f"(v) : "h"(bits));
    return v;
}

DEVICE void store_half(uchar* buf, int pos, float v) {
    unsigned short bits;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(bits) : "f"(v));
    ((unsigned short*) buf)[pos] = bits;
}
