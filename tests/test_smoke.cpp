#include <gtest/gtest.h>
#include "lactsim/sim/simulation.hpp"
TEST(Smoke, Runs) { SUCCEED(); }
