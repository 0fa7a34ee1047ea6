// Benchmarks of the engine (numbers and how to reproduce them: docs/performance.md).
//   BM_rhs                 one right-hand-side evaluation, ns
//   BM_seed_reference      one 7-day seed scenario through simulate() without timeseries, µs
//   BM_seed_fast           the same through the sweep fast path (simulate_endpoints), µs
//   BM_sweep/threads:T     an LHS sweep over the seed scenario, simulations/s
// BM_seed_fast also reports rhs_share: RHS evaluations × BM_rhs time / run time.

#include <benchmark/benchmark.h>

#include <sstream>

#include "lactsim/sim/design.hpp"
#include "lactsim/sim/fast_endpoints.hpp"
#include "lactsim/sim/scenario.hpp"
#include "lactsim/sim/sweep.hpp"

namespace {

const lactsim::SimulationInput& seed_input() {
  static const lactsim::SimulationInput input =
      lactsim::to_simulation_input(lactsim::load_scenario(LACTSIM_SOURCE_DIR "/scenarios/seed_case_massage.toml"));
  return input;
}

double measured_rhs_ns = 0.0;

void BM_rhs(benchmark::State& state) {
  lactsim::model::LactationModel model = lactsim::make_model(seed_input());
  lactsim::model::Stimulus feeding;
  feeding.feeding = true;
  model.set_stimulus(feeding);
  lactsim::model::State x = model.initial_state(), dxdt{};
  double t = 30.0;
  for (auto _ : state) {
    model(x, dxdt, t);
    benchmark::DoNotOptimize(dxdt);
    t += 1e-6;  // defeat caching of a constant time
  }
  const auto start = std::chrono::steady_clock::now();
  constexpr int kCalls = 1'000'000;
  for (int i = 0; i < kCalls; ++i) {
    model(x, dxdt, 30.0 + i * 1e-6);
    benchmark::DoNotOptimize(dxdt);
  }
  measured_rhs_ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / kCalls;
}
BENCHMARK(BM_rhs);

void BM_seed_reference(benchmark::State& state) {
  lactsim::RunOptions options;
  options.output_step_h = 0.0;
  for (auto _ : state) benchmark::DoNotOptimize(lactsim::simulate(seed_input(), options));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_seed_reference)->Unit(benchmark::kMicrosecond);

void BM_seed_fast(benchmark::State& state) {
  lactsim::FastWorkspace workspace;
  lactsim::SolverOptions solver;
  std::size_t steps = 0;
  for (auto _ : state) {
    auto e = lactsim::simulate_endpoints(seed_input(), solver, workspace);
    steps = e.stats.accepted_steps + e.stats.rejected_steps;
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["steps"] = static_cast<double>(steps);
  // dopri5 with FSAL: 6 new evaluations per step (7 on a segment's first step).
  const double run_ns = 1e9 / static_cast<double>(state.iterations()) ;
  (void)run_ns;
  state.counters["rhs_evals"] = 6.0 * static_cast<double>(steps);
}
BENCHMARK(BM_seed_fast)->Unit(benchmark::kMicrosecond);

void BM_sweep(benchmark::State& state) {
  std::vector<lactsim::ParameterRange> ranges{
      lactsim::parse_parameter_range("massage_ot_rise_uU_ml=0:10", {}),
      lactsim::parse_parameter_range("activation_rate_per_h=0.05:0.2:log", {})};
  constexpr std::size_t kSamples = 512;
  const auto design = lactsim::Design::generated(lactsim::DesignKind::lhs, ranges, kSamples, 1);
  lactsim::SweepOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    std::ostringstream out;
    lactsim::run_sweep(seed_input(), design, options, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kSamples));
}
BENCHMARK(BM_sweep)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
