// Benchmarks of the engine (numbers and how to reproduce them: docs/performance.md).
//   BM_rhs                 one right-hand-side evaluation, ns
//   BM_seed_reference      one 7-day seed scenario through simulate() without timeseries, µs
//   BM_seed_fast/M         the same through the sweep fast path (simulate_endpoints), µs;
//                          M = 0 classical dopri5, 1 cascade (--solver cascade)
//   BM_sweep/T/M           an LHS sweep over the seed scenario on T threads with stepper M, simulations/s
//   BM_weigh_observed/N    weighting N single-value daily-milk points (subject spread), with the
//                          fitted complexity (O(N log N) expected; it was O(N^2))
// BM_seed_fast also reports rhs_evals and rhs_ns, whose product over the run time is the RHS share.

#include <benchmark/benchmark.h>
#include <time.h>

#include <sstream>

#include "lactsim/model/batch_math.hpp"
#include "lactsim/analysis/design.hpp"
#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/analysis/sweep.hpp"

namespace {

const lactsim::SimulationInput& seed_input() {
  static const lactsim::SimulationInput input =
      lactsim::to_simulation_input(lactsim::load_scenario(LACTSIM_SOURCE_DIR "/scenarios/seed_case_massage.toml"));
  return input;
}

double measured_rhs_ns = 0.0;

/// CPU time of the calling thread, ns (immune to other processes on a shared machine).
double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

void BM_rhs(benchmark::State& state) {
  const lactsim::model::LactationModel model = lactsim::make_model(seed_input());
  lactsim::model::Stimulus feeding;
  feeding.feeding = true;
  lactsim::model::State x = model.initial_state(), dxdt{};
  double t = 30.0;
  for (auto _ : state) {
    model(x, dxdt, t, feeding);
    benchmark::DoNotOptimize(dxdt);
    t += 1e-6;  // defeat caching of a constant time
  }
  const double start = thread_cpu_ns();
  constexpr int kCalls = 1'000'000;
  for (int i = 0; i < kCalls; ++i) {
    model(x, dxdt, 30.0 + i * 1e-6, feeding);
    benchmark::DoNotOptimize(dxdt);
  }
  measured_rhs_ns = (thread_cpu_ns() - start) / kCalls;
}
BENCHMARK(BM_rhs);

void BM_seed_reference(benchmark::State& state) {
  lactsim::RunOptions options;
  options.output_step_h = 0.0;
  for (auto _ : state) benchmark::DoNotOptimize(lactsim::simulate(seed_input(), options));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_seed_reference)->Unit(benchmark::kMicrosecond);

lactsim::SolverMethod method_of(std::int64_t arg) { return lactsim::kSolverMethods[arg]; }

void BM_seed_fast(benchmark::State& state) {
  lactsim::FastWorkspace workspace;
  lactsim::SolverOptions solver;
  solver.method = method_of(state.range(0));
  std::size_t steps = 0;
  const double start = thread_cpu_ns();
  for (auto _ : state) {
    auto e = lactsim::simulate_endpoints(seed_input(), solver, workspace);
    steps = e.stats.accepted_steps + e.stats.rejected_steps;
    benchmark::DoNotOptimize(e);
  }
  const double cpu_ns_per_run = (thread_cpu_ns() - start) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["steps"] = static_cast<double>(steps);
  // Both steppers: 6 new evaluations per step (FSAL), plus one at each segment start (~190).
  const double evaluations = 6.0 * static_cast<double>(steps);
  state.counters["rhs_evals"] = evaluations;
  state.counters["cpu_us_per_run"] = cpu_ns_per_run / 1e3;
  state.counters["rhs_ns"] = measured_rhs_ns;  // from BM_rhs; share = rhs_evals × rhs_ns / run time
}
BENCHMARK(BM_seed_fast)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_sweep(benchmark::State& state) {
  std::vector<lactsim::ParameterRange> ranges{
      lactsim::parse_parameter_range("massage_ot_rise_uU_ml=0:10", {}),
      lactsim::parse_parameter_range("activation_rate_per_h=0.05:0.2:log", {})};
  constexpr std::size_t kSamples = 512;
  const auto design = lactsim::Design::generated(lactsim::DesignKind::lhs, ranges, kSamples, 1);
  lactsim::SweepOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  options.solver.method = method_of(state.range(1));
  for (auto _ : state) {
    std::ostringstream out;
    lactsim::CsvSweepSink sink(out);
    lactsim::run_sweep(seed_input(), design, options, sink);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kSamples));
}
BENCHMARK(BM_sweep)->Args({1, 0})->Args({2, 0})->Args({1, 1})->Args({2, 1})->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_weigh_observed(benchmark::State& state) {
  lactsim::Scenario scenario = lactsim::load_scenario(LACTSIM_SOURCE_DIR "/scenarios/seed_case_massage.toml");
  lactsim::ObservedSeries series;
  series.quantity = "milk_transferred_daily";
  series.unit = "mL/day";
  series.source = "synthetic";
  const auto n = static_cast<std::size_t>(state.range(0));
  for (std::size_t i = 0; i < n; ++i) {
    lactsim::ObservedPoint point{};
    point.day = static_cast<int>(i % 7) + 1;
    point.value = 100.0 + static_cast<double>((i * 7919) % 1000) / 10.0;
    series.points.push_back(point);
  }
  scenario.observed = {series};
  for (auto _ : state) benchmark::DoNotOptimize(lactsim::weighted_observations(scenario));
  state.SetComplexityN(state.range(0));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_weigh_observed)->RangeMultiplier(10)->Range(1000, 100000)->Complexity()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  // Which exp/log the cascade solver's batches use: the numbers depend on it.
  benchmark::AddCustomContext("batch_exp_log", lactsim::model::batch_math_is_vectorised()
                                                   ? "libmvec (2 lanes)"
                                                   : "std::exp/std::log");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
