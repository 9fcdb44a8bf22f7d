// tg::OrderedDict: LibTorch's torch::OrderedDict, what Module::named_parameters(), named_buffers(),
// named_children() and named_modules() return. Items keep insertion order; each has key() and value()
// as LibTorch's, and is a std::pair too (first, second), so both spellings work:
//
//   for (const auto& p : net->named_parameters()) std::cout << p.key() << " " << p.value().sizes() << "\n";
//   for (const auto& [name, p] : net->named_parameters()) ...
//   net->named_parameters()["fc1.weight"];   // by key: throws tg::Error naming a missing key
//   net->named_parameters()[0];              // by position: the Item
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <tapegrad/core/array.hpp>

namespace tg {

template <class Key, class Value>
class OrderedDict {
 public:
  struct Item : std::pair<Key, Value> {
    using std::pair<Key, Value>::pair;
    const Key& key() const { return this->first; }
    Value& value() { return this->second; }
    const Value& value() const { return this->second; }
    std::pair<Key, Value>& pair() { return *this; }
    const std::pair<Key, Value>& pair() const { return *this; }
  };
  using Iterator = typename std::vector<Item>::iterator;
  using ConstIterator = typename std::vector<Item>::const_iterator;

  // key_description names a key in errors ("Parameter 'fc1.weight' ..."), as LibTorch's.
  explicit OrderedDict(std::string key_description = "Key") : key_description_(std::move(key_description)) {}
  OrderedDict(std::initializer_list<Item> items) : OrderedDict() {
    for (const Item& item : items) insert(item.first, item.second);
  }

  // Appends (key, value); throws if the key is present.
  Value& insert(Key key, Value value) {
    if (index_.count(key)) throw Error(key_description_ + " '" + key_text(key) + "' already defined");
    index_.emplace(key, items_.size());
    items_.emplace_back(std::move(key), std::move(value));
    return items_.back().second;
  }

  Value* find(const Key& key) {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  const Value* find(const Key& key) const { return const_cast<OrderedDict*>(this)->find(key); }
  bool contains(const Key& key) const { return index_.count(key) != 0; }

  Value& operator[](const Key& key) { return *checked_find(key); }
  const Value& operator[](const Key& key) const { return *const_cast<OrderedDict*>(this)->checked_find(key); }
  Item& operator[](std::size_t position) { return items_.at(checked_position(position)); }
  const Item& operator[](std::size_t position) const { return items_.at(checked_position(position)); }

  std::vector<Key> keys() const {
    std::vector<Key> out;
    for (const Item& item : items_) out.push_back(item.first);
    return out;
  }
  std::vector<Value> values() const {
    std::vector<Value> out;
    for (const Item& item : items_) out.push_back(item.second);
    return out;
  }
  const std::vector<Item>& items() const { return items_; }
  const std::string& key_description() const { return key_description_; }

  std::size_t size() const { return items_.size(); }
  bool is_empty() const { return items_.empty(); }
  Item& front() { return items_.at(checked_position(0)); }
  const Item& front() const { return items_.at(checked_position(0)); }
  Item& back() { return items_.at(checked_position(items_.empty() ? 0 : items_.size() - 1)); }
  const Item& back() const { return items_.at(checked_position(items_.empty() ? 0 : items_.size() - 1)); }
  Iterator begin() { return items_.begin(); }
  Iterator end() { return items_.end(); }
  ConstIterator begin() const { return items_.begin(); }
  ConstIterator end() const { return items_.end(); }
  // Removes `key` and its value; throws if the key is absent.
  void erase(const Key& key) {
    checked_find(key);
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(index_.at(key)));
    index_.clear();
    for (std::size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i].first, i);
  }
  void clear() {
    items_.clear();
    index_.clear();
  }

 private:
  static std::string key_text(const Key& key) {
    if constexpr (std::is_convertible_v<Key, std::string>) return key;
    else return std::to_string(key);
  }
  Value* checked_find(const Key& key) {
    Value* v = find(key);
    if (!v) throw Error(key_description_ + " '" + key_text(key) + "' is not defined");
    return v;
  }
  std::size_t checked_position(std::size_t position) const {
    if (position >= items_.size())
      throw Error("OrderedDict: position " + std::to_string(position) + " is out of range (it holds " +
                  std::to_string(items_.size()) + " items)");
    return position;
  }

  std::vector<Item> items_;
  std::unordered_map<Key, std::size_t> index_;
  std::string key_description_;
};

}  // namespace tg
