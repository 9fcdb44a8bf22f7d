// Pictures from the example programs: a gnuplot script with its data inline, drawn to a PNG.
//
//   examples::Gnuplot plot("curves.png", 1200, 800);
//   plot.data("loss", rows);                 // a datablock $loss: one line per row
//   plot << "plot $loss using 1:2 with lines title 'train loss'\n";
//   plot.draw();                             // runs gnuplot; throws naming the file when it fails
//
// gnuplot (Debian's gnuplot-nox, installed by scripts/setup.sh) runs as a child process; the data
// travels in the script as datablocks, so no temporary files are written.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <tapegrad/core/array.hpp>

namespace examples {

class Gnuplot {
 public:
  Gnuplot(std::string png, int width, int height) : png_(std::move(png)) {
    script_ << "set terminal pngcairo size " << width << "," << height << " noenhanced font 'Sans,10'\n"
            << "set output '" << png_ << "'\n";
  }

  // A datablock $name whose lines are `rows`, each a row of numbers (non-finite ones are written
  // as NaN, which gnuplot leaves out).
  void data(const std::string& name, const std::vector<std::vector<double>>& rows) {
    script_ << "$" << name << " << EOD\n";
    for (const auto& row : rows) {
      for (std::size_t k = 0; k < row.size(); ++k) {
        if (k) script_ << ' ';
        if (row[k] == row[k] && row[k] - row[k] == 0) script_ << row[k];
        else script_ << "NaN";
      }
      script_ << '\n';
    }
    script_ << "EOD\n";
  }

  template <class V>
  Gnuplot& operator<<(const V& v) {
    script_ << v;
    return *this;
  }

  void draw() {
    if (std::system("command -v gnuplot > /dev/null 2>&1") != 0)
      throw tg::Error("cannot draw " + png_ + ": gnuplot is not installed (scripts/setup.sh installs gnuplot-nox)");
    FILE* gp = popen("gnuplot", "w");
    if (!gp) throw tg::Error("cannot draw " + png_ + ": cannot start gnuplot");
    const std::string text = script_.str();
    const bool written = std::fwrite(text.data(), 1, text.size(), gp) == text.size();
    if (pclose(gp) != 0 || !written) throw tg::Error("gnuplot failed to draw " + png_);
  }

 private:
  std::string png_;
  std::ostringstream script_;
};

}  // namespace examples
