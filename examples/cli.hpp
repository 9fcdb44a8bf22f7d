// The shared main() of the example programs: parse the command line (Boost.Program_options), run,
// and turn failures into exit codes: 2 for a usage error (with a pointer to --help), 1 for any other.
#pragma once

#include <boost/program_options/errors.hpp>

#include <exception>
#include <iostream>
#include <optional>
#include <string>

namespace examples {

// `parse` returns the configuration, or nothing after printing --help; it throws
// boost::program_options::error for bad values. `run` returns the exit code.
template <class Config>
int run_main(const std::string& name, int argc, char** argv, std::optional<Config> (*parse)(int, char**),
             int (*run)(const Config&)) {
  std::optional<Config> config;
  try {
    config = parse(argc, argv);
  } catch (const boost::program_options::error& e) {
    std::cerr << name << ": " << e.what() << "\n(see " << name << " --help)\n";
    return 2;
  }
  if (!config) return 0;
  try {
    return run(*config);
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace examples
