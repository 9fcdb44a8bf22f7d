// The doctest main. The tests that read MNIST look in $TAPEGRAD_DATA_DIR as it is when they run;
// when it is unset, in the source tree's data cache, where scripts/setup.sh puts the data.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  const char* dir = std::getenv("TAPEGRAD_DATA_DIR");
  if (!dir || !*dir) setenv("TAPEGRAD_DATA_DIR", TAPEGRAD_SOURCE_DATA_DIR, 1);
  return doctest::Context(argc, argv).run();
}
