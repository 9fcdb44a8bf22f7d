// tg::to_dot: the nodes and edges of what an output depends on, before and after backward, with
// parameter names and module clusters; other graphs on the tape and freed graphs stay out.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "check.hpp"

using tg::Array;
using tg::Variable;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("to_dot draws each op once, each leaf once, and an edge per input") {
  Variable<double> a(Array<double>{{1, 2}, {3, 4}}, true), b(Array<double>{{5, 6}, {7, 8}}, true);
  const Variable<double> x(Array<double>{{1, 1}, {1, 1}});  // requires no grad: a const input
  auto loss = tg::sum(a * b + x * a);
  tg::DotOptions<double> options;
  options.names = {{"a", a}, {"b", b}};
  const std::string dot = tg::to_dot(loss, options);
  CHECK(dot.rfind("digraph tapegrad {", 0) == 0);
  CHECK(count(dot, "label=\"mul\\n(2, 2)\"") == 2);
  CHECK(count(dot, "label=\"add\\n(2, 2)\"") == 1);
  CHECK(count(dot, "label=\"sum\\n()\"") == 1);
  CHECK(count(dot, "label=\"a\\n(2, 2)\\nrequires_grad\"") == 1);
  CHECK(count(dot, "label=\"b\\n(2, 2)\\nrequires_grad\"") == 1);
  CHECK(count(dot, "label=\"const\"") == 1);
  CHECK(count(dot, " -> ") == 7);  // mul(a, b): 2, mul(x, a): 2, add: 2, sum: 1
  CHECK(count(dot, "penwidth=2.5") == 1);  // the output
  CHECK(count(dot, "#b7e1a1") == 0);       // no backward yet
  loss.backward(/*retain_graph=*/true);
  const std::string after = tg::to_dot(loss, options);
  CHECK(count(after, "#b7e1a1") == 4);  // every op's backward ran
  CHECK(count(after, "requires_grad, has grad") == 2);
  loss.backward();  // frees the graph
}

TEST_CASE("to_dot leaves out other graphs on the tape, and shows a freed graph as its output alone") {
  Variable<float> w(Array<float>{1.f, 2.f}, true);
  auto other = tg::sum(tg::exp(w));  // recorded, not part of `mine`
  auto mine = tg::sum(w * 3.f);
  const std::string dot = tg::to_dot(mine);
  CHECK(dot.find("exp") == std::string::npos);
  CHECK(count(dot, "label=\"leaf\\n(2,)\\nrequires_grad\"") == 1);
  mine.backward();
  const std::string freed = tg::to_dot(mine);
  CHECK(count(freed, "label=\"freed sum\\n()\"") == 1);
  CHECK(count(freed, " -> ") == 0);
  (void)other;
}

TEST_CASE("to_dot groups a model's ops in clusters named by module path, with values on request") {
  tg::manual_seed(3);
  tg::nn::SequentialImpl net;
  net.push_back(std::make_shared<tg::nn::LinearImpl>(4, 3));
  net.push_back(std::make_shared<tg::nn::ReLUImpl>());
  net.push_back(std::make_shared<tg::nn::LinearImpl>(3, 2));
  const Variable<float> x(tg::randn<float>({5, 4}));
  auto loss = tg::sum(net.forward(x)).variable<float>();
  tg::DotOptions<float> options;
  for (const auto& [name, p] : net.named_parameters()) options.names.emplace_back(name, p.variable<float>());
  options.values = true;
  const std::string dot = tg::to_dot(loss, options);
  CHECK(count(dot, "subgraph cluster_") == 2);
  CHECK(count(dot, "label=\"0\"") == 1);
  CHECK(count(dot, "label=\"2\"") == 1);
  CHECK(count(dot, "0.weight\\n(3, 4)") == 1);
  CHECK(count(dot, "2.bias\\n(2,)") == 1);
  CHECK(count(dot, "mean ") == 5);  // four parameters and the output
  tg::Tape<float>::current().clear();
}

TEST_CASE("to_dot of a Tensor names the model's parameters as the typed form does, in float and double") {
  tg::manual_seed(3);
  auto net = tg::nn::Sequential(tg::nn::Linear(4, 3), tg::nn::ReLU(), tg::nn::Linear(3, 2));
  for (const tg::ScalarType dtype : {tg::kFloat, tg::kDouble}) {
    CAPTURE(tg::to_string(dtype));
    net->to(dtype);
    const tg::Tensor loss = net->forward(tg::randn({5, 4}, tg::TensorOptions().dtype(dtype))).sum();
    const std::string dot = tg::to_dot(loss, {net->named_parameters()});
    CHECK(count(dot, "0.weight\\n(3, 4)") == 1);
    CHECK(count(dot, "2.bias\\n(2,)") == 1);
    if (dtype == tg::kFloat) {
      tg::DotOptions<float> typed;
      for (const auto& [name, p] : net->named_parameters()) typed.names.emplace_back(name, p.variable<float>());
      CHECK(dot == tg::to_dot(loss.variable<float>(), typed));
    }
    // A named leaf of the other dtype cannot be on this tape: passed over, not an error.
    const tg::Tensor other = tg::ones({2}, tg::TensorOptions().dtype(dtype == tg::kFloat ? tg::kDouble : tg::kFloat));
    CHECK_NOTHROW(tg::to_dot(loss, {{{"other", other}}}));
  }
  CHECK_THROWS_WITH_AS(tg::to_dot(tg::ones({2}, tg::TensorOptions().dtype(tg::kLong))),
                       doctest::Contains("to_dot: expected a floating tensor"), tg::Error);
  tg::Tape<float>::current().clear();
  tg::Tape<double>::current().clear();
}

TEST_CASE("write_dot writes the file and refuses to replace what is not a regular file") {
  Variable<double> a(Array<double>{1.0}, true);
  auto y = tg::exp(a);
  const std::string path = "test_graph_dot_out.dot";
  tg::write_dot(path, y);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == tg::to_dot(y));
  std::remove(path.c_str());
  CHECK_THROWS_WITH_AS(tg::write_dot("/dev/null", y), doctest::Contains("not a regular file"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::write_dot("no/such/dir/g.dot", y),
                       doctest::Contains("write_dot: no/such/dir/g.dot: folder 'no/such/dir': No such file or directory"),
                       tg::Error);
  tg::Tape<double>::current().clear();
}
