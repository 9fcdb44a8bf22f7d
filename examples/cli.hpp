// The shared main() of the example programs: parse the command line (Boost.Program_options), run,
// and turn failures into exit codes: 2 for a usage error (with a pointer to --help), 1 for any other.
#pragma once

#include <boost/program_options.hpp>

#include <exception>
#include <iostream>
#include <optional>
#include <string>

namespace examples {

// Parses argv into the variables bound to `options`; prints the help and returns false for --help.
// Throws boost::program_options::error for unknown options and bad values.
inline bool parse_options(const boost::program_options::options_description& options, int argc, char** argv) {
  namespace po = boost::program_options;
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, options), vm);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

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
