// The shared main() of the example programs and the benchmarks: parse the command line
// (Boost.Program_options) strictly, check the outputs, run, and turn failures into exit codes: 2 for a
// usage error (with a pointer to --help), an ExitError's own code, 1 for any other failure.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/program_options.hpp>

#include <cerrno>
#include <cstddef>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include <tapegrad/core/files.hpp>

namespace examples {

// A failure with its own exit code (train_mnist's 3 for a loss that became NaN or infinite).
struct ExitError : std::runtime_error {
  ExitError(int exit_code, const std::string& message) : std::runtime_error(message), code(exit_code) {}
  int code;
};

// Boost converts values with lexical_cast, which wraps "-1" into a huge unsigned count and accepts
// "inf" and "nan" as numbers. Every example's options get these checks here, by their bound type.
inline void check_values(const boost::program_options::options_description& options,
                         const boost::program_options::parsed_options& parsed) {
  namespace po = boost::program_options;
  for (const po::option& opt : parsed.options) {
    const po::option_description* d = options.find_nothrow(opt.string_key, false);
    const auto* typed = d ? dynamic_cast<const po::typed_value_base*>(d->semantic().get()) : nullptr;
    if (!typed) continue;
    const std::type_info& type = typed->value_type();
    const bool count = type == typeid(unsigned) || type == typeid(unsigned long) || type == typeid(unsigned long long);
    const bool real = type == typeid(float) || type == typeid(double);
    for (const std::string& token : opt.value) {
      const std::string name = "--" + opt.string_key;
      if (count && token.find_first_not_of("0123456789") != std::string::npos)
        throw po::error(name + ": expected a non-negative integer, got '" + token + "'");
      if (real) {
        // strtod, like lexical_cast, reads "1e999" as infinity (and sets ERANGE), "inf" and "nan" as such.
        char* end = nullptr;
        const double v = std::strtod(token.c_str(), &end);
        if (end != token.c_str() && !std::isfinite(v))
          throw po::error(name + ": expected a finite number, got '" + token + "'");
      }
    }
  }
}

// Parses argv into the variables bound to `options`; prints the help and returns false for --help.
// Throws boost::program_options::error for unknown options, a positional argument and bad values,
// including a sign on an unsigned count and a value that is not a finite number for a float or double.
inline bool parse_options(const boost::program_options::options_description& options, int argc, char** argv) {
  namespace po = boost::program_options;
  po::variables_map vm;
  // No positional arguments: without this, Boost would ignore a stray "7" or call it an ambiguous option.
  const po::parsed_options parsed =
      po::command_line_parser(argc, argv).options(options).positional(po::positional_options_description()).run();
  check_values(options, parsed);
  po::store(parsed, vm);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

// A usage error unless `value`, given to `option`, is at least `least` (a count of runs or threads, which
// an int holds but the parser does not bound); the message names the option, the value and the bound.
inline void check_at_least(const std::string& option, int value, int least) {
  if (value < least)
    throw boost::program_options::error(option + ": expected an integer >= " + std::to_string(least) + ", got '" +
                                        std::to_string(value) + "'");
}

// The rows an option such as --train-rows asks for, out of `size`: all of them for 0 or more than
// there are.
inline std::size_t rows_option(std::size_t rows, std::size_t size) { return rows == 0 || rows > size ? size : rows; }

// A usage error unless `value`, given to `option`, is one of `choices`.
inline void check_one_of(const std::string& option, const std::string& value, const std::vector<std::string>& choices) {
  for (const std::string& c : choices)
    if (value == c) return;
  std::string expected;
  for (std::size_t i = 0; i < choices.size(); ++i)
    expected += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  throw boost::program_options::error(option + ": expected " + expected + ", got '" + value + "'");
}

// A usage error unless `path`, the value of `option`, can be written as a regular file (see
// tg::check_output_file): for every output option (--save, --metrics-csv, --csv, --plot, ...),
// checked before any work, so that a run is never lost to a bad output path.
inline void check_output(const std::string& option, const std::string& path) {
  if (path.empty()) return;
  try {
    tg::check_output_file(path, option + ": '" + path + "': ");
  } catch (const std::exception& e) {
    throw boost::program_options::error(e.what());
  }
}

// An output written as the run goes (a CSV row per epoch), in place: a regular file only, opened
// without following a link; every write is checked and a failure names the file and the reason.
class OutputFile {
 public:
  OutputFile(const std::string& option, const std::string& path) : where_(option + ": '" + path + "': ") {
    tg::check_output_file(path, where_);
    fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd_ < 0) throw std::runtime_error(where_ + "cannot open: " + std::strerror(errno));
  }
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error(where_ + "write failed: " + std::strerror(errno));
      done += static_cast<std::size_t>(n);
    }
  }
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw std::runtime_error(where_ + "write failed: " + std::strerror(errno));
  }

 private:
  std::string where_;
  int fd_ = -1;
};

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
  } catch (const ExitError& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace examples
