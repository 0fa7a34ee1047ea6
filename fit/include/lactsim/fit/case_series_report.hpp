#pragma once
/// @file case_series_report.hpp
/// The files and terminal summary of `lactsim fit --observations` over a case series
/// (docs/outputs.md §Case-series fit).

#include <filesystem>
#include <string>

#include "lactsim/fit/case_series_fit.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/output_files.hpp"

namespace lactsim {

/// per_subject.csv: one row per subject and free parameter —
/// subject,scenario,parameter,unit,shared,estimate,se,ci_low,ci_high,chi_square,points,status,detail
/// (estimate, se and interval in the parameter's unit; empty where unavailable).
std::string per_subject_csv(const CaseSeriesFit& fit);

/// summary.json: per parameter the across-subject mean, SD, min and max of the estimates of
/// the subjects fitted ok (a shared one: its joint estimate, SE and interval), the subjects'
/// statuses and provenance.
std::string case_series_summary_json(const CaseSeriesFit& fit, const std::string& command_line);

/// observed.csv: every subject's observations at its estimate, with a leading `scenario`
/// column (the scenario's file stem), as `lactsim fit` writes it.
std::string case_series_observed_csv(const CaseSeriesFit& fit);

/// subject_fit_panels.csv (the figure input of the per-subject fit panels, docs/figures.md):
/// subject,quantity,unit,axis,x,kind,value,sd — per subject fitted ok and per observed
/// quantity (event times left out), the simulated curve at the estimate (`kind` simulated;
/// axis `day`: every day of the horizon, or `time_h`: every hour) and the observed points
/// (`kind` observed, with their SD), in model units.
/// @throws SimulationError when a fitted subject cannot be simulated again
std::string subject_fit_panels_csv(const CaseSeriesFit& fit, double default_cv = kDefaultObservationCv);

/// Queues per_subject.csv, summary.json, observed.csv, subject_fit_panels.csv and (with a
/// `manifest`) manifest.json in `out_dir`.
OutputStaging stage_case_series_outputs(const CaseSeriesFit& fit, const std::string& command_line,
                                        const std::filesystem::path& out_dir, const RunManifest* manifest = nullptr,
                                        double default_cv = kDefaultObservationCv);

/// Human-readable summary: one line per subject and parameter, then the across-subject spread.
std::string case_series_summary_text(const CaseSeriesFit& fit);

}  // namespace lactsim
