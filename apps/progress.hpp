#pragma once
// The progress line of a model job (run, evaluate, plan) on standard error: on a terminal one
// line rewritten in place, in a log one line every 6 simulated hours.
#include <cstdio>
#include <iostream>
#include <string>

#include <unistd.h>

#include "forecast/run_job.hpp"

inline lantian::JobProgress progress_printer(const std::string& command) {
  const bool tty = ::isatty(2) != 0;
  return [tty, command](const std::string& stage, const lantian::RunProgress& p) {
    if (!tty && p.hours_done % 6 != 0 && p.hours_done != p.hours) return;
    char figures[160];
    std::snprintf(figures, sizeof figures, "%.1f s, ~%.0f s left, max surface PM2.5 %.1f ug/m3", p.elapsed_s,
                  p.remaining_s, p.max_surface_pm25);
    std::cerr << (tty ? "\r" : "") << "lantian " << command << ": " << stage << ": hour " << p.hours_done << "/"
              << p.hours << " (" << p.local_time << "), " << figures << (tty ? "   " : "\n") << std::flush;
    if (tty && p.hours_done == p.hours) std::cerr << "\n";
  };
}
