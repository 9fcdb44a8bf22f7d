#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <tapegrad/core/check.hpp>

TEST_CASE("TG_CHECK and AT_ASSERT throw tg::Error naming the condition and the message, only when false") {
  CHECK_NOTHROW(TG_CHECK(1 + 1 == 2, "never shown"));
  CHECK_NOTHROW(AT_ASSERT(!std::isnan(0.5f)));
  try {
    TG_CHECK(2 < 1, "got ", 2, " and ", 1);
    FAIL("TG_CHECK did not throw");
  } catch (const tg::Error& e) {
    const std::string what = e.what();
    CHECK(what.find("Expected 2 < 1 to be true, but got false") != std::string::npos);
    CHECK(what.find(": got 2 and 1") != std::string::npos);
  }
  const float loss = std::nanf("");
  CHECK_THROWS_WITH_AS(AT_ASSERT(!std::isnan(loss)), doctest::Contains("Expected !std::isnan(loss)"), tg::Error);
}
