#include <tapegrad/data/sampler.hpp>

#include <string>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/modules/archive.hpp>

namespace tg::data::samplers::detail {

void write_index(serialize::OutputArchive& archive, const char* key, std::size_t value) {
  Array<std::int64_t> scalar = Array<std::int64_t>::from_shape({});
  scalar() = static_cast<std::int64_t>(value);
  archive.write(key, Tensor(std::move(scalar)));
}

std::size_t read_index(const serialize::InputArchive& archive, const char* key, std::size_t low, std::size_t high,
                       const char* sampler) {
  Tensor t;
  archive.read(key, t);
  const std::string where = std::string(sampler) + "::load: '" + key + "'";
  if (t.scalar_type() != kLong || t.numel() != 1)
    throw Error(where + " must be one int64, got a " + to_string(t.scalar_type()) + " tensor of shape " + shape_str(t.shape()));
  const std::int64_t v = t.value<std::int64_t>().data()[0];
  if (v < 0 || std::size_t(v) < low || std::size_t(v) > high)
    throw Error(where + " is " + std::to_string(v) + ", expected " + std::to_string(low) + " to " + std::to_string(high));
  return std::size_t(v);
}

}  // namespace tg::data::samplers::detail

namespace tg {

void save(const data::samplers::Sampler<>& sampler, const std::string& path) {
  serialize::OutputArchive archive;
  sampler.save(archive);
  archive.save_to(path);
}

void load(data::samplers::Sampler<>& sampler, const std::string& path) {
  serialize::InputArchive archive;
  archive.load_from(path);
  sampler.load(archive);
}

}  // namespace tg
