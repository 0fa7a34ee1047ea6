#include <cstdio>
#include <iostream>

#include "cmd_params.hpp"
#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim::cli {

namespace {

using model::DeliveryMode;

std::string csv_field(std::string_view text) {
  std::string out = "\"";
  for (char c : text) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

ParamsCommand::ParamsCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("params", "List every model parameter with display name, unit, defaults, bounds and source");
  app_->add_option("--format,-f", format_, "output format")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

int ParamsCommand::execute() {
  const auto registry = model::parameter_registry();
  if (format_ == "json") {
    JsonWriter json;
    json.begin_array();
    for (const auto& p : registry) {
      json.begin_object();
      json.key("name").value(p.name).key("display_name").value(p.display_name).key("unit").value(p.unit);
      json.key("default_vaginal").value(p.default_for(DeliveryMode::vaginal));
      json.key("default_caesarean_planned").value(p.default_for(DeliveryMode::caesarean_planned));
      json.key("default_caesarean_emergency").value(p.default_for(DeliveryMode::caesarean_emergency));
      json.key("lower_bound").value(p.lower_bound).key("upper_bound").value(p.upper_bound);
      json.key("description").value(p.description).key("source").value(p.source);
      json.end_object();
    }
    json.end_array();
    std::cout << json.str();
  } else if (format_ == "csv") {
    std::cout << "name,unit,default_vaginal,default_caesarean_planned,default_caesarean_emergency,lower_bound,"
                 "upper_bound,description,source,display_name\n";
    for (const auto& p : registry) {
      std::cout << p.name << "," << csv_field(p.unit) << "," << format_number(p.default_for(DeliveryMode::vaginal))
                << "," << format_number(p.default_for(DeliveryMode::caesarean_planned)) << ","
                << format_number(p.default_for(DeliveryMode::caesarean_emergency)) << ","
                << format_number(p.lower_bound) << "," << format_number(p.upper_bound) << ","
                << csv_field(p.description) << "," << csv_field(p.source) << "," << csv_field(p.display_name) << "\n";
    }
  } else {
    std::printf("%-36s %-36s %-7s %10s %10s %10s  %-19s %s\n", "name", "display name", "unit", "vaginal", "cs_planned",
                "cs_emerg", "bounds", "description");
    for (const auto& p : registry) {
      const std::string bounds = "[" + format_number(p.lower_bound) + ", " + format_number(p.upper_bound) + "]";
      std::printf("%-36s %-36s %-7s %10s %10s %10s  %-19s %s\n", std::string(p.name).c_str(),
                  std::string(p.display_name).c_str(), std::string(p.unit).c_str(),
                  format_number(p.default_for(DeliveryMode::vaginal)).c_str(),
                  format_number(p.default_for(DeliveryMode::caesarean_planned)).c_str(),
                  format_number(p.default_for(DeliveryMode::caesarean_emergency)).c_str(), bounds.c_str(),
                  std::string(p.description).c_str());
    }
    std::printf("\nSources: `lactsim params --format csv` or docs/model.md.\n");
  }
  return 0;
}

}  // namespace lactsim::cli
