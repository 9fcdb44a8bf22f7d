// tg::autograd::Node: what Tensor::grad_fn() returns, as LibTorch's, for printing and testing which op
// produced a tensor.
//
//   auto y = x * 2 + 1;               // x requires grad
//   std::cout << y.grad_fn()->name(); // AddBackward0
//   if (!x.grad_fn()) ...             // a leaf has none
//
// LibTorch's Node also runs the backward; here the tape does (core/tape.hpp), so a Node holds only the
// name: the producing op's, in LibTorch's form (`log_softmax` gives LogSoftmaxBackward0). Where
// LibTorch records an op under another name the names differ: its linear is AddmmBackward0, its
// 2 - x RsubBackward1; here they are LinearBackward0 and RsubBackward0.
#pragma once

#include <string>
#include <utility>

namespace tg::autograd {

class Node {
 public:
  explicit Node(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// "log_softmax" -> "LogSoftmaxBackward0".
std::string backward_node_name(const char* op);

}  // namespace tg::autograd
