// std::visit with one lambda per alternative: Overloaded{[](const A&) {…}, [](const B&) {…}}.
#pragma once

namespace nt::chat {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
// clang 16 (the fuzz build) has no aggregate deduction (P1816): the guide g++ 12 does not need.
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace nt::chat
