// A "descriptor" record: what an open descriptor is (sys/fd_description) and, for a socket, its
// family, type, protocol, addresses and listening state.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "output/record.hpp"

namespace nt::fd_pass {

struct DescriptorInfo {
  std::string direction;  // sent, received
  std::size_t index = 0;  // position in the transfer, from 0; --exec places it at 3 + index
  int fd = -1;            // the number in this process
  std::string name;
};

output::Record describe_descriptor(const DescriptorInfo& info);

}  // namespace nt::fd_pass
