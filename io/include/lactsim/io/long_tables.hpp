#pragma once
/// @file long_tables.hpp
/// The result tables of `lactsim run` in long ("tidy") form, `--format long`: one row per
/// value, with the scenario and the unit on every row, so the tables of many runs stack
/// without options (pandas.concat, rbind). docs/outputs.md describes the files.

#include <string>
#include <string_view>
#include <vector>

#include "lactsim/engine/simulation.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// Which layouts of timeseries and daily tables `lactsim run` writes (at least one).
struct RunTableFormats {
  bool wide = true;          ///< timeseries.csv, daily.csv: one column per variable
  bool long_format = false;  ///< timeseries_long.csv, daily_long.csv: one row per value
};

/// `table` in long form: header `scenario,KEY,variable,unit,value`, where KEY is the name of
/// the table's first column; then, for each row of `table` in order, one line per other
/// column (in column order) except those named in `left_out`: `scenario`, the key's value,
/// the column name, its unit and the value, each written as the wide CSV writes it
/// (result_cell_text). `scenario` is CSV-quoted when it needs to be. `table` must hold at
/// least its key column (timeseries_table() and daily_table() always do).
std::string long_table_csv(std::string_view scenario, const std::vector<ResultColumn>& table,
                           const std::vector<std::string_view>& left_out = {});

/// timeseries_long.csv: `scenario,time_h,variable,unit,value` with every timeseries.csv
/// column as a variable except `day` (a function of time_h: docs/outputs.md).
std::string timeseries_long_csv(std::string_view scenario, const Scenario& scenario_definition, const RunResult& result);

/// daily_long.csv: `scenario,day,variable,unit,value` with every daily.csv column as a variable.
std::string daily_long_csv(std::string_view scenario, const RunResult& result);

}  // namespace lactsim
