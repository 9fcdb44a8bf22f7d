// tg::InlineFunction (core/inline_function.hpp), the tape's store for backward functions: small
// callables live inside it, large ones on the heap; either kind is called, moved and destroyed once.
#include <array>
#include <memory>

#include "check.hpp"

namespace {

using Fn = tg::InlineFunction<int(int)>;

// Counts the live copies of its payload through a shared_ptr's use count.
template <std::size_t PaddingBytes>
struct Counted {
  std::shared_ptr<int> token;
  std::array<char, PaddingBytes> padding{};
  int operator()(int x) const { return x + *token; }
};

template <std::size_t PaddingBytes>
void check_moves_and_destroys() {
  auto token = std::make_shared<int>(5);
  {
    Fn f = Counted<PaddingBytes>{token};
    CHECK(token.use_count() == 2);
    CHECK(f(1) == 6);
    Fn g = std::move(f);
    CHECK(!f);
    CHECK(token.use_count() == 2);
    CHECK(g(2) == 7);
    Fn h;
    h = std::move(g);
    CHECK(h(3) == 8);
    h = Fn([](int x) { return -x; });  // the old callable is destroyed
    CHECK(token.use_count() == 1);
    CHECK(h(3) == -3);
  }
  CHECK(token.use_count() == 1);
}

}  // namespace

TEST_CASE("InlineFunction: a callable that fits inside, and one that goes to the heap, each called, moved, destroyed once") {
  check_moves_and_destroys<8>();
  check_moves_and_destroys<Fn::kInlineBytes>();  // over the inline size with the shared_ptr
}
