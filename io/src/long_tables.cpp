#include "lactsim/io/long_tables.hpp"

#include <algorithm>

#include "lactsim/engine/sample_evaluation.hpp"

namespace lactsim {

std::string long_table_csv(std::string_view scenario, const std::vector<ResultColumn>& table,
                           const std::vector<std::string_view>& left_out) {
  const ResultColumn& key = table.front();
  std::string out = "scenario," + std::string(key.name) + ",variable,unit,value\n";
  std::vector<const ResultColumn*> variables;
  for (std::size_t c = 1; c < table.size(); ++c) {
    if (std::find(left_out.begin(), left_out.end(), table[c].name) == left_out.end()) variables.push_back(&table[c]);
  }
  const std::string scenario_cell = csv_escape(scenario);
  for (std::size_t row = 0; row < key.values.size(); ++row) {
    const std::string head = scenario_cell + "," + result_cell_text(key, row) + ",";
    for (const ResultColumn* variable : variables) {
      out += head;
      out += variable->name;
      out += ',';
      out += variable->unit;
      out += ',';
      out += result_cell_text(*variable, row);
      out += '\n';
    }
  }
  return out;
}

std::string timeseries_long_csv(std::string_view scenario, const Scenario& scenario_definition, const RunResult& result) {
  return long_table_csv(scenario, timeseries_table(scenario_definition, result), {"day"});
}

std::string daily_long_csv(std::string_view scenario, const RunResult& result) {
  return long_table_csv(scenario, daily_table(result));
}

}  // namespace lactsim
