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

enum class Function { exp, log };

/// out[i] = function(in[i]); with libmvec two lanes per call, the odd last element through
/// the same kernel so that no element takes another path.
void apply(Function function, const double* in, double* out, std::size_t count) {
#if LACTSIM_HAVE_LIBMVEC
  __m128d (*const kernel)(__m128d) = function == Function::exp ? _ZGVbN2v_exp : _ZGVbN2v_log;
  std::size_t i = 0;
  for (; i + 2 <= count; i += 2) _mm_storeu_pd(out + i, kernel(_mm_loadu_pd(in + i)));
  if (i < count) out[i] = _mm_cvtsd_f64(kernel(_mm_set1_pd(in[i])));
#else
  for (std::size_t i = 0; i < count; ++i) out[i] = function == Function::exp ? std::exp(in[i]) : std::log(in[i]);
#endif
}

}  // namespace

void exp_batch(const double* in, double* out, std::size_t count) { apply(Function::exp, in, out, count); }

void log_batch(const double* in, double* out, std::size_t count) { apply(Function::log, in, out, count); }

bool batch_math_is_vectorised() { return LACTSIM_HAVE_LIBMVEC != 0; }

}  // namespace lactsim::model
