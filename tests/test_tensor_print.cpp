// std::cout << tensor prints as LibTorch 1.13 does: each expected string below is the output of
// LibTorch's operator<< for the same tensor, run on this machine.
#include "check.hpp"

#include <cmath>
#include <sstream>

namespace {

std::string printed(const tg::Tensor& t) {
  std::ostringstream os;
  os << t;
  return os.str();
}

}  // namespace

TEST_CASE("printing: 0-d, 1-D and 2-D tensors of each dtype") {
  CHECK(printed(tg::tensor({{1.5, -2.25, 3.0}, {4.0, 5.125, -6.0}})) ==
        " 1.5000 -2.2500  3.0000\n 4.0000  5.1250 -6.0000\n[ CPUFloatType{2,3} ]");
  CHECK(printed(tg::tensor({1, 2, 3})) == " 1\n 2\n 3\n[ CPULongType{3} ]");
  CHECK(printed(tg::tensor({true, false})) == " 1\n 0\n[ CPUBoolType{2} ]");
  CHECK(printed(tg::tensor(3.5)) == "3.5\n[ CPUFloatType{} ]");
  CHECK(printed(tg::tensor({1.0, 2.0}, tg::kDouble)) == " 1\n 2\n[ CPUDoubleType{2} ]");
  CHECK(printed(tg::tensor({{1, -20}, {300, 4}})) == "   1  -20\n 300    4\n[ CPULongType{2,2} ]");
  CHECK(printed(tg::tensor({-5.5, 0.25})) == "-5.5000\n 0.2500\n[ CPUFloatType{2} ]");
  CHECK(printed(tg::Tensor()) == "[ Tensor (undefined) ]");
  CHECK(printed(tg::zeros({0})) == "[ CPUFloatType{0} ]");
  CHECK(printed(tg::zeros({2, 0})) == "[ CPUFloatType{2,0} ]");
}

TEST_CASE("printing: scientific, scaled, non-finite") {
  CHECK(printed(tg::tensor({1e-5, 2.0, 300000.0})) == " 1.0000e-05\n 2.0000e+00\n 3.0000e+05\n[ CPUFloatType{3} ]");
  CHECK(printed(tg::tensor({123456.5, 2.5})) == " 1.2346e+05\n 2.5000e+00\n[ CPUFloatType{2} ]");
  CHECK(printed(tg::tensor({0.001, 0.002})) == "0.001 *\n 1.0000\n 2.0000\n[ CPUFloatType{2} ]");
  CHECK(printed(tg::tensor({{0.001, 0.0025}, {-0.003, 0.0004}})) ==
        "0.001 *\n 1.0000  2.5000\n -3.0000  0.4000\n[ CPUFloatType{2,2} ]");
  CHECK(printed(tg::tensor({{1e10, 1.0}})) == " 1.0000e+10  1.0000e+00\n[ CPUFloatType{1,2} ]");
  CHECK(printed(tg::tensor({std::int64_t(12345678901), std::int64_t(2)})) == " 1.2346e+10\n 2.0000e+00\n[ CPULongType{2} ]");
  CHECK(printed(tg::tensor({1.0, std::nan(""), double(INFINITY)})) == " 1\nnan\ninf\n[ CPUFloatType{3} ]");
  CHECK(printed(tg::arange(12.0).reshape({2, 6}) * 1000.5) ==
        "     0.0000   1000.5000   2001.0000   3001.5000   4002.0000   5002.5000\n"
        "  6003.0000   7003.5000   8004.0000   9004.5000  10005.0000  11005.5000\n[ CPUFloatType{2,6} ]");
}

TEST_CASE("printing: wide matrices in column blocks, 3-D and 4-D as matrices") {
  // ATen writes no newline after "Columns a to b": the first row follows on the same line.
  CHECK(printed(tg::arange(20.0).reshape({1, 20}) / 3) ==
        "Columns 1 to 10 0.0000  0.3333  0.6667  1.0000  1.3333  1.6667  2.0000  2.3333  2.6667  3.0000\n"
        "\nColumns 11 to 20 3.3333  3.6667  4.0000  4.3333  4.6667  5.0000  5.3333  5.6667  6.0000  6.3333\n"
        "[ CPUFloatType{1,20} ]");
  CHECK(printed(tg::arange(24.0).reshape({2, 3, 4})) ==
        "(1,.,.) = \n   0   1   2   3\n   4   5   6   7\n   8   9  10  11\n\n"
        "(2,.,.) = \n  12  13  14  15\n  16  17  18  19\n  20  21  22  23\n[ CPUFloatType{2,3,4} ]");
  // The first leading dim steps fastest, as ATen's.
  CHECK(printed(tg::arange(16.0).reshape({2, 2, 2, 2})) ==
        "(1,1,.,.) = \n  0  1\n  2  3\n\n(2,1,.,.) = \n   8   9\n  10  11\n\n"
        "(1,2,.,.) = \n  4  5\n  6  7\n\n(2,2,.,.) = \n  12  13\n  14  15\n[ CPUFloatType{2,2,2,2} ]");
}

TEST_CASE("printing leaves the stream's format as it was, sizes and dtypes print as LibTorch's") {
  std::ostringstream os;
  os.precision(3);
  os << std::fixed << tg::tensor({1e-5, 2.0}) << ' ' << 1.23456;
  CHECK(os.str().substr(os.str().size() - 6) == " 1.235");
  std::ostringstream s;
  s << tg::zeros({2, 3}).sizes() << ' ' << tg::kLong << ' ' << tg::Device(tg::kCPU);
  CHECK(s.str() == "[2, 3] Long cpu");
  CHECK(tg::type_string(tg::kDouble) == "CPUDoubleType");
}
