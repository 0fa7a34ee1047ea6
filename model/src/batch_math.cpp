#include "lactsim/model/batch_math.hpp"

#include <cmath>

#if LACTSIM_HAVE_LIBMVEC
#include <immintrin.h>
// glibc's vector ABI names (x86-64 vector function ABI, ISA "b" = SSE, 2 lanes, not masked).
extern "C" __m128d _ZGVbN2v_exp(__m128d);
extern "C" __m128d _ZGVbN2v_log(__m128d);
#endif

namespace lactsim::model {
namespace {

#if LACTSIM_HAVE_LIBMVEC
template <__m128d (*Kernel)(__m128d)>
void apply_two_lanes(const double* in, double* out, std::size_t count) {
  std::size_t i = 0;
  for (; i + 2 <= count; i += 2) _mm_storeu_pd(out + i, Kernel(_mm_loadu_pd(in + i)));
  if (i < count) out[i] = _mm_cvtsd_f64(Kernel(_mm_set1_pd(in[i])));  // same kernel for the odd one
}
#endif

}  // namespace

void exp_batch(const double* in, double* out, std::size_t count) {
#if LACTSIM_HAVE_LIBMVEC
  apply_two_lanes<_ZGVbN2v_exp>(in, out, count);
#else
  for (std::size_t i = 0; i < count; ++i) out[i] = std::exp(in[i]);
#endif
}

void log_batch(const double* in, double* out, std::size_t count) {
#if LACTSIM_HAVE_LIBMVEC
  apply_two_lanes<_ZGVbN2v_log>(in, out, count);
#else
  for (std::size_t i = 0; i < count; ++i) out[i] = std::log(in[i]);
#endif
}

bool batch_math_is_vectorised() { return LACTSIM_HAVE_LIBMVEC != 0; }

}  // namespace lactsim::model
