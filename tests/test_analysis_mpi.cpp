// MPI sweeps: `mpirun -n 2 lactsim sweep` must write the same bytes as one process.
// Skipped (with the reason) in builds without -DLACTSIM_WITH_MPI=ON.

#include <gtest/gtest.h>

#include "lactsim/analysis/sweep.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

TEST(AnalysisMpi, TwoRanksWriteTheSameCsvAsOneProcess) {
#ifndef LACTSIM_MPIEXEC
  GTEST_SKIP() << "built without MPI (configure with -DLACTSIM_WITH_MPI=ON, or the mpi preset)";
#else
  ASSERT_TRUE(mpi_available());
  const auto dir = test::fresh_temp_dir("analysis_mpi");
  const std::string scenario = test::scenario_path("seed_case_massage.toml").string();
  const std::string args = " sweep " + scenario +
                           " --vary massage_ot_rise_uU_ml=0:10 --vary activation_rate_per_h=0.05:0.2:log"
                           " --design lhs -n 40 -j 1 -q --out ";
  const auto single = test::run_cli(args + (dir / "one.csv").string());
  ASSERT_EQ(single.exit_code, 0) << single.err;
  // Open MPI refuses to run as root unless told; CI containers often are root.
  const std::string command = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " LACTSIM_MPIEXEC
                              " -n 2 --oversubscribe " LACTSIM_CLI + args + (dir / "two.csv").string() + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const std::string one = test::read_file(dir / "one.csv");
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 41);
  EXPECT_EQ(test::read_file(dir / "two.csv"), one);
#endif
}

}  // namespace
}  // namespace lactsim
