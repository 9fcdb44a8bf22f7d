#include <tapegrad/core/scalar_type.hpp>

#include <ostream>

namespace tg {

const char* to_string(ScalarType type) {
  switch (type) {
    case kFloat: return "Float";
    case kDouble: return "Double";
    case kLong: return "Long";
    case kBool: return "Bool";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& out, ScalarType type) { return out << to_string(type); }

}  // namespace tg
