#include <tapegrad/optim/serialize.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include <tapegrad/modules/npz.hpp>

namespace tg::optim {
namespace {

constexpr std::int32_t kFormatVersion = 1;
const std::string kFormatEntry = "__tapegrad_format__", kNameEntry = "optimizer";

using Entries = std::vector<std::pair<std::string, npz::NpyArray>>;

// Adds every field it visits to `out`, named prefix + field.
class Writer : public OptimizerArchive {
 public:
  Writer(Entries& out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}
  void value(const char* name, double& v) override { add(name, npz::scalar(v)); }
  void value(const char* name, bool& v) override { add(name, npz::scalar(v)); }
  void value(const char* name, std::tuple<double, double>& v) override {
    add(name, npz::array(Array<double>{std::get<0>(v), std::get<1>(v)}));
  }
  void value(const char* name, std::int64_t& v) override { add(name, npz::scalar(v)); }
  void tensor(const char* name, Tensor& t) override {
    if (t.scalar_type() == kDouble) add(name, npz::array(t.value<double>()));
    else add(name, npz::array(t.value<float>()));
  }
  void optional_tensor(const char* name, Tensor& t) override {
    if (t.defined()) tensor(name, t);
  }

 private:
  void add(const char* name, npz::NpyArray a) { out_.emplace_back(prefix_ + name, std::move(a)); }
  Entries& out_;
  std::string prefix_;
};

// Fills every field it visits from the entry named prefix + field, noting the entries it used and,
// instead of throwing, every problem: a missing entry, or one of another dtype or shape. Tensors take
// `tensor_shape` and `tensor_dtype` (their parameter's).
class Reader : public OptimizerArchive {
 public:
  Reader(const std::map<std::string, npz::NpyArray>& entries, std::string prefix, Shape tensor_shape,
         ScalarType tensor_dtype, std::set<std::string>& used, std::vector<std::string>& problems)
      : entries_(entries), prefix_(std::move(prefix)), shape_(std::move(tensor_shape)), dtype_(tensor_dtype),
        used_(used), problems_(problems) {}

  void value(const char* name, double& v) override { read(name, "<f8", {}, &v); }
  void value(const char* name, bool& v) override {
    char byte = 0;
    if (read(name, "|b1", {}, &byte)) v = byte != 0;
  }
  void value(const char* name, std::tuple<double, double>& v) override {
    double pair[2];
    if (read(name, "<f8", {2}, pair)) v = {pair[0], pair[1]};
  }
  void value(const char* name, std::int64_t& v) override { read(name, "<i8", {}, &v); }
  void tensor(const char* name, Tensor& t) override {
    if (dtype_ == kDouble) read_tensor<double>(name, "<f8", t);
    else read_tensor<float>(name, "<f4", t);
  }
  void optional_tensor(const char* name, Tensor& t) override {
    t = Tensor();
    if (entries_.count(prefix_ + name)) tensor(name, t);
  }

 private:
  bool read(const char* name, const std::string& descr, const Shape& shape, void* out) {
    const std::string key = prefix_ + name;
    const auto found = entries_.find(key);
    if (found == entries_.end()) {
      problems_.push_back("missing entry '" + key + "' (" + descr + ", shape " + shape_str(shape) + ")");
      return false;
    }
    used_.insert(key);
    const npz::NpyArray& a = found->second;
    if (a.descr != descr || a.shape != shape) {
      problems_.push_back("entry '" + key + "' is " + a.descr + " of shape " + shape_str(a.shape) + ", expected " +
                          descr + " of shape " + shape_str(shape));
      return false;
    }
    std::memcpy(out, a.bytes.data(), a.bytes.size());
    return true;
  }

  template <class T>
  void read_tensor(const char* name, const char* descr, Tensor& t) {
    Array<T> value = Array<T>::from_shape(shape_);
    if (read(name, descr, shape_, value.data())) t = Tensor(std::move(value));
  }

  const std::map<std::string, npz::NpyArray>& entries_;
  std::string prefix_;
  Shape shape_;
  ScalarType dtype_;
  std::set<std::string>& used_;
  std::vector<std::string>& problems_;
};

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

void save(const Optimizer& optimizer, const std::string& path) {
  const auto& groups = optimizer.param_groups();
  Entries entries;
  entries.emplace_back(kFormatEntry, npz::scalar(kFormatVersion));
  entries.emplace_back(kNameEntry, npz::bytes_string(optimizer.name()));
  std::int64_t index = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string prefix = "param_groups." + std::to_string(g) + ".";
    Labels numbers = Labels::from_shape({groups[g].params().size()});
    for (auto& n : numbers) n = index++;
    entries.emplace_back(prefix + "params", npz::array(numbers));
    Writer writer(entries, prefix);
    const_cast<OptimizerOptions&>(groups[g].options()).serialize(writer);  // the writer only reads
  }
  index = 0;
  for (const auto& group : groups)
    for (const auto& p : group.params()) {
      const auto found = optimizer.state().find(Optimizer::state_key(p));
      if (found != optimizer.state().end() && found->second) {
        Writer writer(entries, "state." + std::to_string(index) + ".");
        found->second->serialize(writer);
      }
      ++index;
    }
  npz::write(path, entries);
}

void load(Optimizer& optimizer, const std::string& path) {
  const auto entries = npz::read(path);
  auto fail = [&](const std::string& problem) { throw Error("load: '" + path + "': " + problem); };

  const auto format = entries.find(kFormatEntry);
  const auto name = entries.find(kNameEntry);
  if (format == entries.end() || name == entries.end())
    fail("not an optimizer checkpoint (expected the entries '" + kFormatEntry + "' and '" + kNameEntry + "')");
  std::int32_t version = 0;
  if (format->second.descr != "<i4" || !format->second.shape.empty())
    fail("entry '" + kFormatEntry + "' is not an int32 scalar");
  std::memcpy(&version, format->second.bytes.data(), sizeof(version));
  if (version != kFormatVersion)
    fail("unsupported format version " + std::to_string(version) + " (this build reads version " +
         std::to_string(kFormatVersion) + ")");
  if (!starts_with(name->second.descr, "|S") || !name->second.shape.empty())
    fail("entry '" + kNameEntry + "' is not a bytes scalar");
  if (name->second.bytes != optimizer.name())
    fail("holds the state of " + name->second.bytes + ", not of " + optimizer.name());

  // Build the new options and state aside, gathering every problem, before touching the optimizer.
  std::vector<std::string> problems;
  std::set<std::string> used = {kFormatEntry, kNameEntry};
  auto& groups = optimizer.param_groups();
  std::size_t saved_groups = 0;
  while (entries.count("param_groups." + std::to_string(saved_groups) + ".params")) ++saved_groups;
  if (saved_groups != groups.size())
    fail("holds " + std::to_string(saved_groups) + " parameter groups, the optimizer has " +
         std::to_string(groups.size()));

  std::vector<std::unique_ptr<OptimizerOptions>> options;
  std::int64_t index = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string prefix = "param_groups." + std::to_string(g) + ".";
    const npz::NpyArray& params = entries.at(prefix + "params");
    used.insert(prefix + "params");
    const std::size_t n = groups[g].params().size();
    Labels expected = Labels::from_shape({n});
    for (auto& e : expected) e = index++;
    if (params.descr != "<i8" || params.shape != Shape{n} ||
        std::memcmp(params.bytes.data(), expected.data(), n * sizeof(std::int64_t)) != 0)
      problems.push_back("entry '" + prefix + "params' is " + params.descr + " of shape " + shape_str(params.shape) +
                         ", expected the int64 numbers of the group's " + std::to_string(n) + " parameters, from " +
                         std::to_string(index - static_cast<std::int64_t>(n)));
    options.push_back(groups[g].options().clone());
    const std::size_t before = problems.size();
    Reader reader(entries, prefix, {}, kDouble, used, problems);
    options.back()->serialize(reader);
    if (problems.size() == before) try {
        optimizer.check_options(*options.back());
      } catch (const Error& e) {
        problems.push_back("parameter group " + std::to_string(g) + ": " + e.what());
      }
  }

  Optimizer::State state;
  index = 0;
  for (const auto& group : groups)
    for (const auto& p : group.params()) {
      const std::string prefix = "state." + std::to_string(index++) + ".";
      const auto first = entries.lower_bound(prefix);
      if (first == entries.end() || !starts_with(first->first, prefix)) continue;  // not stepped yet
      auto s = optimizer.make_param_state();
      if (!s) fail(optimizer.name() + " keeps no state that can be loaded, but the file has '" + first->first + "'");
      Reader reader(entries, prefix, p.shape(), p.scalar_type(), used, problems);
      s->serialize(reader);
      state[Optimizer::state_key(p)] = std::move(s);
    }

  for (const auto& entry : entries)
    if (!used.count(entry.first)) problems.push_back("unexpected entry '" + entry.first + "'");
  if (!problems.empty()) {
    constexpr std::size_t shown = 8;
    std::string text;
    for (std::size_t i = 0; i < std::min(shown, problems.size()); ++i) text += (i ? "; " : "") + problems[i];
    if (problems.size() > shown) text += "; and " + std::to_string(problems.size() - shown) + " more";
    fail("does not match the " + optimizer.name() + " optimizer: " + text);
  }

  for (std::size_t g = 0; g < groups.size(); ++g) groups[g].set_options(std::move(options[g]));
  optimizer.state() = std::move(state);
}

}  // namespace tg::optim
